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
 * The leases each store's holders hold in this process, by store: a holder here is alive (or was
 * stopped without giving its lease up, and is not provably gone), so the embedded store's
 * exclusive lock proves nothing about it.
 */
const HELD_HERE = new WeakMap<Store, Set<string>>();
const heldKey = (name: string, holder: string): string => `${name}\u0000${holder}`;

/**
 * A lease in the store (collection `leases`) so that exactly one instance runs a job (sync,
 * delivery, scheduling) at a time; another takes over when the holder stops renewing.
 */
export class Lease {
  private readonly col: DocCollection<LeaseDoc>;
  private readonly heldHere: Set<string>;
  /** When this holder last took or renewed the lease (by the lease's clock); null while it does not hold it. */
  private renewedAt: number | null = null;

  constructor(
    store: Store,
    readonly name: string,
    readonly holder: string,
    private readonly ttlMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.col = store.collection<LeaseDoc>(COLLECTIONS.leases);
    let held = HELD_HERE.get(store);
    if (!held) HELD_HERE.set(store, (held = new Set()));
    this.heldHere = held;
  }

  /** Notes whether this holder has the lease now, for the other holders in this process. */
  private holds(yes: boolean): boolean {
    if (yes) this.heldHere.add(heldKey(this.name, this.holder));
    else this.heldHere.delete(heldKey(this.name, this.holder));
    this.renewedAt = yes ? this.clock().getTime() : null;
    return yes;
  }

  /**
   * Renews the lease when a third of its term has passed since this holder last took or renewed
   * it (cheap to call often: no store access before then), so a pass longer than the term keeps
   * it. False when the lease is no longer this holder's.
   */
  async renewIfDue(): Promise<boolean> {
    if (this.renewedAt === null) return false;
    if (this.clock().getTime() - this.renewedAt < this.ttlMs / 3) return true;
    return this.acquire();
  }

  /**
   * True when another holder in this very process holds the lease now (two worker loops sharing
   * one store in one process): the store's exclusive lock proves nothing about that holder, so
   * the lease is not taken over from it, only acquired as usual once it expires or is released.
   */
  async heldByAnotherHere(): Promise<boolean> {
    const doc = await this.col.findOne({ _id: this.name });
    return !!doc && doc.holder !== this.holder && doc.expiresAt.getTime() > this.clock().getTime() && this.heldHere.has(heldKey(this.name, doc.holder));
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
      return this.holds(doc?.holder === this.holder);
    } catch (err) {
      // Upserting while another holder's unexpired lease exists collides on _id: not ours.
      if (isDuplicateKeyError(err)) return this.holds(false);
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
    this.holds(true);
    if (before && before.holder !== this.holder) this.heldHere.delete(heldKey(this.name, before.holder));
    return before && before.holder !== this.holder && before.expiresAt.getTime() > now.getTime() ? before.holder : null;
  }

  /** Gives the lease up so another instance can take over at once. */
  async release(): Promise<void> {
    this.holds(false);
    await this.col.updateOne({ _id: this.name, holder: this.holder }, { $set: { expiresAt: new Date(0) } });
  }
}
