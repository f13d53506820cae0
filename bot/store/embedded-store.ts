/**
 * The zero-setup store: MongoDB's query and update language (mingo) over one SQLite file in the
 * data dir. Collections are loaded into memory (as BSON bytes, see CollectionState) when first
 * used and every write is committed to the file before it returns (and fsynced, but for a relaxed
 * write: see RELAXED_WRITE). One process per data dir: the file is locked while the store is
 * open, and a second process trying to open it gets a StoreError.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Document } from 'mongodb';
import type { Logger } from 'pino';
import { StoreError } from '../errors.js';
import type { DocCollection, Store, StorePing } from './doc-collection.js';
import { CollectionState, EmbeddedCollection } from './embedded-collection.js';
import { settled } from './settled.js';
import { SqliteFile, type CommitSeen } from './sqlite-file.js';
import { storeFailure } from './store-failure.js';

/** Options of the embedded store. */
export interface EmbeddedStoreOptions {
  /** Directory holding `store.sqlite`; created when missing. */
  dataDir: string;
  logger?: Logger;
  /** Refuse writes that would grow the file beyond this size (SQLITE_FULL), like a full disk would. */
  maxSizeBytes?: number;
  /** How long to wait for the file lock at open before failing. */
  busyTimeoutMs?: number;
}

/** The embedded store: the store port, and how many durable commits it has made (for tests and the bench). */
export interface EmbeddedStore extends Store {
  readonly kind: 'embedded';
  /** SQLite transactions committed since the store was opened (each one fsync of the file, but the relaxed ones). */
  commits(): number;
  /** Commits of relaxed writes (RELAXED_WRITE: no fsync of their own) since the store was opened. */
  relaxedCommits(): number;
  /** Calls `fn` at each document write's commit with the file's `synchronous` setting as it committed (tests); returns the unsubscribe. */
  observeCommits(fn: (c: CommitSeen) => void): () => void;
  /** Documents the queries of a collection have judged or walked since the store was opened (tests prove a read used an index). */
  examined(collection: string): number;
  /** Documents a collection holds decoded now (the rest are held as their BSON bytes; tests prove the bound). */
  decodedHeld(collection: string): number;
}

/** The name the embedded store uses in namespaces (`<db>.<collection>`) of error messages. */
const DB_NAME = 'embedded';

/** Opens (creating if needed) the embedded store under `dataDir`. */
export function openEmbeddedStore(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  return settled(() => embeddedStore(options));
}

function embeddedStore(options: EmbeddedStoreOptions): EmbeddedStore {
  const log = options.logger?.child({ component: 'store' });
  try {
    mkdirSync(options.dataDir, { recursive: true });
  } catch (err) {
    throw storeFailure(`cannot create data dir ${options.dataDir}`, err);
  }
  const file = new SqliteFile(join(options.dataDir, 'store.sqlite'), {
    maxSizeBytes: options.maxSizeBytes,
    busyTimeoutMs: options.busyTimeoutMs,
  });
  const states = new Map<string, CollectionState>();
  log?.info({ path: file.path }, 'embedded store opened');

  const stateOf = (name: string): CollectionState => {
    let state = states.get(name);
    if (!state) {
      if (!file.open) throw new StoreError(`collection ${name} opened after the store was closed`);
      state = new CollectionState(name, file, `${DB_NAME}.${name}`);
      states.set(name, state);
      log?.debug({ collection: name, documents: state.size }, 'collection loaded');
    }
    return state;
  };

  return {
    kind: 'embedded',
    // The file's exclusive lock is held for the store's life: no other process can be using this data.
    exclusive: true,
    collection<T extends Document>(name: string): DocCollection<T> {
      return new EmbeddedCollection<T>(stateOf(name));
    },
    commits: () => file.commits,
    relaxedCommits: () => file.relaxedCommits,
    observeCommits: (fn) => file.observeCommits(fn),
    examined: (name) => states.get(name)?.examined ?? 0,
    decodedHeld: (name) => states.get(name)?.decodedHeld ?? 0,
    ping(): Promise<StorePing> {
      try {
        file.probeWrite();
        return Promise.resolve({ ok: true, kind: 'embedded', detail: file.path });
      } catch (err) {
        return Promise.resolve({ ok: false, kind: 'embedded', detail: err instanceof Error ? err.message : String(err) });
      }
    },
    close(): Promise<void> {
      return settled(() => {
        file.close();
        log?.info('embedded store closed');
      });
    },
  };
}
