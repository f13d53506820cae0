import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startLgdSimulator, type LgdSimulator } from '../../bot/lgd/simulator/lgd-simulator.js';
import { seedTeam, TEAM } from '../support/sync-harness.js';

/**
 * The promise: after `kill -9` the restarted app syncs at once. The embedded store's
 * exclusive lock on the data folder proves the dead process no longer holds the worker lease, so
 * the new one takes it over instead of waiting out its term (90 s at a 30 s poll). Real processes:
 * the app runs as `node --import tsx bot/index.ts` on a data folder, against the simulator over HTTP.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface Child {
  proc: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

const children: Child[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
    await c.exited;
  }
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
  const address = srv.address();
  await new Promise<void>((ok) => srv.close(() => ok()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

function startApp(env: Record<string, string>): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bot/index.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  proc.stderr?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const exited = new Promise<void>((ok) => proc.once('exit', () => ok()));
  const child = { proc, output: () => out, exited };
  children.push(child);
  return child;
}

const sleep = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));

async function ticketTotal(base: string): Promise<number | null> {
  try {
    const res = await fetch(`${base}/api/tickets?pageSize=1`, { signal: AbortSignal.timeout(2_000) });
    if (res.status !== 200) return null;
    const body = (await res.json()) as { total: number; complete: boolean };
    return body.complete === false ? null : body.total;
  } catch (err) {
    if (err instanceof Error) return null; // not listening yet
    throw err;
  }
}

/** Polls until the app lists `want` tickets after a complete sync; returns the ms it took, or null at the deadline. */
async function untilTotal(c: Child, base: string, want: number, ms: number): Promise<number | null> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms && c.proc.exitCode === null) {
    if ((await ticketTotal(base)) === want) return Date.now() - t0;
    await sleep(100);
  }
  return null;
}

describe('a restart after kill -9', () => {
  it('takes the dead process\'s worker lease over at once and syncs within seconds', { timeout: 120_000 }, async () => {
    const sim: LgdSimulator = await startLgdSimulator();
    cleanups.push(() => sim.close());
    const { team } = seedTeam(sim.state, 12);
    const dataDir = mkdtempSync(join(tmpdir(), 'lgd-crash-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    // A 30-second poll: the lease term is 90 seconds, which a restart used to wait out.
    const env = { PORT: String(port), DATA_DIR: dataDir, LGD_URL: sim.baseUrl, LGD_USERNAME: 'lgd.service', LGD_PASSWORD: 'lgd-simulator', LGD_POLL_SECONDS: '30', LGD_GROUPS: TEAM, LOG_LEVEL: 'info' };

    const first = startApp(env);
    expect(await untilTotal(first, base, 12, 60_000), `first run did not sync; output:\n${first.output()}`).not.toBeNull();

    first.proc.kill('SIGKILL');
    await first.exited;
    expect(first.proc.signalCode).toBe('SIGKILL');

    // LGD moves on while the app is dead.
    sim.state.raiseIncident({ title: 'Raised while the app was down', groupKey: team.guid, status: 'New', raiseUser: 'Someone' });

    const second = startApp(env);
    const took = await untilTotal(second, base, 13, 30_000);
    expect(took, `restart did not sync the new ticket within 30 s; output:\n${second.output()}`).not.toBeNull();
    // Start-up (tsx, store, first tick) takes a few seconds; waiting out the lease would take 90.
    expect(took).toBeLessThan(20_000);
    console.info(`restart after kill -9: the new ticket was listed ${took} ms after the restart`);
    await sleep(500); // the log goes through a worker thread
    expect(second.output()).toMatch(/took over the worker lease from \S+ at once/);
  });
});
