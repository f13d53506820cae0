import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Int32, Long, ObjectId } from 'mongodb';
import pino from 'pino';
import { StoreError } from '../../bot/errors.js';
import { anchoredLiteral, HOT_DOCUMENTS } from '../../bot/store/embedded-collection.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import { openStore } from '../../bot/store/open-store.js';
import { defineStoreContract } from './store-contract.js';

const root = mkdtempSync(join(tmpdir(), 'store-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => join(root, `d${++dirs}`, 'nested');

const contractDir = freshDir();
defineStoreContract('embedded', {
  open: () => openEmbeddedStore({ dataDir: contractDir }),
  destroy: async () => rmSync(contractDir, { recursive: true, force: true }),
});

describe('embedded store specifics', () => {
  it('is what openStore picks when no MongoDB URI is set, creating the data dir', async () => {
    const logger = pino({ level: 'silent' });
    for (const mongodbUri of [undefined, '', '  ']) {
      const store = await openStore({ mongodbUri, dataDir: freshDir(), logger });
      expect(store.kind).toBe('embedded');
      expect((await store.ping()).ok).toBe(true);
      await store.close();
    }
  });

  it('a write the disk refuses is a StoreError and leaves memory as the disk has it', async () => {
    const dataDir = freshDir();
    const store = await openEmbeddedStore({ dataDir, maxSizeBytes: 256 * 1024 });
    const col = store.collection<{ _id: number; pad: string; v?: number }>('full');
    const pad = 'x'.repeat(4000);
    let stored = 0;
    let refusal: unknown;
    for (let i = 0; i < 500 && refusal === undefined; i++) {
      try {
        await col.insertOne({ _id: i, pad });
        stored++;
      } catch (err) {
        refusal = err;
      }
    }
    expect(refusal).toBeInstanceOf(StoreError);
    expect(refusal).toMatchObject({ code: 'STORE_FAILED' });
    expect(String((refusal as Error).message)).toMatch(/SQLITE_FULL/);
    expect(stored).toBeGreaterThan(10);
    expect(await col.countDocuments()).toBe(stored);
    expect(await col.findOne({ _id: stored })).toBeNull();

    // A batch that cannot fit is refused as a whole, and so is an update that grows a document.
    await expect(col.insertMany([{ _id: 10_001, pad }, { _id: 10_002, pad }, { _id: 10_003, pad: pad.repeat(20) }])).rejects.toBeInstanceOf(StoreError);
    expect(await col.countDocuments({ _id: { $gte: 10_000 } })).toBe(0);
    await expect(col.updateOne({ _id: 0 }, { $set: { pad: pad.repeat(100), v: 1 } })).rejects.toBeInstanceOf(StoreError);
    expect(await col.findOne({ _id: 0 })).toEqual({ _id: 0, pad });
    await expect(col.updateMany({}, { $set: { pad: pad.repeat(3) } })).rejects.toBeInstanceOf(StoreError);
    expect(await col.countDocuments({ pad })).toBe(stored);
    await store.close();

    const reopened = await openEmbeddedStore({ dataDir });
    const again = reopened.collection('full');
    expect(await again.countDocuments()).toBe(stored);
    expect(await again.countDocuments({ pad })).toBe(stored);
    await reopened.close();
  });

  it('refuses a second opener of the same data dir while it is open', async () => {
    const dataDir = freshDir();
    const store = await openEmbeddedStore({ dataDir });
    await store.collection('x').insertOne({ a: 1 });
    await expect(openEmbeddedStore({ dataDir, busyTimeoutMs: 50 })).rejects.toBeInstanceOf(StoreError);
    await store.close();
    const next = await openEmbeddedStore({ dataDir });
    expect(await next.collection('x').countDocuments()).toBe(1);
    await next.close();
  });

  it('refuses reads and writes after close with a StoreError', async () => {
    const store = await openEmbeddedStore({ dataDir: freshDir() });
    const col = store.collection('c');
    await col.insertOne({ a: 1 });
    await store.close();
    await expect(col.insertOne({ a: 2 })).rejects.toBeInstanceOf(StoreError);
    await expect(col.findOne({ a: 1 })).rejects.toBeInstanceOf(StoreError);
    expect(() => store.collection('other')).toThrow(StoreError);
    expect((await store.ping()).ok).toBe(false);
  });

  it('answers an $or of indexed lookups and whole-value regex lookups from the indexes exactly as a scan does', async () => {
    const store = await openEmbeddedStore({ dataDir: freshDir() });
    type P = { _id: string; email?: string | null; upn?: string | string[]; n: number };
    const docs: P[] = [
      { _id: 'a', email: 'ann@example.org', upn: 'ALovelace@example.org', n: 1 },
      { _id: 'b', email: 'Ann@Example.org', n: 2 },
      { _id: 'c', email: null, upn: ['bob@example.org', 'b.smith@example.org'], n: 3 },
      { _id: 'd', upn: 'dbrown@example.org', n: 4 },
      { _id: 'e', email: 'a.b@example.org', n: 5 },
      { _id: 'f', email: 'axb@example.org', n: 6 },
      { _id: 'g', email: '\u212Aate@example.org', n: 7 }, // KELVIN SIGN: lower-cases to "k", matches /^kate@/i only in unicode mode
      { _id: 'h', email: 'kate@example.org', n: 8 },
      { _id: 'i', email: 'ÆRØ@example.org', n: 9 },
    ];
    const indexed = store.collection<P>('people_indexed');
    await indexed.createIndex({ email: 1 });
    await indexed.createIndex({ upn: 1 });
    await indexed.insertMany(docs.map((d) => ({ ...d })));
    const plain = store.collection<P>('people_plain');
    await plain.insertMany(docs.map((d) => ({ ...d })));
    const exactly = (v: string, options = 'i') => ({ $regex: `^${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, $options: options });
    const filters = [
      { $or: [{ email: { $in: ['ann@example.org', 'bob@example.org'] } }, { upn: { $in: ['ann@example.org', 'bob@example.org'] } }] },
      { $or: [{ email: 'kate@example.org' }, { _id: 'd' }] },
      { $or: [{ email: 'kate@example.org' }, { n: 5 }] },
      { email: exactly('ANN@EXAMPLE.ORG') },
      { email: exactly('ann@example.org', '') },
      { email: exactly('a.b@example.org') },
      { email: { $regex: '^a.b@example.org$', $options: 'i' } },
      { email: exactly('kate@example.org') },
      { email: exactly('ærø@example.org') },
      { upn: exactly('B.SMITH@example.org') },
      { upn: exactly('alovelace@example.org'), n: { $gt: 0 } },
    ];
    for (const filter of filters) {
      const want = await plain.find(filter, { sort: { _id: 1 } }).toArray();
      expect(await indexed.find(filter, { sort: { _id: 1 } }).toArray(), JSON.stringify(filter)).toEqual(want);
    }
    await store.close();
  });

  it('reads a whole-value regex as its text only when nothing in it is a pattern', () => {
    expect(anchoredLiteral({ $regex: '^ann\\.lovelace@example\\.org$', $options: 'i' })).toEqual({ text: 'ann.lovelace@example.org', ignoreCase: true });
    expect(anchoredLiteral({ $regex: '^a\\$b$' })).toEqual({ text: 'a$b', ignoreCase: false });
    for (const cond of [{ $regex: '^a.b$' }, { $regex: 'ab$' }, { $regex: '^ab' }, { $regex: '^a\\$' }, { $regex: '^a\\db$' }, { $regex: '^ab$', $options: 'im' }, { $regex: '^ab$', $ne: 'x' }, { $regex: /^ab$/ }]) {
      expect(anchoredLiteral(cond), JSON.stringify(cond)).toBeUndefined();
    }
  });

  it('answers equality on an indexed field from the index, as fast as by _id', async () => {
    const store = await openEmbeddedStore({ dataDir: freshDir() });
    const col = store.collection<{ key: string; n: number }>('big');
    await col.createIndex({ key: 1 }, { unique: true });
    await col.insertMany(Array.from({ length: 20_000 }, (_, n) => ({ key: `k${n}`, n })));
    const t0 = performance.now();
    for (let i = 0; i < 2000; i++) expect((await col.findOne({ key: `k${(i * 7) % 20_000}` }))?.n).toBe((i * 7) % 20_000);
    const indexed = performance.now() - t0;
    const t1 = performance.now();
    for (let i = 0; i < 20; i++) expect(await col.findOne({ n: -1 - i })).toBeNull();
    const scanned = (performance.now() - t1) * 100;
    expect(indexed).toBeLessThan(scanned / 5);
    await store.close();
  });
});

describe('embedded store: documents held as BSON bytes', () => {
  it('keeps at most HOT_DOCUMENTS decoded, and a document read, written or forgotten is always what is stored', async () => {
    const dataDir = freshDir();
    const store = await openEmbeddedStore({ dataDir });
    type D = { _id: number; k: string; at: Date; tags: string[]; inner: { v: number } };
    const col = store.collection<D>('held');
    await col.createIndex({ k: 1 });
    await col.createIndex({ at: -1, _id: 1 });
    const n = HOT_DOCUMENTS + 700;
    const day = Date.UTC(2026, 0, 1);
    await col.insertMany(Array.from({ length: n }, (_, i) => ({ _id: i, k: `k${i % 50}`, at: new Date(day + i * 1000), tags: ['a'], inner: { v: i } })));
    expect(store.decodedHeld('held')).toBeLessThanOrEqual(HOT_DOCUMENTS);

    // What a caller was given is a copy: changing it (and what it passed in) changes nothing stored.
    const read = (await col.findOne({ _id: 3 }))!;
    read.inner.v = -1;
    read.tags.push('mutated');
    read.at.setTime(0);
    const after = (await col.findOneAndUpdate({ _id: 4 }, { $set: { 'inner.v': 40 } }, { returnDocument: 'after' }))!;
    after.inner.v = -2;
    after.tags.length = 0;
    expect(await col.findOne({ _id: 3 })).toEqual({ _id: 3, k: 'k3', at: new Date(day + 3000), tags: ['a'], inner: { v: 3 } });
    expect(await col.findOne({ _id: 4 })).toEqual({ _id: 4, k: 'k4', at: new Date(day + 4000), tags: ['a'], inner: { v: 40 } });

    // Documents written long ago (no longer decoded) are updated, found through every index and deleted as any other.
    await col.updateMany({ k: 'k7' }, { $set: { k: 'moved', at: new Date(day - 1000) } });
    for (let i = 0; i < HOT_DOCUMENTS; i++) await col.findOne({ _id: n - 1 - (i % 600) });
    const moved = await col.find({ k: 'moved' }, { sort: { _id: 1 } }).toArray();
    expect(moved.map((d) => d._id)).toEqual(Array.from({ length: n }, (_, i) => i).filter((i) => i % 50 === 7));
    expect(await col.countDocuments({ k: 'k7' })).toBe(0);
    expect(await col.countDocuments({ k: 'moved' })).toBe(moved.length);
    const newestFirst = await col.find({}, { sort: { at: -1, _id: 1 }, limit: 3 }).toArray();
    expect(newestFirst.map((d) => d._id)).toEqual([n - 1, n - 2, n - 3]);
    const oldestFirst = await col.find({}, { sort: { at: 1, _id: 1 }, limit: moved.length + 1 }).toArray();
    expect(oldestFirst.slice(0, moved.length).map((d) => d._id)).toEqual(moved.map((d) => d._id));
    expect(oldestFirst.at(-1)?._id).toBe(0);
    expect((await col.deleteMany({ k: 'moved' })).deletedCount).toBe(moved.length);
    expect(await col.countDocuments()).toBe(n - moved.length);
    expect(store.decodedHeld('held')).toBeLessThanOrEqual(HOT_DOCUMENTS);
    await store.close();

    // And the file holds the same: reopened, every index is built from the stored bytes.
    const reopened = await openEmbeddedStore({ dataDir });
    const again = reopened.collection<D>('held');
    expect(await again.countDocuments({ k: 'moved' })).toBe(0);
    expect(await again.findOne({ _id: 4 })).toEqual({ _id: 4, k: 'k4', at: new Date(day + 4000), tags: ['a'], inner: { v: 40 } });
    expect((await again.find({ k: 'k8' }).toArray()).length).toBe(Math.ceil((n - 8) / 50));
    expect(reopened.decodedHeld('held')).toBeLessThanOrEqual(HOT_DOCUMENTS);
    await reopened.close();
  });

  it('keeps an insert as its bytes only, and what the caller changes in the documents it passed in afterwards changes nothing stored, indexed or ordered', async () => {
    const store = await openEmbeddedStore({ dataDir: freshDir() });
    type D = { _id: number; k: string; at: Date; inner: { v: number }; tags: string[] };
    const col = store.collection<D>('lent');
    await col.createIndex({ k: 1 });
    await col.createIndex({ 'inner.v': 1 }, { unique: true });
    await col.createIndex({ at: -1, _id: 1 });
    const day = Date.UTC(2026, 0, 1);
    const doc = (i: number): D => ({ _id: i, k: `k${i % 3}`, at: new Date(day + i * 1000), inner: { v: i }, tags: ['a'] });
    await col.insertMany([doc(0), doc(1)]);
    // A sorted read builds the order of the { at, _id } index, which later inserts then join.
    expect((await col.find({}, { sort: { at: -1, _id: 1 }, limit: 1 }).toArray()).map((d) => d._id)).toEqual([1]);
    const held = store.decodedHeld('lent');
    const given = Array.from({ length: 10 }, (_, i) => doc(i + 2));
    await col.insertMany(given);
    await col.insertOne(doc(12));
    // A first sync's thousands of old tickets are not decoded on the way in.
    expect(store.decodedHeld('lent')).toBe(held);

    for (const d of given) {
      d.k = 'changed';
      d.inner.v = -d.inner.v - 100;
      d.at.setTime(day + 1_000_000 - d._id);
      d.tags.push('changed');
    }
    expect(await col.countDocuments({ k: 'changed' })).toBe(0);
    expect((await col.find({ k: 'k2' }, { sort: { _id: 1 } }).toArray()).map((d) => d._id)).toEqual([2, 5, 8, 11]);
    expect(await col.findOne({ 'inner.v': 7 })).toEqual(doc(7));
    expect(await col.findOne({ 'inner.v': -107 })).toBeNull();
    expect((await col.find({}, { sort: { at: -1, _id: 1 }, limit: 3 }).toArray()).map((d) => d._id)).toEqual([12, 11, 10]);
    await expect(col.insertOne({ ...doc(99), inner: { v: 5 } })).rejects.toMatchObject({ code: 11000 });
    await col.insertOne({ ...doc(98), inner: { v: -105 } });
    await store.close();
  });

  it('writes every document of a batch with its own bytes, large (over a MiB) or small, as a reopened store reads them', async () => {
    const dataDir = freshDir();
    const store = await openEmbeddedStore({ dataDir });
    type D = { _id: number; pad: string };
    const docs: D[] = [{ _id: 1, pad: 'a'.repeat(1_500_000) }, { _id: 2, pad: 'b' }, { _id: 3, pad: 'c'.repeat(3000) }, { _id: 4, pad: 'd'.repeat(2_000_000) }, { _id: 5, pad: 'e' }];
    await store.collection<D>('sizes').insertMany(docs.map((d) => ({ ...d })));
    await store.close();
    const reopened = await openEmbeddedStore({ dataDir });
    expect(await reopened.collection<D>('sizes').find({}, { sort: { _id: 1 } }).toArray()).toEqual(docs);
    await reopened.close();
  });

  it('commits batches of inserts, updates and deletes in order: a reopened store finds them in insertion order, and an ordered batch stops at a duplicate', async () => {
    const dataDir = freshDir();
    const store = await openEmbeddedStore({ dataDir });
    type D = { _id: number; v: number };
    const col = store.collection<D>('ordered');
    // Ids falling, so that insertion order is not the order of ids.
    const ids = Array.from({ length: 230 }, (_, i) => 1000 - i * 3);
    await col.insertMany(ids.slice(0, 120).map((_id) => ({ _id, v: 0 })));
    await col.bulkWrite([
      ...ids.slice(120, 180).map((_id) => ({ insertOne: { document: { _id, v: 1 } } })),
      { updateOne: { filter: { _id: ids[5]! }, update: { $set: { v: 5 } } } },
      ...ids.slice(180, 230).map((_id) => ({ insertOne: { document: { _id, v: 2 } } })),
      { deleteOne: { filter: { _id: ids[7]! } } },
    ]);
    const dup = Array.from({ length: 90 }, (_, i) => ({ _id: 5000 + i, v: 3 }));
    dup[75] = { _id: ids[0]!, v: 3 };
    await expect(col.insertMany(dup)).rejects.toMatchObject({ code: 11000 });
    await store.close();

    const reopened = await openEmbeddedStore({ dataDir });
    const found = await reopened.collection<D>('ordered').find({}).toArray();
    const vOf = (id: number): number => (id === ids[5] ? 5 : ids.indexOf(id) < 120 ? 0 : ids.indexOf(id) < 180 ? 1 : 2);
    expect(found).toEqual([...ids.filter((id) => id !== ids[7]).map((_id) => ({ _id, v: vOf(_id) })), ...dup.slice(0, 75)]);
    await reopened.close();
  });

  it('indexes an insert by what its bytes say when a value reads back as another (an Int32, a Long, a lone surrogate, a Map)', async () => {
    const store = await openEmbeddedStore({ dataDir: freshDir() });
    type D = { _id: number; n: unknown; s: string; meta?: unknown };
    const col = store.collection<D>('wrapped');
    await col.createIndex({ n: 1 });
    await col.createIndex({ s: 1 });
    await col.createIndex({ 'meta.n': 1 });
    await col.insertMany([
      { _id: 1, n: new Int32(5), s: 'a', meta: { n: new Int32(7), other: 'x' } },
      { _id: 2, n: Long.fromNumber(5), s: 'b\uD800', meta: { n: 7 } },
      { _id: 3, n: 6, s: 'c', meta: new Map([['n', 7]]) },
    ]);
    // Stored as BSON, both read back as the number 5, the lone surrogate as U+FFFD, the Map as a document: the indexes find them so.
    expect((await col.find({ n: 5 }, { sort: { _id: 1 } }).toArray()).map((d) => d._id)).toEqual([1, 2]);
    expect(await col.countDocuments({ n: 5 })).toBe(2);
    expect((await col.findOne({ s: 'b\uFFFD' }))?._id).toBe(2);
    expect(await col.countDocuments({ 'meta.n': 7 })).toBe(3);
    await store.close();
  });

  it('counts documents by _id from the ids held, decoding none, as a scan counts them', async () => {
    const store = await openEmbeddedStore({ dataDir: freshDir() });
    const col = store.collection<{ _id: string | number | boolean | Date | ObjectId | { x: number }; v: number }>('counted');
    const oid = new ObjectId();
    const at = new Date(Date.UTC(2026, 0, 1));
    await col.insertMany([{ _id: 'a', v: 1 }, { _id: 1, v: 2 }, { _id: oid, v: 3 }, { _id: at, v: 4 }, { _id: { x: 1 }, v: 5 }, { _id: true, v: 6 }]);
    const filters: NonNullable<Parameters<typeof col.countDocuments>[0]>[] = [
      { _id: 'a' },
      { _id: '1' },
      { _id: { $in: ['a', 'a', 1, 2, new ObjectId(oid.toHexString()), new Date(at.getTime()), true] } },
      { _id: { $eq: 1 } },
      { _id: { $in: [] } },
    ];
    const counts: number[] = [];
    for (const filter of filters) counts.push(await col.countDocuments(filter));
    expect(store.decodedHeld('counted')).toBe(0);
    expect(store.examined('counted')).toBe(0);
    expect(counts).toEqual([1, 0, 5, 1, 0]);
    for (const [i, filter] of filters.entries()) expect(counts[i], JSON.stringify(filter)).toBe((await col.find(filter).toArray()).length);
    // Other conditions on _id are judged as before.
    expect(await col.countDocuments({ _id: { x: 1 } })).toBe(1);
    expect(await col.countDocuments({ _id: { $in: ['a'], $ne: 'a' } })).toBe(0);
    expect(await col.countDocuments({ _id: null } as unknown as Parameters<typeof col.countDocuments>[0])).toBe(0);
    await store.close();
  });

  it('answers $nin, $elemMatch and lookups through arrays of documents from the indexes exactly as a scan does, judging only candidates', async () => {
    const store = await openEmbeddedStore({ dataDir: freshDir() });
    type T = { _id: number; state?: string | string[] | null; outbox?: unknown };
    const shapes: Omit<T, '_id'>[] = [
      { state: 'open', outbox: [] },
      { state: 'resolved', outbox: [{ status: 'delivered', settledAt: null }] },
      { state: 'resolved', outbox: [{ status: 'delivered', settledAt: 1 }, { status: 'pending' }] },
      { state: 'owned', outbox: [{ status: ['failed', 'pending'] }] },
      { state: null, outbox: [{ other: 1 }] },
      { outbox: [[{ status: 'pending' }]] },
      { state: ['resolved', 'owned'], outbox: { status: 'pending' } },
      { state: [], outbox: [null, 3, { status: 'delivered' }] },
      { state: 'reassigned', outbox: [{ status: null }] },
      { state: 'resolved', outbox: [{ status: 'delivered', settledAt: null }, { status: 'pending', settledAt: 2 }] },
      { state: 'resolved' },
    ];
    const filler = 400;
    const docs: T[] = [...shapes.map((s, i) => ({ _id: i, ...s })), ...Array.from({ length: filler }, (_, i) => ({ _id: 1000 + i, state: 'resolved', outbox: [] }))];
    const indexed = store.collection<T>('tickets_indexed');
    await indexed.createIndex({ state: 1 });
    await indexed.createIndex({ 'outbox.status': 1 });
    await indexed.insertMany(docs.map((d) => structuredClone(d)));
    const plain = store.collection<T>('tickets_plain');
    await plain.insertMany(docs.map((d) => structuredClone(d)));
    const filters: Record<string, unknown>[] = [
      { 'outbox.status': 'pending' },
      { 'outbox.status': { $in: ['pending', 'failed'] } },
      { 'outbox.status': 'delivered' },
      { 'outbox.status': null },
      { 'outbox.status': { $in: [null, 'pending'] } },
      { state: { $nin: ['resolved', 'reassigned'] } },
      { state: { $nin: [null, 'open'] } },
      { state: { $nin: ['resolved'] }, 'outbox.status': { $nin: ['pending'] } },
      { outbox: { $elemMatch: { status: 'delivered', settledAt: null } } },
      { outbox: { $elemMatch: { status: { $in: ['pending'] } } } },
      { $or: [{ state: { $nin: ['resolved', 'reassigned'] } }, { outbox: { $elemMatch: { status: 'delivered', settledAt: null } } }] },
    ];
    for (const filter of filters) {
      const want = await plain.find(filter, { sort: { _id: 1 } }).toArray();
      expect(await indexed.find(filter, { sort: { _id: 1 } }).toArray(), JSON.stringify(filter)).toEqual(want);
      expect(await indexed.countDocuments(filter), JSON.stringify(filter)).toBe(want.length);
    }
    // Only empty arrays (no document marked uncertain): a count of null still agrees with a scan.
    const empty = store.collection<T>('empty_outboxes');
    await empty.createIndex({ 'outbox.status': 1 });
    await empty.insertMany([{ _id: 1, outbox: [] }, { _id: 2, outbox: [] }, { _id: 3 }]);
    expect(await empty.countDocuments({ 'outbox.status': null })).toBe((await empty.find({ 'outbox.status': null }).toArray()).length);
    expect(await empty.countDocuments({ 'outbox.status': 'pending' })).toBe(0);
    // The lookups the app makes on a large history judge the few candidates, not every document.
    for (const filter of [filters[1], filters[5], filters[10]]) {
      const before = store.examined('tickets_indexed');
      await indexed.find(filter!).toArray();
      expect(store.examined('tickets_indexed') - before, JSON.stringify(filter)).toBeLessThan(shapes.length + 1);
    }
    await store.close();
  });
});
