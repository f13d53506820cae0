/**
 * Two instances: two worker loops sharing one store in one process, against the simulator over
 * real HTTP. Exactly one works (syncs and delivers; the other makes no LGD call), also when the
 * second starts while the first is in the middle of a pass; when the first stops as a killed
 * process does (its lease left held), the other takes over once the lease period has run out and
 * not before, and delivers what was queued meanwhile exactly once; a clean stop hands over at once;
 * a pass longer than the lease term keeps the lease (renewed as it runs).
 * The lease's clock is controlled; the rest runs in real time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type AppConfig } from '../../bot/config.js';
import { startLgdSimulator, type LgdSimulator } from '../../bot/lgd/simulator/lgd-simulator.js';
import { approve } from '../../bot/domain/commands.js';
import { openEmbeddedStore, type EmbeddedStore } from '../../bot/store/embedded-store.js';
import { CommandService } from '../../bot/sync/command-service.js';
import { COLLECTIONS } from '../../bot/store/collections.js';
import type { LeaseDoc } from '../../bot/store/lease.js';
import { startLgdGate, type LgdGate } from '../support/lgd-gate.js';
import { seedTeam, TestClock } from '../support/sync-harness.js';
import { workerInstance, type WorkerInstance } from '../support/worker-instance.js';

const TICKETS = 12;
const logger = pino({ level: 'silent' });
let sim: LgdSimulator;
let gate: LgdGate;
let store: EmbeddedStore;
let dir: string;
let config: AppConfig;
const clock = new TestClock(Date.parse('2026-12-02T09:00:00Z'));
const instances: WorkerInstance[] = [];

beforeAll(async () => {
  sim = await startLgdSimulator();
  seedTeam(sim.state, TICKETS);
  gate = await startLgdGate(sim.baseUrl);
  dir = mkdtempSync(join(tmpdir(), 'lgd-two-'));
  store = await openEmbeddedStore({ dataDir: dir });
  config = loadConfig({ PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'silent', LGD_URL: gate.baseUrl, LGD_USERNAME: 'lgd.service', LGD_PASSWORD: 'lgd-simulator', LGD_POLL_SECONDS: '3600' });
});
afterAll(async () => {
  for (const i of instances) await i.worker.stop();
  await store?.close();
  await gate?.close();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const start = async (name: string): Promise<WorkerInstance> => {
  const i = await workerInstance(name, store, config, logger, clock.now);
  instances.push(i);
  return i;
};
/** One tick of every instance at once, as their timers would fire; then who led. */
const tickAll = async (xs: WorkerInstance[], opts: { forceSync?: boolean } = {}): Promise<string[]> => {
  await Promise.all(xs.map((x) => x.worker.tick(opts)));
  return xs.filter((x) => x.worker.status().leader).map((x) => x.name);
};
const notesSaying = (key: string, text: string) => sim.state.notesOf(key).filter((n) => n.text.includes(text));

describe('two worker loops sharing one store', () => {
  let a: WorkerInstance;
  let b: WorkerInstance;
  const ttlMs = () => Math.max(3 * config.sync.pollSeconds * 1000, 60_000);

  it('one works, also when the second starts in the middle of the first one\'s pass; the other makes no LGD call', async () => {
    a = await start('instance-a');
    await a.worker.tick({ forceSync: true });
    expect(a.worker.status().leader).toBe(true);
    expect(await a.repos.tickets.list({ limit: 100 })).toHaveLength(TICKETS);

    // A is in the middle of a sync (held at LGD's door) when B starts and ticks.
    const held = gate.hold((r) => r.method === 'GET');
    const aPass = a.worker.tick({ forceSync: true });
    await held.arrived;
    b = await start('instance-b');
    await b.worker.tick({ forceSync: true });
    expect(b.worker.status().leader).toBe(false);
    expect(b.lgdCalls).toEqual([]);
    held.release();
    await aPass;

    for (let round = 0; round < 5; round++) {
      clock.advance(20_000);
      expect(await tickAll([a, b], { forceSync: true })).toEqual(['instance-a']);
    }
    expect(b.lgdCalls).toEqual([]);
    expect(a.lgdCalls.length).toBeGreaterThan(0);
  });

  /** Waits (a few seconds at most) until instance A has renewed the lease at the lease clock's present time. */
  const renewedByA = async (): Promise<void> => {
    const leases = store.collection<LeaseDoc>(COLLECTIONS.leases);
    const end = Date.now() + 10_000;
    for (;;) {
      const doc = await leases.findOne({ _id: 'worker' });
      if (doc?.holder === 'instance-a' && doc.expiresAt.getTime() === clock.now().getTime() + ttlMs()) return;
      if (Date.now() > end) throw new Error(`instance A did not renew its lease during the pass: ${JSON.stringify(doc)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('a pass longer than the lease term keeps the lease: the other does not start working meanwhile', async () => {
    const callsBefore = b.lgdCalls.length;
    const held = gate.hold((r) => r.method === 'GET');
    const aPass = a.worker.tick({ forceSync: true });
    await held.arrived;
    // The pass outlasts its lease term twice over; the holder renews as it goes (checked each second).
    for (let i = 0; i < 4; i++) {
      clock.advance(ttlMs() / 2);
      await renewedByA();
      await b.worker.tick({ forceSync: true });
      expect(b.worker.status().leader).toBe(false);
    }
    expect(b.lgdCalls.length).toBe(callsBefore);
    held.release();
    await aPass;
    expect(await tickAll([a, b])).toEqual(['instance-a']);
  });

  it('when the working one dies (lease left held), the other takes over once the lease period runs out, not before, and delivers what was queued once', async () => {
    await a.crash();
    const diedAt = clock.now().getTime();
    // A write queued while nobody works (the request side keeps accepting commands).
    const commands = new CommandService(b.repos.tickets);
    const [first] = await b.repos.tickets.list({ limit: 1 });
    const queued = await commands.run(first!._id, { name: 'Ann Lead' }, approve);
    expect(queued.ok).toBe(true);

    clock.advance(ttlMs() - 5_000);
    expect(await tickAll([b])).toEqual([]);
    expect(b.lgdCalls).toEqual([]);
    expect(notesSaying(first!._id, 'Approved')).toHaveLength(0);

    clock.advance(5_001);
    expect(await tickAll([b])).toEqual(['instance-b']);
    expect(clock.now().getTime() - diedAt).toBeLessThanOrEqual(ttlMs() + 1);
    expect(b.lgdCalls.length).toBeGreaterThan(0);
    expect((await b.repos.tickets.get(first!._id))!.outbox.at(-1)).toMatchObject({ status: 'delivered' });
    await tickAll([b], { forceSync: true });
    expect(notesSaying(first!._id, 'Approved')).toHaveLength(1);
  });

  it('a clean stop hands over at once', async () => {
    const c = await start('instance-c');
    expect(await tickAll([b, c])).toEqual(['instance-b']);
    await b.worker.stop();
    const callsBefore = c.lgdCalls.length;
    expect(await tickAll([c], { forceSync: true })).toEqual(['instance-c']);
    expect(c.lgdCalls.length).toBeGreaterThan(callsBefore);
  });
});
