import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import { freePort } from '../support/app-process.js';

/**
 * The promise: "`npm install && npm start` on a fresh machine: /healthz 200 and tickets in
 * /api/tickets, install excluded." Runs the real start command in a clean clone of the project (the
 * files git tracks or would track, so an edit not yet committed is tested too; no dist/, no data/,
 * no .env) whose node_modules is a link to this checkout's (a real `npm ci` costs two minutes and
 * tests npm, not the app), in a clean environment (only PATH and HOME, no LGD_URL, no MONGODB_URI):
 * the zero-setup demo, built on its first start and run as plain Node from dist/.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A clean clone of the working tree: every file git tracks or would track, and a link to node_modules. */
function cleanClone(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lgd-clone-'));
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const rel of listed.stdout.split('\0').filter(Boolean)) {
    const from = join(ROOT, rel);
    if (!existsSync(from)) continue; // deleted in the working tree, not yet in the index
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    copyFileSync(from, join(dir, rel));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

let CLONE = '';
beforeAll(() => {
  CLONE = cleanClone();
});
afterAll(() => {
  if (CLONE) rmSync(CLONE, { recursive: true, force: true });
});

/** Builds the clone unless a test before did (a test run alone must not pay the build inside its own timing). */
function built(): void {
  if (existsSync(join(CLONE, 'dist', 'build-stamp.json'))) return;
  const r = spawnSync('npm', ['run', 'build'], { cwd: CLONE, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}${r.stderr}`);
}

interface Started {
  child: ChildProcess;
  output: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const running: Started[] = [];
const tempDirs: string[] = [];

/** `npm start` in its own process group with only the given variables besides PATH and HOME. */
function npmStart(env: Record<string, string>): Started {
  const child = spawn('npm', ['start'], {
    cwd: CLONE,
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
    return { status: res.status, body: await res.json() };
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
  it('builds, then answers /healthz and lists tickets within 90 seconds, in the loud demo mode, with no warning to wonder about', { timeout: 150_000 }, async () => {
    expect(existsSync(join(CLONE, 'dist')), 'the clean clone has no dist/').toBe(false);
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'lgd-npm-start-'));
    tempDirs.push(dataDir);
    const t0 = Date.now();
    const app = npmStart({ PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    const base = `http://127.0.0.1:${port}`;
    const deadline = t0 + 100_000;

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
    expect(healthyMs).toBeLessThan(90_000);
    expect(ticketsMs).toBeLessThan(90_000);
    expect(total).toBeGreaterThan(0);

    // At its first answer the demo's first sync may still be running: that, and only that, may be named.
    expect(health).toMatchObject({ demo: true, store: { ok: true } });
    const degraded = (health as { status: string; degraded: { part: string }[] }).degraded;
    expect(degraded.filter((p) => p.part !== 'sync.firstSync')).toEqual([]);
    expect((health as { status: string }).status).toBe(degraded.length === 0 ? 'ok' : 'degraded');
    // The logger writes through a worker thread: give the start-up lines a moment to arrive.
    await until(app, Date.now() + 5_000, async () => app.output().includes('BOT AUTHENTICATION IS OFF'));
    expect(app.output()).toContain('BOT AUTHENTICATION IS OFF');
    expect(app.output()).toContain(`OPEN mode: no identity configured`);
    expect(app.output()).toContain(`listening on loopback only, 127.0.0.1:${port}`);
    expect(app.output()).toContain('DEMO');
    expect(app.child.exitCode).toBeNull();

    // It built dist/ first and runs it with plain Node: no TypeScript runner in the process group.
    expect(app.output()).toContain('Building the server into dist/ first');
    expect(existsSync(join(CLONE, 'dist', 'bot', 'index.js'))).toBe(true);
    expect(existsSync(join(CLONE, 'dist', 'bot', 'lgd', 'replay', 'data', 'incidents-slice.csv.gz'))).toBe(true);
    const commands = spawnSync('ps', ['-o', 'args=', '-s', String(app.child.pid)], { encoding: 'utf8' }).stdout;
    expect(commands).toContain('node bot/start.mjs');
    expect(commands).not.toMatch(/tsx/);
    // Nothing a person would have to wonder about: no Node warning (restify's http-deceiver's DEP0111 is dropped at its source).
    expect(app.output()).not.toMatch(/Warning|DEP0\d+|\(node:\d+\)/);
  });

  // Two builds of the server and the tab (tsc, then Vite): well over vitest's default timeout on a busy machine.
  it('builds again only when the sources changed', { timeout: 180_000 }, () => {
    built();
    const needsBuild = (): string =>
      spawnSync(process.execPath, ['--input-type=module', '-e', "import('./bot/build.mjs').then((b) => console.log(b.needsBuild()))"], { cwd: CLONE, encoding: 'utf8' }).stdout.trim();
    expect(needsBuild()).toBe('false');
    appendFileSync(join(CLONE, 'bot', 'app.ts'), '\n// an edit\n');
    expect(needsBuild()).toBe('true');
    rmSync(join(CLONE, 'dist'), { recursive: true, force: true });
    built();
    expect(needsBuild()).toBe('false');
    expect(existsSync(join(CLONE, 'tab', 'dist', 'index.html'))).toBe(true);
    // The tab is built with the server: an edit to its sources builds again too (undone for the tests after this one).
    const main = join(CLONE, 'tab', 'src', 'main.tsx');
    const source = readFileSync(main, 'utf8');
    appendFileSync(main, '\n// an edit\n');
    expect(needsBuild()).toBe('true');
    writeFileSync(main, source);
    expect(needsBuild()).toBe('false');
  });

  it('refuses an invalid PORT at once, naming the variable and the fix, without a stack trace', { timeout: 90_000 }, async () => {
    built();
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

  it('refuses to listen beyond loopback in open mode, naming HOST and the fix, without a stack trace', { timeout: 90_000 }, async () => {
    built();
    const dataDir = mkdtempSync(join(tmpdir(), 'lgd-npm-start-'));
    tempDirs.push(dataDir);
    const app = npmStart({ PORT: String(await freePort()), HOST: '0.0.0.0', DATA_DIR: dataDir, LOG_LEVEL: 'info' });

    const code = await Promise.race([app.exited, sleep(20_000).then(() => 'still running' as const)]);

    expect(code, app.output()).not.toBe('still running');
    expect(code).not.toBe(0);
    const stderr = app.stderr();
    expect(stderr).toContain('HOST: "0.0.0.0" is not a loopback address, and no identity is configured (open mode: no token checks)');
    expect(stderr).toContain('Fix: unset HOST (the default 127.0.0.1 is loopback) or set 127.0.0.1');
    expect(stderr).toContain('configure an identity (MicrosoftAppId, MicrosoftAppTenantId, TAB_SSO_CLIENT_ID, BOT_DOMAIN)');
    expect(stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(app.output()).not.toContain('listening on');
    expect(await groupGone(app.child.pid!)).toBe(true);
  });

  it('says the port is in use and what to do, exits non-zero, and leaves nothing running', { timeout: 90_000 }, async () => {
    built();
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

  it('says the data folder is in use by another instance (with its pid) and what to do, without a stack trace', { timeout: 90_000 }, async () => {
    built();
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
