import type { NewBacklogItem } from '../backlog/backlog-port.js';
import type { DocCollection, Store } from './doc-collection.js';
import { COLLECTIONS } from './collections.js';
import { isDuplicateKeyError } from './duplicate-key.js';

/** A backlog item kept by the app itself, keyed by the request that made it. */
export interface BuiltinBacklogItem extends Omit<NewBacklogItem, 'requestId'> {
  /** The request id: one request, one item. */
  _id: string;
  /** Short, stable id people can quote, e.g. "BL-4711-3f9a2c". */
  externalId: string;
  createdAt: Date;
}

/** The built-in backlog's items (collection `backlog`). */
export class BacklogItemRepository {
  private readonly col: DocCollection<BuiltinBacklogItem>;

  constructor(store: Store) {
    this.col = store.collection<BuiltinBacklogItem>(COLLECTIONS.backlog);
  }

  /** Creates the index the listing sorts by. */
  async init(): Promise<void> {
    await this.col.createIndex({ createdAt: -1 });
  }

  /** Stores the item; when one with the same id is stored already, that one is returned. */
  async add(item: BuiltinBacklogItem): Promise<BuiltinBacklogItem> {
    try {
      await this.col.insertOne(item);
      return item;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const existing = await this.col.findOne({ _id: item._id });
      if (!existing) throw err;
      return existing;
    }
  }

  /** Items, newest first. */
  list(opts: { skip?: number; limit?: number } = {}): Promise<BuiltinBacklogItem[]> {
    return this.col.find({}, { sort: { createdAt: -1, _id: 1 }, skip: opts.skip ?? 0, limit: opts.limit ?? 100 }).toArray();
  }
}
