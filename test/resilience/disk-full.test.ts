/**
 * The embedded store's disk refuses writes (SQLite's own limit: writes that would grow the file
 * past `maxSizeBytes` fail with SQLITE_FULL "database or disk is full", as on a full disk; the
 * tests run as root, so a read-only folder would not stop them). While it does, the app says so
 * (the log, /healthz 503, a 503 StoreUnavailable on the API, a clear card and chat answer) and
 * refuses the work instead of acknowledging what it cannot keep: no ticket changes, nothing goes
 * to LGD that the store has not recorded. Once there is room again, it works as before and every
 * write queued before the disk filled reaches LGD exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../bot/errors.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import { startTeamsWorld, type TeamsWorld } from '../support/teams-world.js';
import { cardAction, personalMessage, postActivity, testUser, type TestUser } from '../support/teams-activities.js';

const ann = testUser(1, 'Ann Lead', 'ann.lead@lgd.example');
const dev1 = testUser(2, 'Dev One', 'dev.one@lgd.example');
const dev2 = testUser(3, 'Dev Two', 'dev.two@lgd.example');

function memoryLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  return { logger, lines };
}

let w: TeamsWorld;
let dir: string;
const keys: string[] = [];
const { logger, lines } = memoryLogger();
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lgd-full-'));
  const store = await openEmbeddedStore({ dataDir: dir, maxSizeBytes: 2 * 1024 * 1024 });
  w = await startTeamsWorld({
    users: [ann, dev1, dev2],
    analysts: [ann, dev1, dev2],
    leads: [ann.email],
    store,
    logger,
    seed: (sim, team) => {
      for (let i = 0; i < 2; i++) keys.push(sim.state.raiseIncident({ title: `Ticket ${i}`, groupKey: team.guid, status: 'Active', raiseUser: 'Pat User' }).key);
    },
  });
  await w.install(ann);
}, 60_000);
afterAll(async () => {
  await w?.close();
  rmSync(dir, { recursive: true, force: true });
});

const ticket = async (k: string) => (await w.app.tickets.get(k))!;
const click = async (who: TestUser, verb: string, key: string): Promise<{ status: number; text: string }> => {
  const r = await postActivity(w.app.url, cardAction(w.connector.url, who, verb, { ticketKey: key, v: (await ticket(key)).version }));
  const body = r.body as { type?: string; value?: unknown };
  expect(r.status).toBe(200);
  expect(body.type, JSON.stringify(body)).toBe('application/vnd.microsoft.card.adaptive');
  return { status: r.status, text: JSON.stringify(body.value) };
};
const apiTake = async (who: TestUser, key: string) => {
  const res = await fetch(`${w.app.url}/api/tickets/${key}/take`, {
    method: 'POST',
    headers: { 'x-demo-person': who.email, 'content-type': 'application/json' },
    body: JSON.stringify({ v: (await ticket(key)).version }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { code?: string; message?: string } };
};
const health = async () => {
  const res = await fetch(`${w.app.url}/healthz`);
  return { status: res.status, body: (await res.json()) as { status: string; degraded: { part: string; code: string; message: string }[] } };
};
/** The personal chat replies the bot sent `to`, newest last. */
const chatReplies = (to: TestUser): string[] =>
  w.connector.calls.filter((c) => c.method === 'POST' && c.path.includes(encodeURIComponent(`a:personal-${to.id}`))).map((c) => {
    const text = (c.body as { text?: unknown }).text;
    return typeof text === 'string' ? text : '';
  });
const assignments = (key: string) => w.sim.state.assignmentsOf(key).filter((a) => a.userKey);

/** Fills the store file to its limit, then the room left in its pages, so every growing write is refused. */
async function fillTheDisk(): Promise<() => Promise<void>> {
  const filler = w.app.store.collection<{ _id: string; pad: string }>('filler');
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
    // Before: T0 approved and delivered; T1 approved, delivered, and taken by Dev Two (queued, not delivered).
    for (const k of keys) expect((await click(ann, 'approve', k)).text).toMatch(/Approved/);
    await w.app.worker.tick();
    expect((await click(dev2, 'takeOwnership', keys[1]!)).text).toMatch(/You own LGD/);
    expect((await ticket(keys[1]!)).outbox.at(-1)).toMatchObject({ status: 'pending', write: { kind: 'assign' } });
    const t0Before = await ticket(keys[0]!);
    const from = lines.length;

    const makeRoom = await fillTheDisk();

    // A card action: the ticket's card as it is, saying nothing was saved; the ticket is unchanged.
    const card = await click(dev1, 'takeOwnership', keys[0]!);
    expect(card.text).toMatch(/could not save or read its data; nothing was changed\. It cannot save anything right now \(its store refuses writes\); please try again in a few minutes/);
    expect(card.text).not.toMatch(/You own/);
    expect(card.text).toContain('Ticket 0');
    // The tab API: 503 StoreUnavailable with Retry-After, not a 500.
    const api = await apiTake(dev2, keys[0]!);
    expect(api).toMatchObject({ status: 503, retryAfter: '30', body: { code: 'StoreUnavailable', message: expect.stringMatching(/store refuses writes/) } });
    expect(await ticket(keys[0]!)).toEqual(t0Before);
    // Any other API write the store refuses: the same 503, not a 500.
    const contacts = Array.from({ length: 20 }, (_, i) => `contact.number.${i}.with.a.long.address@finance.lgd.example`);
    const area = await fetch(`${w.app.url}/api/settings/areas/Finance`, { method: 'PUT', headers: { 'x-demo-person': ann.email, 'content-type': 'application/json' }, body: JSON.stringify({ contacts }) });
    expect({ status: area.status, retryAfter: area.headers.get('retry-after'), body: await area.json() }).toMatchObject({
      status: 503,
      retryAfter: '30',
      body: { code: 'StoreUnavailable', message: expect.stringMatching(/store refuses writes/) },
    });
    // A chat command that changes something: told the store refuses writes, not "something went wrong".
    await postActivity(w.app.url, personalMessage(w.connector.url, ann, 'day off 2027-03-01 Staff day'));
    expect(chatReplies(ann).at(-1)).toMatch(/cannot save its data right now \(its store refuses writes\)/);
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
    expect((await click(dev1, 'takeOwnership', keys[0]!)).text).toMatch(/You own LGD/);
    await postActivity(w.app.url, personalMessage(w.connector.url, ann, 'day off 2027-03-01 Staff day'));
    expect(chatReplies(ann).at(-1)).not.toMatch(/Sorry/);
    await w.app.worker.tick();
    expect(assignments(keys[0]!)).toHaveLength(1);
  }, 60_000);
});
