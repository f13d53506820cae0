/**
 * The embedded store's durable half: one SQLite file holding every collection's documents as
 * BSON blobs, plus index definitions. Every method is synchronous and either fully commits or
 * throws a StoreError with nothing written.
 */
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { DataDirInUse, StoreError } from '../errors.js';
import { processHolding } from './file-holder.js';
import { storeFailure } from './store-failure.js';
import type { IndexSpec } from './embedded-index.js';

/** One document write: `body` undefined deletes; `insert` tells a new row from an update. */
export interface RowWrite {
  id: string;
  body: Uint8Array | undefined;
  insert: boolean;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS documents (
  collection TEXT NOT NULL,
  id TEXT NOT NULL,
  body BLOB NOT NULL,
  PRIMARY KEY (collection, id)
);
CREATE TABLE IF NOT EXISTS indexes (
  collection TEXT NOT NULL,
  name TEXT NOT NULL,
  spec TEXT NOT NULL,
  PRIMARY KEY (collection, name)
);
`;

/** The SQLite page cache, in KiB (see the constructor). */
export const PAGE_CACHE_KIB = 2048;

/**
 * Rows one statement inserts at once in a batch: a statement run has a cost of its own (binding,
 * stepping, its result) about that of the row it adds, so a first sync's thousands of new rows go
 * in fifty at a time.
 */
const INSERT_BATCH = 50;

/**
 * SQLite's `synchronous` setting, by name: `full` fsyncs each commit before it returns, `normal`
 * (a relaxed write) leaves it to the next fsync; the store never uses the others.
 */
export type CommitSync = 'off' | 'normal' | 'full' | 'extra';

const SYNC_LEVELS: readonly CommitSync[] = ['off', 'normal', 'full', 'extra'];

/** A commit as a test observes it (see SqliteFile.observeCommits): its collection and the connection's `synchronous` while it ran. */
export interface CommitSeen {
  collection: string;
  synchronous: CommitSync;
}

/** Rows of the health probe; no collection of the app has this name, so none ever loads them. */
const HEALTH = '__health_probe';

/** True when the `n` writes from `from` on are all inserts. */
function insertsAt(writes: readonly RowWrite[], from: number, n: number): boolean {
  if (from + n > writes.length) return false;
  for (let i = from; i < from + n; i++) if (!writes[i]!.insert || writes[i]!.body === undefined) return false;
  return true;
}

/** An open SQLite store file, locked to this process. */
export class SqliteFile {
  private readonly db: Database.Database;
  private committed = 0;
  private committedRelaxed = 0;
  /** Set by a test only (observeCommits): reading the pragma at each commit costs a statement run. */
  private observer: ((c: CommitSeen) => void) | undefined;
  private readonly insertRow: Database.Statement<[string, string, Uint8Array]>;
  private readonly insertRows: Database.Statement<unknown[]>;
  private readonly updateRow: Database.Statement<[Uint8Array, string, string]>;
  private readonly deleteRow: Database.Statement<[string, string]>;
  private readonly selectRows: Database.Statement<[string], { id: string; body: Buffer }>;
  private readonly selectBody: Database.Statement<[string, string], Buffer>;
  private readonly selectIndexes: Database.Statement<[string], { spec: string }>;
  private readonly upsertIndex: Database.Statement<[string, string, string]>;

  /**
   * Opens (creating if needed) the file. WAL with synchronous=FULL: each commit is fsynced before
   * it returns, so an acknowledged write (an outbox entry, a claim) survives power loss; a person's
   * write rate is tens per minute, so the fsync cost does not matter to them. The sync's writes,
   * which LGD can give again, are relaxed instead (see `write`): a full sync makes a dozen commits,
   * and their fsyncs were a tenth of its time. locking_mode=EXCLUSIVE
   * holds the file lock for the life of the connection: a second process opening the same data
   * dir fails fast instead of silently diverging from this process's in-memory cache.
   */
  constructor(
    readonly path: string,
    options: { maxSizeBytes?: number; busyTimeoutMs?: number } = {},
  ) {
    let db: Database.Database | undefined;
    try {
      db = new Database(path, { timeout: options.busyTimeoutMs ?? 1000 });
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      // better-sqlite3 builds SQLite with a 16 MB page cache; the store reads each collection from the
      // file once (its documents then live in memory), so after that the cache only holds the pages a
      // write passes through: 2 MB keeps those and gives the rest back.
      db.pragma(`cache_size = ${-PAGE_CACHE_KIB}`);
      db.exec('BEGIN EXCLUSIVE; COMMIT;');
      db.exec(SCHEMA);
      if (options.maxSizeBytes !== undefined) {
        const pageSize = Number(db.pragma('page_size', { simple: true }));
        db.pragma(`max_page_count = ${Math.max(1, Math.floor(options.maxSizeBytes / pageSize))}`);
      }
    } catch (err) {
      db?.close();
      // Busy on the exclusive lock: another running instance has this data folder open.
      if ((err as { code?: unknown }).code === 'SQLITE_BUSY') throw new DataDirInUse(dirname(resolve(path)), processHolding(path), { cause: err });
      throw storeFailure(`cannot open ${path}`, err);
    }
    this.db = db;
    this.insertRow = db.prepare('INSERT INTO documents (collection, id, body) VALUES (?, ?, ?)');
    this.insertRows = db.prepare(`INSERT INTO documents (collection, id, body) VALUES ${Array<string>(INSERT_BATCH).fill('(?, ?, ?)').join(', ')}`);
    this.updateRow = db.prepare('UPDATE documents SET body = ? WHERE collection = ? AND id = ?');
    this.deleteRow = db.prepare('DELETE FROM documents WHERE collection = ? AND id = ?');
    this.selectRows = db.prepare('SELECT id, body FROM documents WHERE collection = ? ORDER BY rowid');
    this.selectBody = db.prepare<[string, string], Buffer>('SELECT body FROM documents WHERE collection = ? AND id = ?').pluck();
    this.selectIndexes = db.prepare('SELECT spec FROM indexes WHERE collection = ? ORDER BY rowid');
    this.upsertIndex = db.prepare('INSERT OR REPLACE INTO indexes (collection, name, spec) VALUES (?, ?, ?)');
  }

  get open(): boolean {
    return this.db.open;
  }

  /** Commits (each a SQLite transaction) since the file was opened, relaxed ones included. */
  get commits(): number {
    return this.committed;
  }

  /** Relaxed commits (see `write`) since the file was opened. */
  get relaxedCommits(): number {
    return this.committedRelaxed;
  }

  /** The connection's `synchronous` setting now: `full` between writes, whatever the last write was. */
  get synchronous(): CommitSync {
    const level = Number(this.db.pragma('synchronous', { simple: true }));
    const name = SYNC_LEVELS[level];
    if (name === undefined) throw new StoreError(`unknown synchronous level ${level}`);
    return name;
  }

  /** Calls `fn` at each commit of `write` with the connection's `synchronous` as it committed (tests); returns the unsubscribe. */
  observeCommits(fn: (c: CommitSeen) => void): () => void {
    this.observer = fn;
    return () => {
      if (this.observer === fn) this.observer = undefined;
    };
  }

  /**
   * Every stored document of a collection, in insertion order, read one row at a time (years of
   * tickets are never all in memory twice). The connection is busy until the walk ends: the
   * caller makes no other call of this file meanwhile.
   */
  *loadDocuments(collection: string): Generator<{ id: string; body: Buffer }> {
    let rows: IterableIterator<{ id: string; body: Buffer }>;
    try {
      rows = this.selectRows.iterate(collection);
    } catch (err) {
      throw storeFailure(`cannot read collection ${collection}`, err);
    }
    for (;;) {
      let next: IteratorResult<{ id: string; body: Buffer }>;
      try {
        next = rows.next();
      } catch (err) {
        throw storeFailure(`cannot read collection ${collection}`, err);
      }
      if (next.done) return;
      yield next.value;
    }
  }

  /** One stored document's bytes, or undefined when the file has no such row. */
  readBody(collection: string, id: string): Buffer | undefined {
    try {
      return this.selectBody.get(collection, id);
    } catch (err) {
      throw storeFailure(`cannot read a document of ${collection}`, err);
    }
  }

  /** The index definitions stored for a collection. */
  loadIndexes(collection: string): IndexSpec[] {
    try {
      return this.selectIndexes.all(collection).map((row) => JSON.parse(row.spec) as IndexSpec);
    } catch (err) {
      throw storeFailure(`cannot read indexes of ${collection}`, err);
    }
  }

  /**
   * Commits the writes in one transaction, or throws a StoreError having written none. `relaxed`
   * (a write the app can fetch again, see RELAXED_WRITE) commits under synchronous=NORMAL: in WAL
   * mode the commit is in the OS's cache when this returns (it survives the process dying) and
   * reaches the disk with the next fsync, at the latest that of the next full commit, which syncs
   * the log up to its own frame: a power cut loses a suffix of relaxed commits, never one before
   * a full one. The setting is restored whatever happens, so no other write ever runs relaxed.
   */
  write(collection: string, writes: readonly RowWrite[], relaxed = false): void {
    try {
      // Executed, not prepared once: SQLite applies this pragma when it compiles the statement.
      if (relaxed) this.db.exec('PRAGMA synchronous = NORMAL');
      try {
        this.runWrites(collection, writes);
        this.committed++;
        if (relaxed) this.committedRelaxed++;
        this.observer?.({ collection, synchronous: this.synchronous });
      } finally {
        if (relaxed) this.db.exec('PRAGMA synchronous = FULL');
      }
    } catch (err) {
      throw storeFailure(`cannot write to collection ${collection}`, err);
    }
  }

  private runWrites(collection: string, writes: readonly RowWrite[]): void {
    if (writes.length === 1) {
      this.writeRow(collection, writes[0] as RowWrite);
      return;
    }
    this.db.transaction(() => {
      for (let i = 0; i < writes.length; ) {
        const n = insertsAt(writes, i, INSERT_BATCH) ? INSERT_BATCH : 1;
        if (n === 1) this.writeRow(collection, writes[i]!);
        else {
          // In order: their rowids, the natural order of finds, are as if inserted one by one.
          const params: unknown[] = [];
          for (let j = i; j < i + n; j++) params.push(collection, writes[j]!.id, writes[j]!.body);
          this.insertRows.run(params);
        }
        i += n;
      }
    })();
  }

  private writeRow(collection: string, w: RowWrite): void {
    if (w.body === undefined) this.deleteRow.run(collection, w.id);
    else if (w.insert) this.insertRow.run(collection, w.id, w.body);
    else {
      const { changes } = this.updateRow.run(w.body, collection, w.id);
      if (changes !== 1) throw new Error(`row ${w.id} is missing from the file`);
    }
  }

  /** Stores an index definition. */
  saveIndex(collection: string, spec: IndexSpec): void {
    try {
      this.upsertIndex.run(collection, spec.name, JSON.stringify(spec));
      this.committed++;
    } catch (err) {
      throw storeFailure(`cannot save index ${spec.name} of ${collection}`, err);
    }
  }

  /**
   * Proves the file takes writes, for health checks: a tiny committed write (a read-only or failing
   * disk refuses it) and a rolled-back write of two pages (a full disk or the size limit refuses
   * it, as it would refuse the app's next ticket). Throws a StoreError when refused.
   */
  probeWrite(): void {
    try {
      this.db.prepare('INSERT OR REPLACE INTO documents (collection, id, body) VALUES (?, ?, ?)').run(HEALTH, 'ping', Buffer.from(String(Date.now())));
      this.committed++;
      const room = 2 * Number(this.db.pragma('page_size', { simple: true }));
      this.db.exec('SAVEPOINT probe');
      try {
        this.db.prepare('INSERT OR REPLACE INTO documents (collection, id, body) VALUES (?, ?, zeroblob(?))').run(HEALTH, 'room', room);
      } finally {
        // SQLITE_FULL may already have rolled the whole transaction back, savepoint and all.
        if (this.db.inTransaction) {
          this.db.exec('ROLLBACK TO probe');
          this.db.exec('RELEASE probe');
        }
      }
    } catch (err) {
      throw storeFailure('the store refuses writes', err);
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
