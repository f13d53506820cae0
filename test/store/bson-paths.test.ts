import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Binary, BSON, Code, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp, type Document } from 'mongodb';
import { pruneBody, readPaths } from '../../bot/store/bson-paths.js';
import { compileWithMingo } from '../../bot/store/compile-filter.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';

const root = mkdtempSync(join(tmpdir(), 'bson-paths-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The document `doc`'s bytes hold with only the fields of `projection` (and those `filter` reads). */
function pruned(doc: Document, projection: Document, filter: Document = {}): Document | undefined {
  const tree = readPaths(filter, projection, undefined);
  if (!tree) throw new Error('no tree');
  const bytes = pruneBody(BSON.serialize(doc), tree);
  return bytes && BSON.deserialize(bytes);
}

describe('pruneBody', () => {
  const every: Document = {
    _id: new ObjectId('65a1b2c3d4e5f60718293a4b'),
    double: new Double(1.5),
    text: 'héllo ✓',
    doc: { a: 1, b: { c: 'x' } },
    list: [1, 'two', { three: 3 }],
    binary: new Binary(Buffer.from([1, 2, 3]), 0x80),
    undef: undefined,
    oid: new ObjectId('65a1b2c3d4e5f60718293a4c'),
    yes: true,
    date: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
    nothing: null,
    regex: /a[bc]+$/im,
    code: new Code('x => x + 1'),
    scoped: new Code('x => y', { y: 2 }),
    int: new Int32(7),
    stamp: new Timestamp({ t: 100, i: 2 }),
    long: Long.fromString('9007199254740993'),
    decimal: Decimal128.fromString('1.10'),
    min: new MinKey(),
    max: new MaxKey(),
    'ünï': 'non-ASCII name',
    last: 'end',
  };
  const bytes = BSON.serialize(every, { ignoreUndefined: false });
  const full = BSON.deserialize(bytes);

  it('keeps each field of every BSON type as the whole document reads it, and the walk finds each field after it', () => {
    for (const field of Object.keys(every)) {
      if (field === '_id') continue;
      const tree = readPaths({}, { [field]: 1, last: 1 }, undefined)!;
      const got = BSON.deserialize(pruneBody(bytes, tree)!);
      expect(got, field).toEqual({ _id: full._id, [field]: full[field], last: 'end' });
    }
  });

  it('keeps only the fields wanted of an embedded document, and an array or scalar on a path whole', () => {
    const doc = { _id: 'k', lgd: { id: 5, title: 't', status: 'Open', deep: { x: 1, y: 2 } }, notes: [{ text: 'n', at: 1 }], state: 's', big: 'x'.repeat(1000) };
    expect(pruned(doc, { 'lgd.id': 1, 'lgd.deep.y': 1 })).toEqual({ _id: 'k', lgd: { id: 5, deep: { y: 2 } } });
    expect(pruned(doc, { _id: 0, 'notes.text': 1, 'state.x': 1 })).toEqual({ _id: 'k', notes: [{ text: 'n', at: 1 }], state: 's' });
    expect(pruned(doc, { 'lgd.id': 1, lgd: 1 })).toEqual({ _id: 'k', lgd: doc.lgd });
    expect(pruned(doc, { 'lgd.missing': 1, absent: 1 })).toEqual({ _id: 'k', lgd: {} });
    // With what the filter reads, through $or and $and.
    expect(pruned(doc, { 'lgd.id': 1 }, { $or: [{ state: 'a' }, { $and: [{ 'lgd.status': 'Open' }] }] })).toEqual({ _id: 'k', lgd: { id: 5, status: 'Open' }, state: 's' });
  });

  it('refuses bytes that do not read as a document', () => {
    const tree = readPaths({}, { a: 1 }, undefined)!;
    const ok = BSON.serialize({ a: 1, b: 'x' });
    expect(pruneBody(ok.subarray(0, ok.length - 1), tree)).toBeUndefined();
    const unknownType = Uint8Array.from(ok);
    unknownType[4] = 0x20;
    expect(pruneBody(unknownType, tree)).toBeUndefined();
    const overlong = Uint8Array.from(ok);
    overlong[ok.length - 7] = 0x7f; // the string's length runs past the end
    expect(pruneBody(overlong, tree)).toBeUndefined();
  });
});

describe('readPaths', () => {
  it('reads only for an inclusion projection of plain paths and a filter of fields', () => {
    expect(readPaths({}, undefined, undefined)).toBeUndefined();
    expect(readPaths({}, {}, undefined)).toBeUndefined();
    expect(readPaths({}, { secret: 0 }, undefined)).toBeUndefined();
    expect(readPaths({}, { _id: 0 }, undefined)).toBeUndefined();
    expect(readPaths({}, { notes: { $slice: 2 } }, undefined)).toBeUndefined();
    expect(readPaths({}, { 'notes.$': 1 }, undefined)).toBeUndefined();
    expect(readPaths({ $where: 'true' }, { a: 1 }, undefined)).toBeUndefined();
    expect(readPaths({ $expr: { $gt: ['$a', '$b'] } }, { a: 1 }, undefined)).toBeUndefined();
    expect(readPaths({ $or: [{ a: 1 }, { $text: { $search: 'x' } }] }, { a: 1 }, undefined)).toBeUndefined();
    const tree = readPaths({ 'lgd.status': 'x', $nor: [{ state: 'y' }] }, { 'lgd.id': 1, _id: 0 }, { at: 1 });
    expect(tree && [...tree.keys()].sort()).toEqual(['_id', 'at', 'lgd', 'state']);
  });
});

describe('projected finds on the embedded store', () => {
  type T = { _id: string; n: number; state: string; lgd: { id: number; status: string; text: string }; outbox: { status: string; settledAt: Date | null }[]; notes: string[] };
  const docs: T[] = Array.from({ length: 300 }, (_, i) => ({
    _id: `t${String(i).padStart(3, '0')}`,
    n: i,
    state: ['needs_triage', 'resolved', 'owned', 'reassigned'][i % 4] as string,
    lgd: { id: 1000 + i, status: i % 5 === 0 ? 'Closed' : 'Open', text: `text ${i}`.repeat(50) },
    outbox: i % 7 === 0 ? [{ status: 'delivered', settledAt: null }] : i % 7 === 1 ? [{ status: 'delivered', settledAt: new Date(0) }] : [],
    notes: [`note ${i}`.repeat(80)],
  }));
  const filters: Document[] = [
    { $or: [{ state: { $nin: ['resolved', 'reassigned'] } }, { outbox: { $elemMatch: { status: 'delivered', settledAt: null } } }], 'lgd.status': { $nin: ['Closed'] } },
    { 'lgd.id': { $gte: 1100 }, state: 'owned' },
    { notes: { $size: 1 }, n: { $lt: 20 } },
    {},
  ];

  it('answers as judging and projecting the whole documents does, and keeps none of them decoded', async () => {
    const store = await openEmbeddedStore({ dataDir: join(root, 'store') });
    const col = store.collection<T>('tickets');
    await col.createIndex({ state: 1 });
    await col.createIndex({ 'outbox.status': 1 });
    await col.insertMany(docs.map((d) => structuredClone(d)));
    const held = store.decodedHeld('tickets');
    for (const filter of filters) {
      const matches = compileWithMingo(filter);
      const want = docs.filter((d) => matches(d)).map((d) => ({ _id: d._id, lgd: { id: d.lgd.id } }));
      const got = await col.find(filter, { projection: { _id: 1, 'lgd.id': 1 } }).toArray();
      expect(got.sort((a, b) => a._id.localeCompare(b._id)), JSON.stringify(filter)).toEqual(want);
      const sorted = await col.find(filter, { projection: { 'lgd.id': 1, _id: 0 }, sort: { n: -1 }, limit: 5 }).toArray();
      expect(sorted).toEqual(want.reverse().slice(0, 5).map((d) => ({ lgd: d.lgd })));
      expect(await col.findOne(filter, { projection: { state: 1 }, sort: { n: 1 } })).toEqual(want.at(-1) ? { _id: want.at(-1)!._id, state: docs.find((d) => d._id === want.at(-1)!._id)!.state } : null);
    }
    // A projected read takes what it reads from each document's bytes: nothing is kept decoded for it.
    expect(store.decodedHeld('tickets')).toBe(held);
    // A whole document read afterwards is the whole document.
    expect(await col.findOne({ _id: 't007' })).toEqual(docs[7]);
    await store.close();
  });
});
