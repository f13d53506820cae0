/**
 * The narrow collection port the repositories are written against. It is a strict subset of the
 * official driver's `Collection<T>`, spelled in the driver's own types, so that a real
 * `Collection<T>` is assignable to `DocCollection<T>` (proved at compile time by
 * test/store/mongo-collection-fits.ts) and the embedded store implements the same surface.
 */
import type {
  BulkWriteResult,
  DeleteManyModel,
  DeleteOneModel,
  DeleteResult,
  Document,
  Filter,
  FindOneAndUpdateOptions,
  FindOptions,
  InsertManyResult,
  InsertOneModel,
  InsertOneResult,
  OptionalUnlessRequiredId,
  ReplaceOneModel,
  ReplaceOptions,
  UpdateFilter,
  UpdateManyModel,
  UpdateOneModel,
  UpdateOptions,
  UpdateResult,
  WithId,
  WithoutId,
  WriteConcernSettings,
} from 'mongodb';

/** Options of `find`: sorting, paging and projection, nothing server-specific. */
export type DocFindOptions = Pick<FindOptions, 'sort' | 'skip' | 'limit' | 'projection'>;

/** Options of `findOne`. */
export type DocFindOneOptions = Pick<FindOptions, 'sort' | 'skip' | 'projection'>;

/**
 * A write's durability, in the driver's write concern: `journal: false` asks for a write acknowledged
 * before it is on disk. Only for what the app can fetch again (LGD's data, see RELAXED_WRITE): lost
 * to a power cut, it costs a re-sync, never a person's work. Everything else omits it.
 */
export type DocWriteConcern = Pick<WriteConcernSettings, 'journal'>;

/** The option every write takes: its write concern (see DocWriteConcern). */
export interface DocWriteOptions {
  writeConcern?: DocWriteConcern;
}

/**
 * The option of a write the app can fetch again from LGD. The embedded store commits it without
 * an fsync (SQLite WAL, synchronous=NORMAL): it survives the process dying, and the next durable
 * commit makes it durable too, so a power cut can only lose the last few of them, never one
 * before a durable write. The MongoDB store keeps the server's write concern (see mongo-store.ts).
 */
export const RELAXED_WRITE: DocWriteOptions = Object.freeze({ writeConcern: Object.freeze({ journal: false }) });

/** True when `options` ask for a relaxed write (see RELAXED_WRITE). */
export const isRelaxed = (options: DocWriteOptions | undefined): boolean => options?.writeConcern?.journal === false;

/** Options of `updateOne` / `updateMany`. */
export type DocUpdateOptions = Pick<UpdateOptions, 'upsert'> & DocWriteOptions;

/** Options of `replaceOne`. */
export type DocReplaceOptions = Pick<ReplaceOptions, 'upsert'> & DocWriteOptions;

/** Options of `findOneAndUpdate`; `returnDocument` defaults to `'before'`, as in the driver. */
export type DocFindOneAndUpdateOptions = Pick<FindOneAndUpdateOptions, 'upsert' | 'returnDocument' | 'sort' | 'projection'> & DocWriteOptions;

/** Index keys: field name to direction (1 or -1); compound indexes keep the given order. */
export type DocIndexKeys = { [field: string]: 1 | -1 };

/** Options of `createIndex`. */
export interface DocIndexOptions {
  unique?: boolean;
  name?: string;
  sparse?: boolean;
}

/** One operation of `bulkWrite`, in the driver's model shapes without server-specific options (collation, hint, arrayFilters). */
export type DocBulkOperation<T extends Document> =
  | { insertOne: Pick<InsertOneModel<T>, 'document'> }
  | { replaceOne: Pick<ReplaceOneModel<T>, 'filter' | 'replacement' | 'upsert'> }
  | { updateOne: Pick<UpdateOneModel<T>, 'filter' | 'update' | 'upsert'> }
  | { updateMany: Pick<UpdateManyModel<T>, 'filter' | 'update' | 'upsert'> }
  | { deleteOne: Pick<DeleteOneModel<T>, 'filter'> }
  | { deleteMany: Pick<DeleteManyModel<T>, 'filter'> };

/** The counts of a `bulkWrite`: the driver's `BulkWriteResult` fits. */
export type DocBulkWriteResult = Pick<BulkWriteResult, 'insertedCount' | 'matchedCount' | 'modifiedCount' | 'deletedCount' | 'upsertedCount'>;

/** What `find` returns: the driver's `FindCursor` fits. */
export interface DocCursor<T> {
  toArray(): Promise<T[]>;
}

/** The collection operations an app needs, in the driver's shapes. */
export interface DocCollection<T extends Document> {
  insertOne(doc: OptionalUnlessRequiredId<T>, options?: DocWriteOptions): Promise<InsertOneResult<T>>;
  insertMany(docs: ReadonlyArray<OptionalUnlessRequiredId<T>>, options?: DocWriteOptions): Promise<InsertManyResult<T>>;
  findOne(filter: Filter<T>, options?: DocFindOneOptions): Promise<WithId<T> | null>;
  find(filter: Filter<T>, options?: DocFindOptions): DocCursor<WithId<T>>;
  countDocuments(filter?: Filter<T>): Promise<number>;
  updateOne(filter: Filter<T>, update: UpdateFilter<T>, options?: DocUpdateOptions): Promise<UpdateResult<T>>;
  updateMany(filter: Filter<T>, update: UpdateFilter<T>, options?: DocUpdateOptions): Promise<UpdateResult<T>>;
  findOneAndUpdate(
    filter: Filter<T>,
    update: UpdateFilter<T>,
    options?: DocFindOneAndUpdateOptions,
  ): Promise<WithId<T> | null>;
  replaceOne(filter: Filter<T>, replacement: WithoutId<T>, options?: DocReplaceOptions): Promise<UpdateResult<T>>;
  deleteOne(filter: Filter<T>, options?: DocWriteOptions): Promise<DeleteResult>;
  deleteMany(filter: Filter<T>, options?: DocWriteOptions): Promise<DeleteResult>;
  /**
   * Runs the operations in order as one request (one round trip on MongoDB, one durable commit on
   * the embedded store); stops at the first failing one, keeping those before it (ordered).
   */
  bulkWrite(operations: ReadonlyArray<DocBulkOperation<T>>, options?: DocWriteOptions): Promise<DocBulkWriteResult>;
  createIndex(keys: DocIndexKeys, options?: DocIndexOptions): Promise<string>;
  /**
   * Runs an aggregation pipeline built by a repository (never from outside input). Stages are the
   * ones both MongoDB and the embedded store's mingo run alike: $match first (it may use an
   * index), then $sort, $group with $push / $sum / $first / $last, $project, $unwind, $limit.
   */
  aggregate<R extends Document = Document>(pipeline: Document[]): DocCursor<R>;
}

/** Which backend a store runs on. */
export type StoreKind = 'mongodb' | 'embedded';

/** Result of a health check (which proves a write is possible); never throws. */
export interface StorePing {
  ok: boolean;
  kind: StoreKind;
  detail?: string;
}

/** A database: named collections over one backend. */
export interface Store {
  readonly kind: StoreKind;
  /** True when the backend proves this process is its only user (the embedded store's file lock). */
  readonly exclusive: boolean;
  collection<T extends Document>(name: string): DocCollection<T>;
  /** Proves the store takes writes now; ok false (with the reason) when it refuses them. */
  ping(): Promise<StorePing>;
  close(): Promise<void>;
}
