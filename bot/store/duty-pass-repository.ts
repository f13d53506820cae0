import type { DocCollection, Store } from './doc-collection.js';
import { COLLECTIONS } from './collections.js';
import { isDuplicateKeyError } from './duplicate-key.js';

/** A duty pass done: keyed by its day and kind, and the person or ticket when it is one per each (bot/domain/duties.ts `dutyKey`). */
export interface DutyPass {
  _id: string;
  day: string;
  kind: string;
  /** The analyst key or ticket key the pass was about, when it is one per each. */
  who: string | null;
  at: Date;
  /** What it did, for operators (e.g. "3 cards queued"). */
  detail: string | null;
}

/**
 * The duty passes done (collection `duty_passes`), so that a restart, a second instance or a pass
 * run by hand never does one twice. A pass queues its messages first (each idempotent by its id)
 * and is marked done after: a pass cut short is finished by the next one without repeating a card.
 */
export class DutyPassRepository {
  private readonly col: DocCollection<DutyPass>;

  constructor(
    store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.col = store.collection<DutyPass>(COLLECTIONS.dutyPasses);
  }

  async init(): Promise<void> {
    await this.col.createIndex({ day: 1 });
  }

  /** The keys among these that are done. */
  async done(keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const found = await this.col.find({ _id: { $in: [...keys] } }, { projection: { _id: 1 } }).toArray();
    return new Set(found.map((d) => d._id));
  }

  /** Marks a pass done; false when it already was. */
  async markDone(p: Omit<DutyPass, 'at'>): Promise<boolean> {
    try {
      await this.col.insertOne({ ...p, at: this.clock() });
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  /** The passes done on a day, in the order they were done. */
  onDay(day: string): Promise<DutyPass[]> {
    return this.col.find({ day }, { sort: { at: 1, _id: 1 } }).toArray();
  }
}
