import { createHash } from 'node:crypto';
import type { DocCollection, Store } from '../store/doc-collection.js';
import { isDuplicateKeyError } from '../store/duplicate-key.js';
import type { BacklogPort, CreatedBacklogItem, NewBacklogItem } from './backlog-port.js';

/** A backlog item kept by the app itself, keyed by the request that made it. */
export interface BuiltinBacklogItem extends Omit<NewBacklogItem, 'requestId'> {
  /** The request id: one request, one item. */
  _id: string;
  /** Short, stable id people can quote, e.g. "BL-4711-3f9a2c". */
  externalId: string;
  createdAt: Date;
}

/** The backlog stored in the app (collection `backlog`), used when no Azure DevOps is configured. */
export class BuiltinBacklog implements BacklogPort {
  readonly kind = 'builtin' as const;
  private readonly col: DocCollection<BuiltinBacklogItem>;

  constructor(
    store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.col = store.collection<BuiltinBacklogItem>('backlog');
  }

  /** Creates the index the listing sorts by. */
  async init(): Promise<void> {
    await this.col.createIndex({ createdAt: -1 });
  }

  /** Stores the item; a repeat of the same requestId returns the item already stored. */
  async create(item: NewBacklogItem): Promise<CreatedBacklogItem> {
    const { requestId, ...fields } = item;
    const doc: BuiltinBacklogItem = { _id: requestId, externalId: externalIdOf(item), ...fields, createdAt: this.clock() };
    try {
      await this.col.insertOne(doc);
      return { externalId: doc.externalId, url: null };
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const existing = await this.col.findOne({ _id: requestId });
      if (!existing) throw err;
      return { externalId: existing.externalId, url: null };
    }
  }

  /** Items, newest first. */
  list(opts: { skip?: number; limit?: number } = {}): Promise<BuiltinBacklogItem[]> {
    return this.col.find({}, { sort: { createdAt: -1, _id: 1 }, skip: opts.skip ?? 0, limit: opts.limit ?? 100 }).toArray();
  }
}

/** Deterministic, so that two racing creates of one request agree on the id. */
function externalIdOf(item: NewBacklogItem): string {
  const h = createHash('sha256').update(item.requestId).digest('hex').slice(0, 6);
  return `BL-${item.ticketNumber}-${h}`;
}
