import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in bot/playground/). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The mock tenant: the demo team's analysts as Teams users. */
export const PLAYGROUND_CONFIG = join(REPO_ROOT, 'bot/playground/m365agentsplayground.yml');
/** Preload that keeps the Playground off every interface but 127.0.0.1. */
export const BIND_LOOPBACK_PRELOAD = join(REPO_ROOT, 'bot/playground/bind-loopback.cjs');
/** The Playground's own default port. */
export const DEFAULT_PLAYGROUND_PORT = 56150;

const TSX = join(REPO_ROOT, 'node_modules/.bin/tsx');
const PLAYGROUND_CLI = join(REPO_ROOT, 'node_modules/.bin/agentsplayground');

/** What {@link startPlayground} needs; ports must be free (see {@link findFreePort}). */
export interface PlaygroundOptions {
  /** Port of the app (its bot endpoint is /api/messages there). */
  appPort: number;
  /** Port the Playground asks for; it takes a random one if this is taken, and we report the real one. */
  playgroundPort: number;
  /** The app's DATA_DIR; a temporary folder, removed on stop, when not given. */
  dataDir?: string;
  /** Base environment of both children (PATH and HOME at least); the demo settings are forced on top. */
  env: NodeJS.ProcessEnv;
  /** Receives both children's output as it arrives. */
  onOutput?: (source: 'app' | 'playground', text: string) => void;
  /** How long the app and the Playground may take to come up (default 60 s). */
  startTimeoutMs?: number;
}

/** The app and the Playground, running. */
export interface RunningPlayground {
  /** The app's base URL, e.g. http://127.0.0.1:3978. */
  appUrl: string;
  /** The Playground's web UI and HTTP API base URL, e.g. http://127.0.0.1:56150. */
  playgroundUrl: string;
  /** Where the Playground writes its log (it prints almost nothing to a pipe). */
  playgroundLogFile: string;
  /** Both children's output so far. */
  output: () => string;
  /** Stops the Playground, then the app; removes the temporary folders. Safe to call twice. */
  stop: () => Promise<void>;
}

/** A port on 127.0.0.1 that was free a moment ago. */
export async function findFreePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((ok, fail) => {
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', ok);
  });
  const address = srv.address();
  await new Promise<void>((ok) => srv.close(() => ok()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

interface Child {
  process: ChildProcess;
  exited: Promise<void>;
}

/** Spawns in a new process group so that stopping it also stops what it started (npx, tsx). */
function spawnGroup(command: string, args: string[], env: NodeJS.ProcessEnv, onText: (text: string) => void): Child {
  const child = spawn(command, args, { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (c: Buffer) => onText(c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => onText(c.toString('utf8')));
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  return { process: child, exited };
}

const sleep = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));

/** SIGTERM to the child's process group, SIGKILL after 5 s. */
async function stopGroup(child: Child): Promise<void> {
  const pid = child.process.pid;
  if (pid === undefined || child.process.exitCode !== null || child.process.signalCode !== null) return;
  const signal = (s: NodeJS.Signals): void => {
    try {
      process.kill(-pid, s);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  };
  signal('SIGTERM');
  const timedOut = await Promise.race([child.exited.then(() => false), sleep(5_000).then(() => true)]);
  if (timedOut) signal('SIGKILL');
  await child.exited;
}

/** Polls `check` until it is true, the child exits, or the deadline passes. */
async function waitFor(child: Child, deadline: number, what: string, output: () => string, check: () => Promise<boolean>): Promise<void> {
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      throw new Error(`${what}: the process exited (${child.process.exitCode ?? child.process.signalCode}). Output:\n${output()}`);
    }
    if (await check()) return;
    await sleep(200);
  }
  throw new Error(`${what}: not ready in time. Output:\n${output()}`);
}

/** True when GET url answers 200; false while nothing listens there yet. */
async function answers200(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.body?.cancel();
    return res.status === 200;
  } catch (err) {
    if (err instanceof TypeError || (err instanceof DOMException && err.name === 'TimeoutError')) return false;
    throw err;
  }
}

/** NODE_OPTIONS with the loopback preload added (quoted, for paths with spaces). */
function withPreload(nodeOptions: string | undefined): string {
  return `${nodeOptions ?? ''} --require "${BIND_LOOPBACK_PRELOAD}"`.trim();
}

/**
 * Starts the app in demo mode (LGD simulator, bot authentication off, 127.0.0.1) and then the
 * Microsoft 365 Agents Playground against it, with the demo team as its mock tenant.
 */
export async function startPlayground(opts: PlaygroundOptions): Promise<RunningPlayground> {
  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  const tempDirs: string[] = [];
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'lgd-playground-data-'));
  if (opts.dataDir === undefined) tempDirs.push(dataDir);
  const logDir = mkdtempSync(join(tmpdir(), 'lgd-playground-log-'));
  tempDirs.push(logDir);
  const playgroundLogFile = join(logDir, 'm365agentsplayground.log');

  let out = '';
  const onText = (source: 'app' | 'playground') => (text: string) => {
    out += text;
    opts.onOutput?.(source, text);
  };
  const output = (): string => out;

  const appUrl = `http://127.0.0.1:${opts.appPort}`;
  const app = spawnGroup(
    TSX,
    ['bot/index.ts'],
    {
      ...opts.env,
      PORT: String(opts.appPort),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      // Empty values win over a developer's .env and mean "unset": the demo in open mode (no identity, no telemetry).
      NODE_ENV: 'development',
      WEBSITE_SITE_NAME: '',
      LGD_URL: '',
      MONGODB_URI: '',
      MicrosoftAppId: '',
      MicrosoftAppPassword: '',
      MicrosoftAppTenantId: '',
      TAB_SSO_CLIENT_ID: '',
      BOT_DOMAIN: '',
      APPLICATIONINSIGHTS_CONNECTION_STRING: '',
    },
    onText('app'),
  );
  const children: Child[] = [app];
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    for (const child of children.reverse()) await stopGroup(child);
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitFor(app, deadline, 'the app (/healthz)', output, () => answers200(`${appUrl}/healthz`));

    let listeningPort: number | undefined;
    const playground = spawnGroup(
      PLAYGROUND_CLI,
      [
        '-e', `${appUrl}/api/messages`,
        '-c', 'msteams',
        '-p', String(opts.playgroundPort),
        // The bot replies here: 127.0.0.1, not the default "localhost", which may resolve to ::1.
        '--service-url', `http://127.0.0.1:${opts.playgroundPort}/_connector`,
        '--disable-telemetry',
      ],
      {
        ...opts.env,
        NODE_OPTIONS: withPreload(opts.env.NODE_OPTIONS),
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: PLAYGROUND_CONFIG,
        M365_AGENTS_PLAYGROUND_LOGFILE: playgroundLogFile,
        SEND_INSTALLATION_ACTIVITY: 'true',
      },
      (text) => {
        const m = /Listening on (\d+)/.exec(text);
        if (m?.[1] !== undefined) listeningPort = Number(m[1]);
        onText('playground')(text);
      },
    );
    children.push(playground);
    await waitFor(playground, deadline, 'the Playground', output, () => Promise.resolve(listeningPort !== undefined));
    if (listeningPort !== opts.playgroundPort) {
      throw new Error(`The Playground could not have port ${opts.playgroundPort} (in use?) and took ${listeningPort}; its service URL would be wrong. Fix: free the port or choose another.`);
    }
    const playgroundUrl = `http://127.0.0.1:${listeningPort}`;
    await waitFor(playground, deadline, 'the Playground (/_debug/ping)', output, () => answers200(`${playgroundUrl}/_debug/ping`));
    return { appUrl, playgroundUrl, playgroundLogFile, output, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
