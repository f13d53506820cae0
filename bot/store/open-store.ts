/**
 * Chooses the store backend: MongoDB when a connection string is configured, otherwise the
 * embedded store under the data dir.
 */
import type { Logger } from 'pino';
import type { Store } from './doc-collection.js';
import { openEmbeddedStore } from './embedded-store.js';
import { openMongoStore } from './mongo-store.js';

/** Options of `openStore`, filled from the app's config. */
export interface OpenStoreOptions {
  /** MongoDB connection string; unset or blank selects the embedded store. */
  mongodbUri?: string;
  /** MongoDB database name (default: the one in the URI, else the driver's default). */
  dbName?: string;
  /** Directory of the embedded store. */
  dataDir: string;
  logger: Logger;
}

/** Opens MongoDB if `mongodbUri` is set, the embedded store otherwise. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const uri = options.mongodbUri?.trim();
  if (uri) return openMongoStore({ uri, dbName: options.dbName, logger: options.logger });
  return openEmbeddedStore({ dataDir: options.dataDir, logger: options.logger });
}
