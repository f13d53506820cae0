/**
 * The embedded store's disk refuses writes (SQLite's own limit: writes that would grow the file
 * past `maxSizeBytes` fail with SQLITE_FULL "database or disk is full", as on a full disk; the
 * tests run as root, so a read-only folder would not stop them). While it does, the app says so
 * (the log, /healthz 503, a 503 StoreUnavailable on the API, a clear card and chat answer) and
 * refuses the work instead of acknowledging what it cannot keep: no ticket changes, nothing goes
 * to LGD that the store has not recorded. Once there is room again, it works as before and every
 * write queued before the disk filled reaches LGD exactly once.
 */
import { pino, type Logger } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../bot/errors.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import { ann, dev1, dev2, startRefusalRig, type RefusalRig } from '../support/refusal-rig.js';

function memoryLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  return { logger, lines };
}

let rig: RefusalRig;
const { logger, lines } = memoryLogger();
beforeAll(async () => {
  rig = await startRefusalRig((dataDir) => openEmbeddedStore({ dataDir, maxSizeBytes: 2 * 1024 * 1024 }), logger);
}, 60_000);
afterAll(async () => {
  await rig?.close();
});

const assignments = (key: string) => rig.w.sim.state.assignmentsOf(key).filter((a) => a.userKey);

/** Fills the store file to its limit, then the room left in its pages, so every growing write is refused. */
async function fillTheDisk(): Promise<() => Promise<void>> {
  const filler = rig.w.app.store.collection<{ _id: string; pad: string }>('filler');
  let n = 0;
  for (const size of [4000, 400, 40]) {
    for (let i = 0; i < 5000; i++) {
      try {
        await filler.insertOne({ _id: `${size}-${n++}`, pad: 'x'.repeat(size) });
      } catch (err) {
        expect(err).toBeInstanceOf(StoreError);
        break;
      }
    }
  }
  return async () => {
    await filler.deleteMany({});
  };
}

describe('the embedded store\'s disk refuses writes', () => {
  it('says so, refuses the work and keeps nothing half-done; recovers when there is room; queued writes reach LGD once', async () => {
    const { w, keys, ticket, click, apiTake, health } = rig;
    // Before: T0 approved and delivered; T1 approved, delivered, and taken by Dev Two (queued, not delivered).
    for (const k of keys) expect(await click(ann, 'approve', k)).toMatch(/Approved/);
    await w.app.worker.tick();
    expect(await click(dev2, 'takeOwnership', keys[1]!)).toMatch(/You own LGD/);
    expect((await ticket(keys[1]!)).outbox.at(-1)).toMatchObject({ status: 'pending', write: { kind: 'assign' } });
    const t0Before = await ticket(keys[0]!);
    const from = lines.length;

    const makeRoom = await fillTheDisk();

    // A card action: the ticket's card as it is, saying nothing was saved; the ticket is unchanged.
    const card = await click(dev1, 'takeOwnership', keys[0]!);
    expect(card).toMatch(/could not save or read its data; nothing was changed\. It cannot save anything right now \(its store refuses writes\); please try again in a few minutes/);
    expect(card).not.toMatch(/You own/);
    expect(card).toContain('Ticket 0');
    // The tab API: 503 StoreUnavailable with Retry-After, not a 500.
    const api = await apiTake(dev2, keys[0]!);
    expect(api).toMatchObject({ status: 503, retryAfter: '30', body: { code: 'StoreUnavailable', message: expect.stringMatching(/store refuses writes/) } });
    expect(await ticket(keys[0]!)).toEqual(t0Before);
    // Any other API write the store refuses: the same 503, not a 500.
    const contacts = Array.from({ length: 20 }, (_, i) => `contact.number.${i}.with.a.long.address@finance.lgd.example`);
    expect(await rig.putArea(ann, contacts)).toMatchObject({
      status: 503,
      retryAfter: '30',
      body: { code: 'StoreUnavailable', message: expect.stringMatching(/store refuses writes/) },
    });
    // A chat command that changes something: told the store refuses writes, not "something went wrong".
    expect(await rig.chat(ann, 'day off 2027-03-01 Staff day')).toMatch(/cannot save its data right now \(its store refuses writes\)/);
    // /healthz: 503, naming the store first.
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('down');
    expect(down.body.degraded[0]).toMatchObject({ part: 'store', code: 'STORE_REFUSES_WRITES', message: expect.stringContaining('SQLITE_FULL') });

    // The worker cannot record a delivery, so it sends nothing it could not record (and doubles nothing).
    await w.app.worker.tick({ forceSync: true });
    await w.app.worker.tick();
    expect(assignments(keys[1]!).length).toBeLessThanOrEqual(1);
    expect(assignments(keys[0]!)).toHaveLength(0);
    // The log says the store refuses writes, naming SQLite's reason.
    const said = lines.slice(from).filter((l) => (l.level as number) >= 50 && JSON.stringify(l).includes('SQLITE_FULL'));
    expect(said.length).toBeGreaterThan(0);

    // Room again: everything works, and Dev Two's queued assignment reached LGD exactly once.
    await makeRoom();
    await w.app.worker.tick({ forceSync: true });
    await w.app.worker.tick({ forceSync: true });
    expect((await health()).status).toBe(200);
    expect(assignments(keys[1]!).map((a) => a.userKey)).toHaveLength(1);
    expect(await ticket(keys[1]!)).toMatchObject({ state: 'owned', owner: { title: 'Dev Two' } });
    expect((await ticket(keys[1]!)).outbox.at(-1)).toMatchObject({ status: 'delivered' });
    expect(await click(dev1, 'takeOwnership', keys[0]!)).toMatch(/You own LGD/);
    expect(await rig.chat(ann, 'day off 2027-03-01 Staff day')).not.toMatch(/Sorry/);
    await w.app.worker.tick();
    expect(assignments(keys[0]!)).toHaveLength(1);
  }, 60_000);
});
