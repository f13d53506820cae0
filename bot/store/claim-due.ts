import type { DocCollection } from './doc-collection.js';

/** What a queue of retried work keeps on each document (card jobs, notices to people). */
export interface DueWork {
  _id: string;
  status: string;
  attempts: number;
  nextAttemptAt: Date;
  updatedAt: Date;
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
      { $set: { nextAttemptAt: new Date(now.getTime() + claimMs), updatedAt: now }, $inc: { attempts: 1 } },
      { returnDocument: 'after' },
    );
    if (c) claimed.push(c as T);
  }
  return claimed;
}
