/**
 * A counting stand-in for MongoDB's collections: every call the app makes on a collection is one
 * round trip to a MongoDB server (a write command, a find with its first batch, a count), so
 * counting the calls on the port counts the round trips the app would make there. The documents
 * are kept by the store it wraps (the embedded store), which behaves like MongoDB for every query
 * the app issues (test/store/store-contract.ts).
 */
import type { Document } from 'mongodb';
import type { DocCollection, Store } from '../../bot/store/doc-collection.js';

const WRITES = new Set(['insertOne', 'insertMany', 'updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'deleteOne', 'deleteMany', 'bulkWrite']);

/** One call on a collection. */
export interface RoundTrip {
  collection: string;
  op: string;
  write: boolean;
}

/** The wrapped store and what has been asked of it. */
export interface CountingStore extends Store {
  readonly trips: RoundTrip[];
  /** The calls made while `fn` ran (calls made meanwhile by anything else included). */
  during(fn: () => Promise<unknown>): Promise<RoundTrip[]>;
}

/** Wraps `inner` so that every collection call is recorded as one round trip. */
export function countingStore(inner: Store): CountingStore {
  const trips: RoundTrip[] = [];
  const record = (collection: string, op: string): void => void trips.push({ collection, op, write: WRITES.has(op) });
  return {
    kind: inner.kind,
    exclusive: inner.exclusive,
    trips,
    async during(fn) {
      const from = trips.length;
      await fn();
      return trips.slice(from);
    },
    collection<T extends Document>(name: string): DocCollection<T> {
      const col = inner.collection<T>(name);
      return {
        insertOne: (...a) => (record(name, 'insertOne'), col.insertOne(...a)),
        insertMany: (...a) => (record(name, 'insertMany'), col.insertMany(...a)),
        findOne: (...a) => (record(name, 'findOne'), col.findOne(...a)),
        find: (...a) => {
          const cursor = col.find(...a);
          return { toArray: () => (record(name, 'find'), cursor.toArray()) };
        },
        countDocuments: (...a) => (record(name, 'countDocuments'), col.countDocuments(...a)),
        updateOne: (...a) => (record(name, 'updateOne'), col.updateOne(...a)),
        updateMany: (...a) => (record(name, 'updateMany'), col.updateMany(...a)),
        findOneAndUpdate: (...a) => (record(name, 'findOneAndUpdate'), col.findOneAndUpdate(...a)),
        replaceOne: (...a) => (record(name, 'replaceOne'), col.replaceOne(...a)),
        deleteOne: (...a) => (record(name, 'deleteOne'), col.deleteOne(...a)),
        deleteMany: (...a) => (record(name, 'deleteMany'), col.deleteMany(...a)),
        bulkWrite: (...a) => (record(name, 'bulkWrite'), col.bulkWrite(...a)),
        createIndex: (...a) => (record(name, 'createIndex'), col.createIndex(...a)),
        aggregate: <R extends Document = Document>(pipeline: Document[]) => {
          const cursor = col.aggregate<R>(pipeline);
          return { toArray: () => (record(name, 'aggregate'), cursor.toArray()) };
        },
      };
    },
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
}
