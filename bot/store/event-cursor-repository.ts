import type { DocCollection, Store } from './doc-collection.js';
import { COLLECTIONS } from './collections.js';

/** How far one reader of the event log has acted. */
export interface EventCursor {
  /** The reader, e.g. `teams`. */
  _id: string;
  /** The last event acted on (or given up). */
  seq: number;
  /** The event that failed last pass, and how many passes it has failed: later events wait for it. */
  failing?: { seq: number; attempts: number };
}

/** The event log's readers' cursors (collection `event_cursors`): a cursor moves only past events acted on. */
export class EventCursorRepository {
  private readonly col: DocCollection<EventCursor>;

  constructor(store: Store) {
    this.col = store.collection<EventCursor>(COLLECTIONS.eventCursors);
  }

  /** The reader's cursor; at the start of the log when it has none. */
  async get(reader: string): Promise<EventCursor> {
    return (await this.col.findOne({ _id: reader })) ?? { _id: reader, seq: 0 };
  }

  /** Moves the reader's cursor to `seq`, with the event that is failing, if any. */
  async save(reader: string, seq: number, failing?: EventCursor['failing']): Promise<void> {
    await this.col.replaceOne({ _id: reader }, { seq, ...(failing ? { failing } : {}) }, { upsert: true });
  }
}
