import type { DocCollection, Store } from './doc-collection.js';
import { COLLECTIONS } from './collections.js';
import { isDuplicateKeyError } from './duplicate-key.js';

/** A lease document: who holds a named job, until when. */
export interface LeaseDoc {
  _id: string;
  holder: string;
  expiresAt: Date;
}

/**
 * A lease in the store (collection `leases`) so that exactly one instance runs a job (sync,
 * delivery, scheduling) at a time; another takes over when the holder stops renewing.
 */
export class Lease {
  private readonly col: DocCollection<LeaseDoc>;

  constructor(
    store: Store,
    readonly name: string,
    readonly holder: string,
    private readonly ttlMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.col = store.collection<LeaseDoc>(COLLECTIONS.leases);
  }

  /** Takes or renews the lease; true when this holder has it now. */
  async acquire(): Promise<boolean> {
    const now = this.clock();
    const expiresAt = new Date(now.getTime() + this.ttlMs);
    try {
      const doc = await this.col.findOneAndUpdate(
        { _id: this.name, $or: [{ holder: this.holder }, { expiresAt: { $lte: now } }] },
        { $set: { holder: this.holder, expiresAt } },
        { upsert: true, returnDocument: 'after' },
      );
      return doc?.holder === this.holder;
    } catch (err) {
      // Upserting while another holder's unexpired lease exists collides on _id: not ours.
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  /**
   * Takes the lease whoever holds it, for when the store proves no other process can be running
   * (the embedded store's exclusive lock): a crashed process's lease need not be waited out.
   * Returns the previous holder when it was another one within its term, else null.
   */
  async takeOver(): Promise<string | null> {
    const now = this.clock();
    const before = await this.col.findOneAndUpdate(
      { _id: this.name },
      { $set: { holder: this.holder, expiresAt: new Date(now.getTime() + this.ttlMs) } },
      { upsert: true, returnDocument: 'before' },
    );
    return before && before.holder !== this.holder && before.expiresAt.getTime() > now.getTime() ? before.holder : null;
  }

  /** Gives the lease up so another instance can take over at once. */
  async release(): Promise<void> {
    await this.col.updateOne({ _id: this.name, holder: this.holder }, { $set: { expiresAt: new Date(0) } });
  }
}
