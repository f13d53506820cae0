import type { DocCollection } from './doc-collection.js';

/** What a queue of retried work keeps on each document (card jobs, notices to people). */
export interface DueWork {
  _id: string;
  status: string;
  attempts: number;
  nextAttemptAt: Date;
  updatedAt: Date;
  /** Set while an attempt holds the document (the end of its claim, as `nextAttemptAt`); null or absent otherwise. */
  claimedUntil?: Date | null;
}

/**
 * Claims up to `limit` pending documents due by `now` for `claimMs`, each atomically (a conditional
 * update that counts the attempt): two workers never take the same one at once.
 */
export async function claimDue<T extends DueWork>(collection: DocCollection<T>, now: Date, claimMs: number, limit: number): Promise<T[]> {
  // Only the fields every queue shares are read or written: the collection is seen as just those.
  const col = collection as unknown as DocCollection<DueWork>;
  const due = await col.find({ status: 'pending', nextAttemptAt: { $lte: now } }, { sort: { nextAttemptAt: 1 }, limit, projection: { _id: 1 } }).toArray();
  const claimed: T[] = [];
  for (const { _id } of due) {
    const c = await col.findOneAndUpdate(
      { _id, status: 'pending', nextAttemptAt: { $lte: now } },
      { $set: { nextAttemptAt: new Date(now.getTime() + claimMs), claimedUntil: new Date(now.getTime() + claimMs), updatedAt: now }, $inc: { attempts: 1 } },
      { returnDocument: 'after' },
    );
    if (c) claimed.push(c as T);
  }
  return claimed;
}

/**
 * Frees the claims still held on pending documents: due at once again. Only for a process that
 * knows no other can be working on the store (the embedded store's exclusive lock), so every claim
 * it finds is a stopped process's, whose attempt may or may not have reached Teams. Returns how many.
 */
export async function releaseClaims(collection: DocCollection<DueWork>, now: Date): Promise<number> {
  const res = await collection.updateMany({ status: 'pending', claimedUntil: { $gt: now } }, { $set: { nextAttemptAt: now, claimedUntil: null, updatedAt: now } });
  return res.modifiedCount;
}
