/**
 * The production store: MongoDB (or Cosmos DB for MongoDB) through the official driver. Its
 * collections are the driver's: `Collection<T>` already is a `DocCollection<T>`; each is handed
 * out through mongoCollection, which keeps the server's write concern for every write.
 */
import { MongoClient, type Document } from 'mongodb';
import { COLLECTIONS } from './collections.js';
import { mongoCollection } from './mongo-collection.js';
import type { Logger } from 'pino';
import type { DocCollection, Store, StorePing } from './doc-collection.js';
import { storeFailure } from './store-failure.js';

/** Options of the MongoDB store. */
export interface MongoStoreOptions {
  /** Connection string, e.g. `mongodb://localhost:27017/support`. */
  uri: string;
  /** Database name; defaults to the one in the URI (or the driver's default, `test`). */
  dbName?: string;
  logger?: Logger;
  /** How long to look for a usable server before failing; short so start-up fails fast. */
  serverSelectionTimeoutMs?: number;
}

/** Connects to MongoDB and checks it answers, or throws a StoreError. */
export async function openMongoStore(options: MongoStoreOptions): Promise<Store> {
  const log = options.logger?.child({ component: 'store' });
  const client = new MongoClient(options.uri, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 5000,
    appName: 'lgd-teams-support',
  });
  try {
    await client.connect();
    await client.db(options.dbName).command({ ping: 1 });
  } catch (err) {
    await client.close().catch((closeErr: unknown) => log?.warn({ err: closeErr }, 'closing a failed MongoDB connection failed'));
    throw storeFailure('cannot reach MongoDB', err);
  }
  const db = client.db(options.dbName);
  log?.info({ db: db.databaseName }, 'MongoDB store opened');

  return {
    kind: 'mongodb',
    // Other instances may share the database: a crashed holder's lease is waited out.
    exclusive: false,
    collection<T extends Document>(name: string): DocCollection<T> {
      return mongoCollection(db.collection<T>(name));
    },
    async ping(): Promise<StorePing> {
      try {
        // A write, not a ping: a full disk or a lost primary lets reads through but refuses writes.
        await db.collection<{ _id: string; at: Date }>(COLLECTIONS.healthProbe).updateOne({ _id: 'ping' }, { $set: { at: new Date() } }, { upsert: true });
        return { ok: true, kind: 'mongodb', detail: db.databaseName };
      } catch (err) {
        return { ok: false, kind: 'mongodb', detail: err instanceof Error ? err.message : String(err) };
      }
    },
    async close(): Promise<void> {
      await client.close();
      log?.info('MongoDB store closed');
    },
  };
}
