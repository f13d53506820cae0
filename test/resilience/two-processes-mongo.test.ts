/**
 * Two instances as two processes on MongoDB (`MONGODB_URI`): the real app (`bot/index.ts`) twice,
 * sharing one throw-away database and one LGD simulator. Exactly one holds the worker lease (its
 * /healthz says `leader`), and only it syncs; when it is killed (SIGKILL: its lease is left held),
 * the other takes over within a lease period (MongoDB proves nothing about the dead process, so
 * the lease runs out first), and keeps the tickets in step with LGD. Skipped, with the reason in
 * its name, when MONGODB_URI is not set (no MongoDB server can be installed on the build machines).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { startLgdSimulator, type LgdSimulator } from '../../bot/lgd/simulator/lgd-simulator.js';
import { seedTeam, TEAM } from '../support/sync-harness.js';
import { freePort } from '../support/app-process.js';

const uri = process.env.MONGODB_URI;
const ROOT = resolve(import.meta.dirname, '../..');
const POLL_SECONDS = 5;
/** The worker's lease term (bot/sync/build-worker.ts): three polls, at least a minute. */
const LEASE_MS = Math.max(3 * POLL_SECONDS * 1000, 60_000);

interface Child {
  proc: ChildProcess;
  base: string;
  output: () => string;
  exited: Promise<void>;
}
const children: Child[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of children) {
    if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
    await c.exited;
  }
  for (const f of cleanups.reverse()) await f();
});

async function startInstance(env: Record<string, string>): Promise<Child> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'lgd-mongo-two-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bot/index.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env, PORT: String(port), DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  proc.stderr?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const child: Child = { proc, base: `http://127.0.0.1:${port}`, output: () => out, exited: new Promise<void>((ok) => proc.once('exit', () => ok())) };
  children.push(child);
  return child;
}

const sleep = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));

/** The instance's own view: does it hold the worker lease (null while it is not answering). */
async function leader(c: Child): Promise<boolean | null> {
  try {
    const res = await fetch(`${c.base}/healthz`, { signal: AbortSignal.timeout(2_000) });
    return ((await res.json()) as { sync: { leader: boolean } }).sync.leader;
  } catch (err) {
    if (err instanceof Error) return null;
    throw err;
  }
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | null>): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(200);
  }
}

describe.skipIf(!uri)(uri ? 'two app processes on MongoDB (MONGODB_URI)' : 'two app processes on MongoDB (skipped: set MONGODB_URI to run it against a MongoDB server)', () => {
  it('one works; when it is killed, the other takes over within a lease period', { timeout: LEASE_MS + 90_000 }, async () => {
    const dbName = `two_processes_${Date.now()}_${process.pid}`;
    cleanups.push(async () => {
      const client = await MongoClient.connect(uri!);
      try {
        await client.db(dbName).dropDatabase();
      } finally {
        await client.close();
      }
    });
    const sim: LgdSimulator = await startLgdSimulator();
    cleanups.push(() => sim.close());
    const { team } = seedTeam(sim.state, 8);
    const env = { MONGODB_URI: uri!, MONGODB_DB: dbName, LGD_URL: sim.baseUrl, LGD_USERNAME: 'lgd.service', LGD_PASSWORD: 'lgd-simulator', LGD_POLL_SECONDS: String(POLL_SECONDS), LGD_GROUPS: TEAM, LOG_LEVEL: 'info' };

    const [a, b] = [await startInstance(env), await startInstance(env)];
    const both = async (): Promise<[boolean | null, boolean | null]> => [await leader(a), await leader(b)];
    // Both answer, and exactly one leads; it stays that way over several ticks.
    await until('one leader of two', 60_000, async () => {
      const [la, lb] = await both();
      return la !== null && lb !== null && la !== lb ? true : null;
    });
    for (let i = 0; i < 10; i++) {
      const [la, lb] = await both();
      expect([la, lb].filter(Boolean), `a: ${a.output().slice(-2000)}\nb: ${b.output().slice(-2000)}`).toHaveLength(1);
      await sleep(300);
    }
    const [la] = await both();
    const [working, other] = la ? [a, b] : [b, a];

    working.proc.kill('SIGKILL');
    await working.exited;
    const killedAt = Date.now();
    // A ticket raised after the kill reaches the store only through the instance that takes over.
    const late = sim.state.raiseIncident({ title: 'Raised after the kill', groupKey: team.guid, status: 'Active', raiseUser: 'Pat User' });
    const tookMs = await until('the other instance to take over', LEASE_MS + 30_000, async () => ((await leader(other)) ? Date.now() - killedAt : null));
    expect(tookMs).toBeLessThanOrEqual(LEASE_MS + 10_000);
    await until('the late ticket in the survivor\'s list', 30_000, async () => {
      const res = await fetch(`${other.base}/api/tickets?pageSize=50`);
      const body = (await res.json()) as { items: { key: string }[] };
      return body.items.some((t) => t.key.toLowerCase() === late.key.toLowerCase()) ? true : null;
    });
  });
});
