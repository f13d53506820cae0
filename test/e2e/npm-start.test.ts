import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';

/**
 * The promise: "`npm install && npm start` on a fresh machine: /healthz 200 and tickets in
 * /api/tickets within 60 s, install excluded." Runs the real start command in a clean
 * environment (only PATH and HOME, no LGD_URL, no MONGODB_URI): the zero-setup demo.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** A developer's `.env` would feed the app settings a fresh machine does not have. */
const HAS_DOTENV = existsSync(join(ROOT, '.env'));

interface Started {
  child: ChildProcess;
  output: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const running: Started[] = [];
const tempDirs: string[] = [];

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
  const address = srv.address();
  await new Promise<void>((ok) => srv.close(() => ok()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

/** `npm start` in its own process group with only the given variables besides PATH and HOME. */
function npmStart(env: Record<string, string>): Started {
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => {
    out += c.toString('utf8');
    err += c.toString('utf8');
  });
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  const started = { child, output: () => out, stderr: () => err, exited };
  running.push(started);
  return started;
}

async function stop(s: Started): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null || s.child.pid === undefined) return;
  const pid = s.child.pid;
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  };
  signalGroup('SIGTERM');
  const timedOut = await Promise.race([s.exited.then(() => false), sleep(5_000).then(() => true)]);
  if (timedOut) signalGroup('SIGKILL');
  await s.exited;
}

const sleep = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));

async function getJson(url: string): Promise<{ status: number; body: unknown } | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return { status: res.status, body: (await res.json()) as unknown };
  } catch (err) {
    if (err instanceof Error) return null; // not listening yet
    throw err;
  }
}

/** Polls until `check` passes or the process exits or the deadline passes. */
async function until(s: Started, deadline: number, check: () => Promise<boolean>): Promise<boolean> {
  while (Date.now() < deadline && s.child.exitCode === null) {
    if (await check()) return true;
    await sleep(200);
  }
  return false;
}

afterEach(async () => {
  for (const s of running.splice(0)) await stop(s);
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('npm start on a fresh machine', () => {
  const dotenvWhy = HAS_DOTENV ? ' (skipped: a .env file in the project would feed it settings a fresh machine does not have)' : '';
  it.skipIf(HAS_DOTENV)(`answers /healthz and lists tickets within 60 seconds, in the loud demo mode${dotenvWhy}`, { timeout: 90_000 }, async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'lgd-npm-start-'));
    tempDirs.push(dataDir);
    const t0 = Date.now();
    const app = npmStart({ PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    const base = `http://127.0.0.1:${port}`;
    const deadline = t0 + 75_000;

    let health: unknown = null;
    const healthy = await until(app, deadline, async () => {
      const r = await getJson(`${base}/healthz`);
      health = r?.body;
      return r?.status === 200;
    });
    const healthyMs = Date.now() - t0;
    expect(healthy, `no /healthz 200; output:\n${app.output()}`).toBe(true);

    let total = 0;
    const listed = await until(app, deadline, async () => {
      const r = await getJson(`${base}/api/tickets?pageSize=5`);
      total = r?.status === 200 ? ((r.body as { total?: number }).total ?? 0) : 0;
      return total > 0;
    });
    const ticketsMs = Date.now() - t0;
    expect(listed, `no tickets in /api/tickets; output:\n${app.output()}`).toBe(true);
    expect(healthyMs).toBeLessThan(60_000);
    expect(ticketsMs).toBeLessThan(60_000);
    expect(total).toBeGreaterThan(0);

    // At its first answer the demo's first sync may still be running: that, and only that, may be named.
    expect(health).toMatchObject({ demo: true, store: { ok: true } });
    const degraded = (health as { status: string; degraded: { part: string }[] }).degraded;
    expect(degraded.filter((p) => p.part !== 'sync.firstSync')).toEqual([]);
    expect((health as { status: string }).status).toBe(degraded.length === 0 ? 'ok' : 'degraded');
    // The logger writes through a worker thread: give the start-up lines a moment to arrive.
    await until(app, Date.now() + 5_000, async () => app.output().includes('BOT AUTHENTICATION IS OFF'));
    expect(app.output()).toContain('BOT AUTHENTICATION IS OFF');
    expect(app.output()).toContain('DEMO');
    expect(app.child.exitCode).toBeNull();
  });

  it('refuses an invalid PORT at once, naming the variable and the fix, without a stack trace', { timeout: 30_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lgd-npm-start-'));
    tempDirs.push(dataDir);
    const t0 = Date.now();
    const app = npmStart({ PORT: 'abc', DATA_DIR: dataDir, LOG_LEVEL: 'info' });

    const code = await Promise.race([app.exited, sleep(20_000).then(() => 'still running' as const)]);

    expect(code).not.toBe('still running');
    expect(code).not.toBe(0);
    expect(Date.now() - t0).toBeLessThan(15_000);
    const stderr = app.stderr();
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('Fix: set PORT to a port number');
    expect(stderr).toContain('got "abc"');
    expect(stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(stderr).not.toContain('ConfigError');
  });

  it('says the port is in use and what to do, exits non-zero, and leaves nothing running', { timeout: 45_000 }, async () => {
    const holder: Server = createServer();
    await new Promise<void>((ok) => holder.listen(0, '127.0.0.1', ok));
    const port = (holder.address() as { port: number }).port;
    const dataDir = mkdtempSync(join(tmpdir(), 'lgd-npm-start-'));
    tempDirs.push(dataDir);
    try {
      const app = npmStart({ PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' });
      const code = await Promise.race([app.exited, sleep(30_000).then(() => 'still running' as const)]);
      expect(code, app.output()).not.toBe('still running');
      expect(code).not.toBe(0);
      const stderr = app.stderr();
      const line = `Port ${port} on 127.0.0.1 is already in use (another instance of the app, or another program). Set PORT to a free port (PORT=0 picks one), or stop the other instance.`;
      expect(stderr.split('\n').filter((l) => l === line)).toHaveLength(1);
      expect(stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      expect(stderr).not.toContain('EADDRINUSE');
      // Refused before the simulator or the worker started, and nothing of it is left.
      expect(app.output()).not.toContain('DEMO: LGD is the built-in simulator');
      expect(await groupGone(app.child.pid!)).toBe(true);
    } finally {
      await new Promise<void>((ok) => holder.close(() => ok()));
    }
  });

  it('says the data folder is in use by another instance (with its pid) and what to do, without a stack trace', { timeout: 45_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lgd-npm-start-'));
    tempDirs.push(dataDir);
    // This test process plays the instance already running on the folder: it holds the store's lock.
    const running = await openEmbeddedStore({ dataDir });
    try {
      const app = npmStart({ PORT: String(await freePort()), DATA_DIR: dataDir, LOG_LEVEL: 'info' });
      const code = await Promise.race([app.exited, sleep(30_000).then(() => 'still running' as const)]);
      expect(code, app.output()).not.toBe('still running');
      expect(code).not.toBe(0);
      const stderr = app.stderr();
      expect(stderr).toContain(
        `The data folder ${realpathSync(dataDir)} is in use by another running instance of the app (pid ${process.pid}). Stop that instance, or set DATA_DIR to another folder.`,
      );
      expect(stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      expect(stderr).not.toContain('SqliteError');
      expect(await groupGone(app.child.pid!)).toBe(true);
    } finally {
      await running.close();
    }
  });
});

/** True once no process of the group `pid` leads is alive (waiting a moment for children to follow their parent out). */
async function groupGone(pid: number): Promise<boolean> {
  for (const end = Date.now() + 3_000; Date.now() < end; await sleep(100)) {
    try {
      process.kill(-pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return true;
      throw err;
    }
  }
  return false;
}
