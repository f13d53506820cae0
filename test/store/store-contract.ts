/**
 * The store contract: what the repositories rely on, run against the embedded store always and
 * against MongoDB when MONGODB_URI is set. Every expectation here is MongoDB's behaviour.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectId, type Document, type Filter } from 'mongodb';
import { RELAXED_WRITE, type DocCollection, type Store } from '../../bot/store/doc-collection.js';
import { isDuplicateKeyError } from '../../bot/store/duplicate-key.js';

/** How the contract gets at a backend. */
export interface StoreFactory {
  /** Opens the store; after `close()`, opening again must reach the same data (a restart). */
  open(): Promise<Store>;
  /** Removes whatever the run left behind (temp dir, database). */
  destroy(): Promise<void>;
}

interface Ticket {
  _id: string;
  title: string;
  state: 'new' | 'triaged' | 'owned' | 'resolved';
  priority: number;
  openedAt: Date;
  owner: string | null;
  tags: string[];
  notes: { by: string; at: Date; text: string }[];
  lgd: { id: number; group: string };
  project?: { key: string };
}

/** A schemaless document whose _id may be a string, a number or an ObjectId, as in the tests below. */
interface Loose extends Document {
  _id?: string | number | ObjectId;
}

/** The document the update tests work on. */
interface Counted {
  _id: string;
  n: number;
  at: Date;
  tags: string[];
  items: { k: number }[];
  owner?: string;
  meta: { v?: number };
  deep?: { new?: { field?: boolean } };
  attempts?: number;
  top?: number;
  seenAt?: Date;
  only?: string;
}

const day = (d: number): Date => new Date(Date.UTC(2024, 0, d, 9, 0, 0));

function tickets(): Ticket[] {
  return [
    { _id: 'T1', title: 'Printer jam on floor 2', state: 'new', priority: 2, openedAt: day(1), owner: null, tags: ['printer', 'hardware'], notes: [], lgd: { id: 101, group: 'ops' } },
    { _id: 'T2', title: 'VPN drops', state: 'owned', priority: 1, openedAt: day(2), owner: 'amy', tags: ['network'], notes: [{ by: 'amy', at: day(3), text: 'Looking' }], lgd: { id: 102, group: 'ops' } },
    { _id: 'T3', title: 'New starter laptop', state: 'triaged', priority: 3, openedAt: day(3), owner: null, tags: ['hardware'], notes: [{ by: 'bob', at: day(4), text: 'Approved' }], lgd: { id: 103, group: 'desk' }, project: { key: 'P-7' } },
    { _id: 'T4', title: 'printer toner', state: 'resolved', priority: 4, openedAt: day(4), owner: 'bob', tags: [], notes: [{ by: 'bob', at: day(5), text: 'Done' }, { by: 'amy', at: day(6), text: 'Confirmed' }], lgd: { id: 104, group: 'ops' } },
    { _id: 'T5', title: 'Mailbox full', state: 'owned', priority: 2, openedAt: day(5), owner: 'cat', tags: ['email', 'network'], notes: [], lgd: { id: 105, group: 'desk' } },
  ];
}

/** Filters the repositories use, each with the ids MongoDB returns for the fixture above. */
const FILTER_CASES: [string, Filter<Ticket>, string[]][] = [
  ['equality', { state: 'owned' }, ['T2', 'T5']],
  ['equality on _id', { _id: 'T3' }, ['T3']],
  ['dotted path', { 'lgd.group': 'desk' }, ['T3', 'T5']],
  ['dotted path number', { 'lgd.id': 104 }, ['T4']],
  ['$eq', { priority: { $eq: 2 } }, ['T1', 'T5']],
  ['$ne', { state: { $ne: 'owned' } }, ['T1', 'T3', 'T4']],
  ['$gt', { priority: { $gt: 2 } }, ['T3', 'T4']],
  ['$gte', { priority: { $gte: 2 } }, ['T1', 'T3', 'T4', 'T5']],
  ['$lt', { priority: { $lt: 2 } }, ['T2']],
  ['$lte', { priority: { $lte: 2 } }, ['T1', 'T2', 'T5']],
  ['$gt / $lt on dates', { openedAt: { $gt: day(2), $lt: day(5) } }, ['T3', 'T4']],
  ['equality on a date', { openedAt: day(4) }, ['T4']],
  ['$in', { state: { $in: ['new', 'resolved'] } }, ['T1', 'T4']],
  ['$in on _id', { _id: { $in: ['T5', 'T1', 'nope'] } }, ['T1', 'T5']],
  ['$nin', { state: { $nin: ['new', 'resolved'] } }, ['T2', 'T3', 'T5']],
  ['$exists true', { project: { $exists: true } }, ['T3']],
  ['$exists false', { project: { $exists: false } }, ['T1', 'T2', 'T4', 'T5']],
  ['null matches null', { owner: null }, ['T1', 'T3']],
  ['null matches missing', { 'project.key': null }, ['T1', 'T2', 'T4', 'T5']],
  ['$and', { $and: [{ state: 'owned' }, { priority: { $lt: 2 } }] }, ['T2']],
  ['$or', { $or: [{ owner: 'bob' }, { priority: 1 }] }, ['T2', 'T4']],
  ['$not', { priority: { $not: { $gt: 2 } } }, ['T1', 'T2', 'T5']],
  ['$regex string', { title: { $regex: '^printer', $options: 'i' } }, ['T1', 'T4']],
  ['$regex RegExp', { title: /laptop$/ }, ['T3']],
  ['$not $regex', { title: { $not: /printer/i } }, ['T2', 'T3', 'T5']],
  ['array contains', { tags: 'hardware' }, ['T1', 'T3']],
  ['array $in', { tags: { $in: ['email', 'printer'] } }, ['T1', 'T5']],
  ['array $size', { tags: { $size: 0 } }, ['T4']],
  ['$elemMatch', { notes: { $elemMatch: { by: 'amy', at: { $gte: day(6) } } } }, ['T4']],
  ['dotted path into array', { 'notes.by': 'bob' }, ['T3', 'T4']],
  ['combined', { state: { $in: ['owned', 'triaged'] }, 'lgd.group': 'desk', tags: { $ne: 'email' } }, ['T3']],
];

/** Defines the contract suite for one backend. */
export function defineStoreContract(label: string, factory: StoreFactory): void {
  describe(`store contract: ${label}`, () => {
    let store: Store;
    let counter = 0;
    const fresh = <T extends Document = Loose>(): DocCollection<T> => store.collection<T>(`c${++counter}`);

    beforeAll(async () => {
      store = await factory.open();
    });
    afterAll(async () => {
      await store.close();
      await factory.destroy();
    });

    it('answers ping with its kind', async () => {
      const ping = await store.ping();
      expect(ping.ok).toBe(true);
      expect(ping.kind).toBe(store.kind);
    });

    describe('insert and read back', () => {
      it('generates an ObjectId _id, sets it on the input like the driver, and keeps types', async () => {
        const col = fresh();
        const doc: Document = { at: day(9), nested: { list: [1, 'two', { three: day(3) }] }, n: 1.5, flag: false, none: null };
        const res = await col.insertOne(doc);
        expect(res.acknowledged).toBe(true);
        expect(res.insertedId).toBeInstanceOf(ObjectId);
        expect(doc._id).toEqual(res.insertedId);
        const back = await col.findOne({ _id: res.insertedId });
        expect(back).toEqual({ _id: res.insertedId, at: day(9), nested: { list: [1, 'two', { three: day(3) }] }, n: 1.5, flag: false, none: null });
        expect(back?.at).toBeInstanceOf(Date);
        expect(back?._id).toBeInstanceOf(ObjectId);
      });

      it('finds by an ObjectId built from the same hex', async () => {
        const col = fresh();
        const { insertedId } = await col.insertOne({ x: 1 });
        const again = new ObjectId((insertedId as ObjectId).toHexString());
        expect((await col.findOne({ _id: again }))?.x).toBe(1);
        expect(await col.findOne({ _id: new ObjectId() })).toBeNull();
      });

      it('refuses a second document with the same _id with a duplicate key error', async () => {
        const col = fresh<Ticket>();
        const [first] = tickets();
        await col.insertOne(first as Ticket);
        const err: unknown = await col.insertOne({ ...(first as Ticket), title: 'other' }).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: 11000 });
        expect(isDuplicateKeyError(err)).toBe(true);
        expect((await col.findOne({ _id: 'T1' }))?.title).toBe('Printer jam on floor 2');
      });

      it('insertMany stops at the first duplicate, keeping the ones before it (ordered)', async () => {
        const col = fresh();
        await col.insertOne({ _id: 'b' });
        const err: unknown = await col.insertMany([{ _id: 'a' }, { _id: 'b' }, { _id: 'c' }]).catch((e: unknown) => e);
        expect(isDuplicateKeyError(err)).toBe(true);
        expect((await col.find({}, { sort: { _id: 1 } }).toArray()).map((d) => d._id)).toEqual(['a', 'b']);
      });

      it('insertMany reports count and ids', async () => {
        const col = fresh();
        const res = await col.insertMany([{ n: 1 }, { _id: 'x', n: 2 }]);
        expect(res.insertedCount).toBe(2);
        expect(res.insertedIds[0]).toBeInstanceOf(ObjectId);
        expect(res.insertedIds[1]).toBe('x');
        expect(await col.countDocuments()).toBe(2);
      });
    });

    describe('filters', () => {
      let plain: DocCollection<Ticket>;
      let indexed: DocCollection<Ticket>;
      beforeAll(async () => {
        plain = fresh<Ticket>();
        indexed = fresh<Ticket>();
        await plain.insertMany(tickets());
        await indexed.createIndex({ state: 1 });
        await indexed.createIndex({ 'lgd.id': 1 }, { unique: true });
        await indexed.createIndex({ tags: 1 });
        await indexed.createIndex({ owner: 1 });
        await indexed.createIndex({ openedAt: -1 });
        await indexed.createIndex({ priority: 1, state: 1 });
        await indexed.insertMany(tickets());
      });
      for (const [name, filter, ids] of FILTER_CASES) {
        it(`${name}`, async () => {
          for (const col of [plain, indexed]) {
            const found = await col.find(filter, { sort: { _id: 1 } }).toArray();
            expect(found.map((d) => d._id)).toEqual(ids);
            expect(await col.countDocuments(filter)).toBe(ids.length);
          }
        });
      }
    });

    describe('updates', () => {
      const setup = async <T extends Document = Counted>(): Promise<DocCollection<T>> => {
        const name = `c${++counter}`;
        await store
          .collection<Counted>(name)
          .insertOne({ _id: 'd', n: 5, at: day(10), tags: ['a', 'b'], items: [{ k: 1 }, { k: 2 }, { k: 3 }], owner: 'amy', meta: { v: 1 } });
        return store.collection<T>(name);
      };
      const get = async <T extends Document>(col: DocCollection<T>): Promise<Document> =>
        (await col.findOne({ _id: 'd' } as Filter<T>)) ?? {};

      it('$set, including dotted paths that create documents', async () => {
        const col = await setup();
        const res = await col.updateOne({ _id: 'd' }, { $set: { owner: 'bob', 'meta.v': 2, 'deep.new.field': true } });
        expect(res).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedId: null });
        expect(await get(col)).toMatchObject({ owner: 'bob', meta: { v: 2 }, deep: { new: { field: true } } });
      });

      it('counts a $set to the same value as matched but not modified', async () => {
        const col = await setup();
        const res = await col.updateOne({ _id: 'd' }, { $set: { owner: 'amy' } });
        expect(res).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
      });

      it('$unset', async () => {
        const col = await setup();
        await col.updateOne({ _id: 'd' }, { $unset: { owner: '', 'meta.v': '' } });
        const doc = await get(col);
        expect('owner' in doc).toBe(false);
        expect(doc.meta).toEqual({});
      });

      it('$inc on existing and missing fields', async () => {
        const col = await setup();
        await col.updateOne({ _id: 'd' }, { $inc: { n: -2, attempts: 1 } });
        expect(await get(col)).toMatchObject({ n: 3, attempts: 1 });
      });

      it('$push with $each and $slice', async () => {
        const col = await setup();
        await col.updateOne({ _id: 'd' }, { $push: { tags: 'c' } });
        await col.updateOne({ _id: 'd' }, { $push: { tags: { $each: ['d', 'e'], $slice: -3 } } });
        expect((await get(col)).tags).toEqual(['c', 'd', 'e']);
      });

      it('$pull by value and by condition', async () => {
        const col = await setup();
        await col.updateOne({ _id: 'd' }, { $pull: { tags: 'a', items: { k: { $gte: 2 } } } });
        const doc = await get(col);
        expect(doc.tags).toEqual(['b']);
        expect(doc.items).toEqual([{ k: 1 }]);
      });

      it('a journal: $push of subdocuments with $each (and $inc) in one update, $pull by a subdocument field $in, $unset where $size is 0', async () => {
        const col = fresh<{ _id: string; version: number; journal?: { id: string; n: number }[]; journaled?: boolean }>();
        await col.insertOne({ _id: 'j', version: 1 });
        await col.updateOne({ _id: 'j' }, { $push: { journal: { $each: [{ id: 'a', n: 1 }, { id: 'b', n: 2 }] } }, $set: { journaled: true }, $inc: { version: 1 } });
        await col.updateOne({ _id: 'j' }, { $push: { journal: { $each: [{ id: 'c', n: 3 }] } }, $inc: { version: 1 } });
        await col.updateMany({ _id: { $in: ['j', 'missing'] } }, { $pull: { journal: { id: { $in: ['a', 'b', 'x'] } } } });
        expect(await col.findOne({ _id: 'j' })).toEqual({ _id: 'j', version: 3, journal: [{ id: 'c', n: 3 }], journaled: true });
        const kept = await col.updateMany({ _id: 'j', journal: { $size: 0 } }, { $unset: { journal: '', journaled: '' } });
        expect(kept.matchedCount).toBe(0);
        await col.updateMany({ _id: 'j' }, { $pull: { journal: { id: { $in: ['c'] } } } });
        await col.updateMany({ _id: 'j', journal: { $size: 0 } }, { $unset: { journal: '', journaled: '' } });
        expect(await col.findOne({ _id: 'j' })).toEqual({ _id: 'j', version: 3 });
      });

      it('$addToSet adds only what is missing', async () => {
        const col = await setup();
        const same = await col.updateOne({ _id: 'd' }, { $addToSet: { tags: 'a' } });
        expect(same.modifiedCount).toBe(0);
        await col.updateOne({ _id: 'd' }, { $addToSet: { tags: { $each: ['b', 'z'] } } });
        expect((await get(col)).tags).toEqual(['a', 'b', 'z']);
      });

      it('$min and $max on numbers and dates', async () => {
        const col = await setup();
        await col.updateOne({ _id: 'd' }, { $min: { n: 2, at: day(12) }, $max: { top: 7 } });
        let doc = await get(col);
        expect(doc).toMatchObject({ n: 2, at: day(10), top: 7 });
        await col.updateOne({ _id: 'd' }, { $min: { at: day(1) }, $max: { n: 9 } });
        doc = await get(col);
        expect(doc.at).toEqual(day(1));
        expect(doc.n).toBe(9);
      });

      it('$currentDate stores the current time as a Date', async () => {
        const col = await setup();
        const t0 = Date.now();
        await col.updateOne({ _id: 'd' }, { $currentDate: { seenAt: true } });
        const seenAt: unknown = (await get(col)).seenAt;
        expect(seenAt).toBeInstanceOf(Date);
        expect(Math.abs((seenAt as Date).getTime() - t0)).toBeLessThan(60_000);
      });

      it('updateMany updates every match and reports counts', async () => {
        const col = fresh<Ticket>();
        await col.insertMany(tickets());
        const res = await col.updateMany({ state: 'owned' }, { $set: { state: 'resolved' } });
        expect(res).toMatchObject({ matchedCount: 2, modifiedCount: 2, upsertedCount: 0 });
        expect(await col.countDocuments({ state: 'resolved' })).toBe(3);
      });

      it('bulkWrite runs its operations in order, each seeing the ones before, and reports counts', async () => {
        const col = fresh<Loose>();
        await col.insertMany([{ _id: 'a', n: 1 }, { _id: 'b', n: 2 }, { _id: 'c', n: 3 }]);
        const res = await col.bulkWrite([
          { replaceOne: { filter: { _id: 'a' }, replacement: { n: 10 }, upsert: true } },
          { replaceOne: { filter: { _id: 'b' }, replacement: { n: 2 }, upsert: true } },
          { replaceOne: { filter: { _id: 'z' }, replacement: { n: 26 }, upsert: true } },
          { insertOne: { document: { _id: 'd', n: 4 } } },
          { updateOne: { filter: { _id: 'd' }, update: { $inc: { n: 1 } } } },
          { updateMany: { filter: { n: { $gte: 10 } }, update: { $set: { big: true } } } },
          { deleteOne: { filter: { _id: 'c' } } },
          { deleteMany: { filter: { _id: { $nin: ['a', 'b', 'd', 'z'] } } } },
        ]);
        expect(res).toMatchObject({ insertedCount: 1, matchedCount: 5, modifiedCount: 4, upsertedCount: 1, deletedCount: 1 });
        expect(await col.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
          { _id: 'a', n: 10, big: true },
          { _id: 'b', n: 2 },
          { _id: 'd', n: 5 },
          { _id: 'z', n: 26, big: true },
        ]);
      });

      it('bulkWrite stops at the first failing operation, keeping the ones before it (ordered)', async () => {
        const col = fresh<Loose>();
        await col.insertOne({ _id: 'a', n: 1 });
        const err: unknown = await col
          .bulkWrite([
            { updateOne: { filter: { _id: 'a' }, update: { $set: { n: 2 } } } },
            { insertOne: { document: { _id: 'a', n: 9 } } },
            { insertOne: { document: { _id: 'b', n: 3 } } },
          ])
          .then(
            () => null,
            (e: unknown) => e,
          );
        expect(isDuplicateKeyError(err)).toBe(true);
        expect(await col.find({}, { sort: { _id: 1 } }).toArray()).toEqual([{ _id: 'a', n: 2 }]);
      });

      it('replaceOne replaces the whole document and keeps _id', async () => {
        const col = await setup<Loose>();
        const res = await col.replaceOne({ _id: 'd' }, { only: 'this' });
        expect(res).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
        expect(await get(col)).toEqual({ _id: 'd', only: 'this' });
      });

      it('rejects malformed updates and leaves the document alone', async () => {
        const col = await setup<Loose>();
        const before = await get(col);
        await expect(col.updateOne({ _id: 'd' }, { owner: 'x' })).rejects.toThrow();
        await expect(col.updateOne({ _id: 'd' }, { $set: { _id: 'other' } })).rejects.toThrow();
        await expect(col.updateOne({ _id: 'd' }, { $inc: { owner: 1 } })).rejects.toThrow();
        expect(await get(col)).toEqual(before);
      });
    });

    describe('unique indexes', () => {
      it('refuses inserts and updates that would duplicate a key', async () => {
        const col = fresh();
        expect(await col.createIndex({ email: 1 }, { unique: true })).toBe('email_1');
        await col.insertOne({ _id: 1, email: 'a@x' });
        await col.insertOne({ _id: 2, email: 'b@x' });
        const insertErr: unknown = await col.insertOne({ _id: 3, email: 'a@x' }).catch((e: unknown) => e);
        expect(insertErr).toMatchObject({ code: 11000, keyPattern: { email: 1 }, keyValue: { email: 'a@x' } });
        const updateErr: unknown = await col.updateOne({ _id: 2 }, { $set: { email: 'a@x' } }).catch((e: unknown) => e);
        expect(isDuplicateKeyError(updateErr)).toBe(true);
        expect((await col.findOne({ _id: 2 }))?.email).toBe('b@x');
        expect(await col.countDocuments()).toBe(2);
      });

      it('frees a key when its document changes or goes', async () => {
        const col = fresh();
        await col.createIndex({ key: 1 }, { unique: true });
        await col.insertOne({ _id: 1, key: 'k' });
        await col.updateOne({ _id: 1 }, { $set: { key: 'k2' } });
        await col.insertOne({ _id: 2, key: 'k' });
        await col.deleteOne({ _id: 2 });
        await col.insertOne({ _id: 3, key: 'k' });
        expect(await col.countDocuments({ key: 'k' })).toBe(1);
      });

      it('compound unique keys and sparse unique indexes', async () => {
        const col = fresh();
        await col.createIndex({ team: 1, day: 1 }, { unique: true, name: 'team_day' });
        await col.createIndex({ lgdId: 1 }, { unique: true, sparse: true });
        await col.insertOne({ team: 'ops', day: day(1) });
        await col.insertOne({ team: 'ops', day: day(2) });
        await col.insertOne({ team: 'desk', day: day(1) });
        const err: unknown = await col.insertOne({ team: 'ops', day: day(1) }).catch((e: unknown) => e);
        expect(isDuplicateKeyError(err)).toBe(true);
        expect(await col.countDocuments()).toBe(3);
        await col.insertOne({ team: 'x', day: day(9), lgdId: 5 });
        await expect(col.insertOne({ team: 'y', day: day(9), lgdId: 5 })).rejects.toMatchObject({ code: 11000 });
      });

      it('creating a unique index over duplicates fails; re-creating the same index is a no-op', async () => {
        const col = fresh();
        await col.insertMany([{ v: 1 }, { v: 1 }]);
        await expect(col.createIndex({ v: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
        expect(await col.createIndex({ w: 1 })).toBe('w_1');
        expect(await col.createIndex({ w: 1 })).toBe('w_1');
      });
    });

    describe('upserts', () => {
      it('updateOne upsert seeds equality fields, applies $set and $setOnInsert, and only inserts once', async () => {
        const col = fresh();
        const filter = { key: 'LGD-1', 'meta.team': 'ops', n: { $gt: 1 }, $and: [{ kind: 'ticket' }] };
        const first = await col.updateOne(filter, { $set: { title: 'first' }, $setOnInsert: { createdAt: day(1) } }, { upsert: true });
        expect(first).toMatchObject({ matchedCount: 0, modifiedCount: 0, upsertedCount: 1 });
        expect(first.upsertedId).toBeInstanceOf(ObjectId);
        const doc = await col.findOne({ key: 'LGD-1' });
        expect(doc).toEqual({ _id: first.upsertedId, key: 'LGD-1', meta: { team: 'ops' }, kind: 'ticket', title: 'first', createdAt: day(1) });

        await col.updateOne({ key: 'LGD-1' }, { $set: { n: 2 } });
        const second = await col.updateOne(filter, { $set: { title: 'second' }, $setOnInsert: { createdAt: day(2) } }, { upsert: true });
        expect(second).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0, upsertedId: null });
        const after = await col.findOne({ key: 'LGD-1' });
        expect(after).toMatchObject({ title: 'second', createdAt: day(1) });
        expect(await col.countDocuments()).toBe(1);
      });

      it('upserts with the _id of the filter', async () => {
        const col = fresh();
        const res = await col.updateOne({ _id: 'lease' }, { $set: { holder: 'a' } }, { upsert: true });
        expect(res.upsertedId).toBe('lease');
        expect(await col.findOne({ _id: 'lease' })).toEqual({ _id: 'lease', holder: 'a' });
      });

      it('findOneAndUpdate upsert returns the new document when asked for after, null for before', async () => {
        const col = fresh();
        const after = await col.findOneAndUpdate({ _id: 'x' }, { $inc: { n: 1 } }, { upsert: true, returnDocument: 'after' });
        expect(after).toEqual({ _id: 'x', n: 1 });
        const before = await col.findOneAndUpdate({ _id: 'y' }, { $inc: { n: 1 } }, { upsert: true, returnDocument: 'before' });
        expect(before).toBeNull();
        expect(await col.countDocuments()).toBe(2);
      });

      it('replaceOne upsert takes _id from the filter', async () => {
        const col = fresh();
        const res = await col.replaceOne({ _id: 'cfg' }, { v: 1 }, { upsert: true });
        expect(res).toMatchObject({ upsertedCount: 1, upsertedId: 'cfg' });
        await col.replaceOne({ _id: 'cfg' }, { v: 2 }, { upsert: true });
        expect(await col.find({}).toArray()).toEqual([{ _id: 'cfg', v: 2 }]);
      });

      it('a unique index turns a racing second upsert into a duplicate key error, not a second document', async () => {
        const col = fresh();
        await col.createIndex({ key: 1 }, { unique: true });
        await col.insertOne({ key: 'k', v: 1 });
        await expect(col.updateOne({ key: 'k', v: 2 }, { $set: { w: 1 } }, { upsert: true })).rejects.toMatchObject({ code: 11000 });
        expect(await col.countDocuments()).toBe(1);
      });
    });

    describe('findOneAndUpdate', () => {
      it('returns the document before the update by default, after when asked, null without a match', async () => {
        const col = fresh();
        await col.insertOne({ _id: 'a', n: 1 });
        expect(await col.findOneAndUpdate({ _id: 'a' }, { $inc: { n: 1 } })).toEqual({ _id: 'a', n: 1 });
        expect(await col.findOneAndUpdate({ _id: 'a' }, { $inc: { n: 1 } }, { returnDocument: 'after' })).toEqual({ _id: 'a', n: 3 });
        expect(await col.findOneAndUpdate({ _id: 'zzz' }, { $inc: { n: 1 } })).toBeNull();
      });

      it('picks the first match in sort order (a work queue)', async () => {
        const col = fresh();
        await col.insertMany([
          { _id: 1, status: 'queued', at: day(3) },
          { _id: 2, status: 'queued', at: day(1) },
          { _id: 3, status: 'done', at: day(0) },
          { _id: 4, status: 'queued', at: day(2) },
        ]);
        const claimed = await col.findOneAndUpdate(
          { status: 'queued' },
          { $set: { status: 'sending' } },
          { sort: { at: 1 }, returnDocument: 'after', projection: { status: 1 } },
        );
        expect(claimed).toEqual({ _id: 2, status: 'sending' });
      });

      it('lets exactly one of 50 concurrent conditional claims win', async () => {
        const col = fresh();
        await col.insertOne({ _id: 'job', owner: null, claims: 0 });
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            col.findOneAndUpdate({ _id: 'job', owner: null }, { $set: { owner: i }, $inc: { claims: 1 } }, { returnDocument: 'after' }),
          ),
        );
        const winners = results.filter((r) => r !== null);
        expect(winners).toHaveLength(1);
        const stored = await col.findOne({ _id: 'job' });
        expect(stored?.owner).toBe(winners[0]?.owner);
        expect(stored?.claims).toBe(1);
      });

      it('lets exactly one of many concurrent conditional updateOne calls modify', async () => {
        const col = fresh();
        await col.insertOne({ _id: 'lease', holder: null });
        const results = await Promise.all(
          Array.from({ length: 30 }, (_, i) => col.updateOne({ _id: 'lease', holder: null }, { $set: { holder: `node-${i}` } })),
        );
        expect(results.filter((r) => r.modifiedCount === 1)).toHaveLength(1);
      });
    });

    describe('sorting, paging and projection', () => {
      let col: DocCollection<Loose>;
      let all: Loose[];
      beforeAll(async () => {
        col = fresh();
        all = Array.from({ length: 250 }, (_, i) => ({
          _id: `d${String(i).padStart(3, '0')}`,
          group: ['b', 'a', 'c'][i % 3],
          at: new Date(Date.UTC(2024, 0, 1) + ((i * 7919) % 250) * 3_600_000),
          n: i,
          secret: `s${i}`,
          sub: { x: i % 5, y: 'y' },
        }));
        await col.insertMany(all.map((d) => ({ ...d })));
        await col.createIndex({ group: 1 });
      });

      const expected = (): Loose[] =>
        [...all].sort((p, q) => String(p.group).localeCompare(String(q.group)) || (q.at as Date).getTime() - (p.at as Date).getTime());

      it('sorts by several keys, ascending and descending, including dates', async () => {
        const found = await col.find({}, { sort: { group: 1, at: -1 } }).toArray();
        expect(found.map((d) => d._id)).toEqual(expected().map((d) => d._id));
      });

      it('pages with skip and limit over a sorted result without gaps or repeats', async () => {
        const pages: Loose[][] = [];
        for (let skip = 0; skip < 260; skip += 40) pages.push(await col.find({}, { sort: { group: 1, at: -1 }, skip, limit: 40 }).toArray());
        expect(pages.map((p) => p.length)).toEqual([40, 40, 40, 40, 40, 40, 10]);
        const ids = pages.flat().map((d) => d._id);
        expect(new Set(ids).size).toBe(250);
        expect(ids).toEqual(expected().map((d) => d._id));
      });

      it('pages a filtered, indexed query', async () => {
        const page = await col.find({ group: 'a', n: { $gte: 100 } }, { sort: { n: -1 }, skip: 5, limit: 3 }).toArray();
        const want = all.filter((d) => d.group === 'a' && (d.n as number) >= 100).sort((p, q) => (q.n as number) - (p.n as number)).slice(5, 8);
        expect(page.map((d) => d._id)).toEqual(want.map((d) => d._id));
      });

      it('findOne honours sort and skip', async () => {
        const newest = await col.findOne({ group: 'c' }, { sort: { at: -1 } });
        expect(newest?._id).toBe(expected().filter((d) => d.group === 'c')[0]?._id);
        const second = await col.findOne({}, { sort: { n: 1 }, skip: 1 });
        expect(second?.n).toBe(1);
      });

      it('projects by inclusion, inclusion without _id, dotted inclusion and exclusion', async () => {
        expect(await col.findOne({ _id: 'd007' }, { projection: { group: 1, n: 1 } })).toEqual({ _id: 'd007', group: 'a', n: 7 });
        expect(await col.findOne({ _id: 'd007' }, { projection: { n: 1, _id: 0 } })).toEqual({ n: 7 });
        expect(await col.findOne({ _id: 'd007' }, { projection: { 'sub.x': 1 } })).toEqual({ _id: 'd007', sub: { x: 2 } });
        const excl = await col.find({ _id: { $in: ['d001', 'd002'] } }, { projection: { secret: 0, sub: 0 }, sort: { _id: 1 } }).toArray();
        expect(excl).toEqual([
          { _id: 'd001', group: 'a', at: all[1]?.at as Date, n: 1 },
          { _id: 'd002', group: 'c', at: all[2]?.at as Date, n: 2 },
        ]);
      });

      it('counts and deletes', async () => {
        const scratch = fresh();
        await scratch.insertMany(all.slice(0, 30).map((d) => ({ ...d })));
        expect(await scratch.countDocuments({ group: 'a' })).toBe(10);
        expect((await scratch.deleteOne({ group: 'a' })).deletedCount).toBe(1);
        expect((await scratch.deleteMany({ group: 'a' })).deletedCount).toBe(9);
        expect((await scratch.deleteMany({ group: 'a' })).deletedCount).toBe(0);
        expect(await scratch.countDocuments()).toBe(20);
      });
    });

    describe('aggregate', () => {
      it('runs $match, $sort and $group with $push in order (what the insights read), leaving what is stored alone', async () => {
        const col = fresh();
        await col.insertMany([
          { _id: 3, ticketKey: 'a', kind: 'state_changed', to: 'owned', at: day(3) },
          { _id: 1, ticketKey: 'a', kind: 'ticket_new', state: 'needs_triage', at: day(1) },
          { _id: 2, ticketKey: 'b', kind: 'ticket_new', state: 'owned', owner: 'k1', at: day(2) },
          { _id: 4, ticketKey: 'b', kind: 'write_refused', at: day(4) },
          { _id: 5, ticketKey: 'a', kind: 'user_updated', updatedAt: day(5), at: day(9) },
        ]);
        const out = await col
          .aggregate<{ _id: string; events: Document[] }>([
            { $match: { kind: { $in: ['ticket_new', 'state_changed', 'user_updated'] }, at: { $lte: day(6) } } },
            { $sort: { _id: 1 } },
            { $group: { _id: '$ticketKey', events: { $push: { kind: '$kind', at: '$at', state: '$state', to: '$to', owner: '$owner' } } } },
            { $sort: { _id: 1 } },
          ])
          .toArray();
        expect(out).toEqual([
          { _id: 'a', events: [{ kind: 'ticket_new', at: day(1), state: 'needs_triage' }, { kind: 'state_changed', at: day(3), to: 'owned' }] },
          { _id: 'b', events: [{ kind: 'ticket_new', at: day(2), state: 'owned', owner: 'k1' }] },
        ]);
        (out[0]!.events[0] as Document).kind = 'changed';
        expect((await col.findOne({ _id: 1 }))?.kind).toBe('ticket_new');
      });
    });

    describe('isolation of returned and given documents', () => {
      it('mutating an inserted object, or a returned one, does not change what is stored', async () => {
        const col = fresh();
        const input = { _id: 'iso', at: day(1), list: [{ v: 1 }], meta: { a: 1 } };
        await col.insertOne(input);
        input.list[0] = { v: 99 };
        input.meta.a = 99;
        input.at.setUTCFullYear(1999);

        const read = await col.findOne({ _id: 'iso' });
        expect(read).toEqual({ _id: 'iso', at: day(1), list: [{ v: 1 }], meta: { a: 1 } });
        (read?.list as Document[]).push({ v: 2 });
        (read?.meta as Document).a = 42;
        (read?.at as Date).setUTCFullYear(2001);
        const [listed] = await col.find({ _id: 'iso' }).toArray();
        (listed?.meta as Document).b = 'x';
        const returned = await col.findOneAndUpdate({ _id: 'iso' }, { $set: { z: 1 } }, { returnDocument: 'after' });
        (returned?.list as Document[]).length = 0;

        expect(await col.findOne({ _id: 'iso' })).toEqual({ _id: 'iso', at: day(1), list: [{ v: 1 }], meta: { a: 1 }, z: 1 });
      });

      it('values given to an update are copied, not kept', async () => {
        const col = fresh();
        await col.insertOne({ _id: 'u' });
        const tags = ['a'];
        await col.updateOne({ _id: 'u' }, { $set: { tags } });
        tags.push('b');
        expect((await col.findOne({ _id: 'u' }))?.tags).toEqual(['a']);
      });
    });

    describe('restart', () => {
      it('keeps documents, types and unique indexes across close and reopen', async () => {
        const col = store.collection<Loose>('restart');
        await col.createIndex({ key: 1 }, { unique: true });
        const oid = new ObjectId();
        const docs = [
          { _id: oid, key: 'a', at: day(7), nested: { when: [day(1), day(2)] }, n: 3 },
          { _id: 'str', key: 'b', at: new Date(0), list: [] },
        ];
        await col.insertMany(docs.map((d) => ({ ...d })));
        await col.updateOne({ _id: 'str' }, { $set: { n: 1.25 } });
        await col.deleteOne({ key: 'missing' });

        await store.close();
        store = await factory.open();

        const reopened = store.collection<Loose>('restart');
        const back = await reopened.find({}, { sort: { key: 1 } }).toArray();
        expect(back).toEqual([docs[0], { ...docs[1], n: 1.25 }]);
        expect(back[0]?.at).toBeInstanceOf(Date);
        expect(back[0]?._id).toBeInstanceOf(ObjectId);
        expect((back[0]?.nested as { when: unknown[] }).when[1]).toBeInstanceOf(Date);
        await expect(reopened.insertOne({ key: 'a' })).rejects.toMatchObject({ code: 11000 });
        expect((await reopened.findOne({ key: 'b' }))?._id).toBe('str');
      });

      it('takes a relaxed write (writeConcern journal: false) with every write method, as any other write, and keeps it across close and reopen', async () => {
        const col = store.collection<Loose>('relaxed');
        await col.createIndex({ key: 1 }, { unique: true });
        const r = RELAXED_WRITE;
        expect((await col.insertOne({ _id: 'a', key: 'a', n: 1 }, r)).insertedId).toBe('a');
        expect((await col.insertMany([{ _id: 'b', key: 'b', n: 1 }, { _id: 'c', key: 'c', n: 1 }], r)).insertedCount).toBe(2);
        expect(await col.updateOne({ _id: 'a' }, { $inc: { n: 1 } }, r)).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
        expect(await col.updateMany({ n: 1 }, { $inc: { n: 10 } }, r)).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
        expect(await col.findOneAndUpdate({ _id: 'a' }, { $set: { m: true } }, { returnDocument: 'after', ...r })).toEqual({ _id: 'a', key: 'a', n: 2, m: true });
        expect(await col.replaceOne({ _id: 'd' }, { key: 'd', n: 4 }, { upsert: true, ...r })).toMatchObject({ upsertedCount: 1, upsertedId: 'd' });
        expect((await col.deleteOne({ _id: 'c' }, r)).deletedCount).toBe(1);
        expect(await col.bulkWrite([{ insertOne: { document: { _id: 'e', key: 'e' } } }, { updateOne: { filter: { _id: 'e' }, update: { $set: { n: 5 } } } }], r)).toMatchObject({ insertedCount: 1, modifiedCount: 1 });
        expect((await col.deleteMany({ _id: { $in: ['e', 'none'] } }, r)).deletedCount).toBe(1);
        // Refused as any other write: a duplicate key, the ones before it kept (ordered).
        await expect(col.insertMany([{ _id: 'f', key: 'f' }, { _id: 'g', key: 'a' }], r)).rejects.toMatchObject({ code: 11000 });

        await store.close();
        store = await factory.open();

        const back = await store.collection<Loose>('relaxed').find({}, { sort: { _id: 1 } }).toArray();
        expect(back).toEqual([
          { _id: 'a', key: 'a', n: 2, m: true },
          { _id: 'b', key: 'b', n: 11 },
          { _id: 'd', key: 'd', n: 4 },
          { _id: 'f', key: 'f' },
        ]);
      });
    });
  });
}
