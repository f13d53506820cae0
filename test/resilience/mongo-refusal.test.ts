/**
 * MongoDB failing under the app (no server here, so the embedded store stands in, its writes
 * failing with the MongoDB driver's own error classes as a real server would make them fail): the
 * API answers 503 StoreUnavailable with Retry-After instead of 500, the card and the chat say the
 * store refuses writes (or, when the connection broke mid-write, that the app cannot tell whether
 * the change was kept), and the ticket is unchanged; once MongoDB answers again everything works.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Document } from 'mongodb';
import type { DocCollection, Store } from '../../bot/store/doc-collection.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import { startTeamsWorld, type TeamsWorld } from '../support/teams-world.js';
import { cardAction, personalMessage, postActivity, testUser, type TestUser } from '../support/teams-activities.js';

const ann = testUser(1, 'Ann Lead', 'ann.lead@lgd.example');
const dev1 = testUser(2, 'Dev One', 'dev.one@lgd.example');

const WRITES = new Set(['insertOne', 'insertMany', 'updateOne', 'updateMany', 'replaceOne', 'deleteOne', 'deleteMany', 'findOneAndUpdate', 'findOneAndReplace', 'findOneAndDelete', 'bulkWrite']);

/** A store whose writes throw `failure()` while it returns an error (as MongoDB's driver throws them). */
function failingWrites(inner: Store, failure: () => Error | null): Store {
  return {
    kind: inner.kind,
    exclusive: inner.exclusive,
    ping: () => inner.ping(),
    close: () => inner.close(),
    collection<T extends Document>(name: string): DocCollection<T> {
      const c = inner.collection<T>(name);
      return new Proxy(c, {
        get(target, prop, receiver) {
          const value: unknown = Reflect.get(target, prop, receiver);
          if (typeof prop !== 'string' || !WRITES.has(prop) || typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            const err = failure();
            if (err) return Promise.reject(err);
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
    },
  };
}

let w: TeamsWorld;
let dir: string;
let failWith: (() => Error) | null = null;
const keys: string[] = [];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lgd-mongo-refusal-'));
  const store = failingWrites(await openEmbeddedStore({ dataDir: dir }), () => failWith?.() ?? null);
  w = await startTeamsWorld({
    users: [ann, dev1],
    analysts: [ann, dev1],
    leads: [ann.email],
    store,
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
const click = async (who: TestUser, verb: string, key: string): Promise<string> => {
  const r = await postActivity(w.app.url, cardAction(w.connector.url, who, verb, { ticketKey: key, v: (await ticket(key)).version }));
  expect(r.status).toBe(200);
  return JSON.stringify((r.body as { value?: unknown }).value);
};
const apiTake = async (who: TestUser, key: string) => {
  const res = await fetch(`${w.app.url}/api/tickets/${key}/take`, {
    method: 'POST',
    headers: { 'x-demo-person': who.email, 'content-type': 'application/json' },
    body: JSON.stringify({ v: (await ticket(key)).version }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { code?: string; message?: string } };
};
const lastChatReply = (to: TestUser): string => {
  const sent = w.connector.calls.filter((c) => c.method === 'POST' && c.path.includes(encodeURIComponent(`a:personal-${to.id}`)));
  const text = (sent.at(-1)?.body as { text?: unknown } | undefined)?.text;
  return typeof text === 'string' ? text : '';
};

describe('MongoDB refusing or losing writes', () => {
  it('is said as such on every door, changes nothing, and everything works once MongoDB is back', async () => {
    for (const k of keys) expect(await click(ann, 'approve', k)).toMatch(/Approved/);
    const before = await ticket(keys[0]!);

    for (const [what, make, said] of [
      ['no server reachable', () => new MongoServerSelectionError('Server selection timed out after 5000 ms', {} as never), /store refuses writes/],
      ['out of disk space', () => new MongoServerError({ code: 14031, codeName: 'OutOfDiskSpace', errmsg: 'disk full' }), /store refuses writes/],
      ['the connection broke mid-write', () => new MongoNetworkError('connection 4 to 10.0.0.4:27017 closed'), /cannot tell whether your change was kept/],
    ] as const) {
      failWith = make;
      const api = await apiTake(dev1, keys[0]!);
      expect(api, what).toMatchObject({ status: 503, retryAfter: '30', body: { code: 'StoreUnavailable', message: expect.stringMatching(said) } });
      const card = await click(dev1, 'takeOwnership', keys[0]!);
      expect(card, what).toMatch(said);
      expect(card, what).not.toMatch(/You own/);
      const settings = await fetch(`${w.app.url}/api/settings/areas/Finance`, {
        method: 'PUT',
        headers: { 'x-demo-person': ann.email, 'content-type': 'application/json' },
        body: JSON.stringify({ contacts: ['finance.lead@lgd.example'] }),
      });
      expect({ status: settings.status, body: (await settings.json()) }, what).toMatchObject({ status: 503, body: { code: 'StoreUnavailable' } });
      await postActivity(w.app.url, personalMessage(w.connector.url, ann, 'day off 2027-03-01 Staff day'));
      expect(lastChatReply(ann), what).toMatch(what === 'the connection broke mid-write' ? /lost contact with its store/ : /its store refuses writes/);
      failWith = null;
      expect(await ticket(keys[0]!), what).toEqual(before);
    }

    // MongoDB answers again: the same actions work.
    expect(await click(dev1, 'takeOwnership', keys[0]!)).toMatch(/You own LGD/);
    expect((await apiTake(ann, keys[1]!)).status).toBe(200);
  }, 60_000);
});
