/**
 * MongoDB failing under the app (no server here, so the embedded store stands in, its writes
 * failing with the MongoDB driver's own error classes as a real server would make them fail): the
 * API answers 503 StoreUnavailable with Retry-After instead of 500, the card and the chat say the
 * store refuses writes (or, when the connection broke mid-write, that the app cannot tell whether
 * the change was kept), and the ticket is unchanged; once MongoDB answers again everything works.
 */
import { MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Document } from 'mongodb';
import type { DocCollection, Store } from '../../bot/store/doc-collection.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import { ann, dev1, startRefusalRig, type RefusalRig } from '../support/refusal-rig.js';

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

let rig: RefusalRig;
let failWith: (() => Error) | null = null;
beforeAll(async () => {
  rig = await startRefusalRig(async (dataDir) => failingWrites(await openEmbeddedStore({ dataDir }), () => failWith?.() ?? null));
}, 60_000);
afterAll(async () => {
  await rig?.close();
});

describe('MongoDB refusing or losing writes', () => {
  it('is said as such on every door, changes nothing, and everything works once MongoDB is back', async () => {
    const { keys, ticket, click, apiTake } = rig;
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
      expect(await rig.putArea(ann, ['finance.lead@lgd.example']), what).toMatchObject({ status: 503, body: { code: 'StoreUnavailable' } });
      expect(await rig.chat(ann, 'day off 2027-03-01 Staff day'), what).toMatch(what === 'the connection broke mid-write' ? /lost contact with its store/ : /its store refuses writes/);
      failWith = null;
      expect(await ticket(keys[0]!), what).toEqual(before);
    }

    // MongoDB answers again: the same actions work.
    expect(await click(dev1, 'takeOwnership', keys[0]!)).toMatch(/You own LGD/);
    expect((await apiTake(ann, keys[1]!)).status).toBe(200);
  }, 60_000);
});
