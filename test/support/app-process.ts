import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project folder. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A real process of the app (or one of its tools) started by a test. */
export interface AppProcess {
  proc: ChildProcess;
  /** What it printed so far (stdout and stderr). */
  output: () => string;
  /** Resolves when it has exited (by itself or killed). */
  exited: Promise<void>;
  /** `kill -9`: resolves once it is gone. */
  kill9: () => Promise<void>;
}

const running = new Set<AppProcess>();

/**
 * Runs `node --import tsx <entry> ...args` in the project folder with only `env` (and PATH, HOME)
 * set: the app as `bot/index.ts`, an operator's tool such as `bot/duties/run-duties.ts`. `nodeArgs`
 * go to node itself (e.g. `--expose-gc`).
 */
export function startProcess(
  entry: string,
  env: Record<string, string>,
  args: readonly string[] = [],
  nodeArgs: readonly string[] = [],
): AppProcess {
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  proc.stderr?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const exited = new Promise<void>((ok) => proc.once('exit', () => ok()));
  const child: AppProcess = {
    proc,
    output: () => out,
    exited,
    async kill9() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
  running.add(child);
  void exited.then(() => running.delete(child));
  return child;
}

/** The app's server (`bot/index.ts`). */
export const startAppProcess = (env: Record<string, string>): AppProcess => startProcess('bot/index.ts', env);

/** Kills every process started here that still runs (for afterEach). */
export async function killAllStarted(): Promise<void> {
  await Promise.all([...running].map((c) => c.kill9()));
}

/** A TCP port free on 127.0.0.1 now. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
  const address = srv.address();
  await new Promise<void>((ok) => srv.close(() => ok()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

export const sleep = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));

/** Polls `cond` every 100 ms while the process runs; the ms it took, or null at the deadline (or when the process ended). */
export async function within(c: AppProcess | null, ms: number, cond: () => Promise<boolean> | boolean): Promise<number | null> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms && (c === null || c.proc.exitCode === null)) {
    if (await cond()) return Date.now() - t0;
    await sleep(100);
  }
  return null;
}

/** GET a JSON answer from the app; null when it is not listening (yet) or answers other than 200. */
export async function getJson<T>(url: string, headers: Record<string, string> = {}): Promise<T | null> {
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(3_000) });
    if (res.status !== 200) return null;
    return (await res.json()) as T;
  } catch (err) {
    if (err instanceof Error) return null; // not listening yet
    throw err;
  }
}
