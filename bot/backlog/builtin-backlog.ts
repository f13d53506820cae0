import { createHash } from 'node:crypto';
import type { BacklogItemRepository, BuiltinBacklogItem } from '../store/backlog-item-repository.js';
import type { BacklogPort, CreatedBacklogItem, NewBacklogItem } from './backlog-port.js';

/** The backlog stored in the app (collection `backlog`), used when no Azure DevOps is configured. */
export class BuiltinBacklog implements BacklogPort {
  readonly kind = 'builtin' as const;

  constructor(
    private readonly items: BacklogItemRepository,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Stores the item; a repeat of the same requestId returns the item already stored. */
  async create(item: NewBacklogItem): Promise<CreatedBacklogItem> {
    const { requestId, ...fields } = item;
    const doc: BuiltinBacklogItem = { _id: requestId, externalId: externalIdOf(item), ...fields, createdAt: this.clock() };
    const stored = await this.items.add(doc);
    return { externalId: stored.externalId, url: null };
  }

  /** Items, newest first. */
  list(opts: { skip?: number; limit?: number } = {}): Promise<BuiltinBacklogItem[]> {
    return this.items.list(opts);
  }
}

/** Deterministic, so that two racing creates of one request agree on the id. */
function externalIdOf(item: NewBacklogItem): string {
  const h = createHash('sha256').update(item.requestId).digest('hex').slice(0, 6);
  return `BL-${item.ticketNumber}-${h}`;
}
