import type { Filter } from 'mongodb';
import type { LgdAnalyst, LgdGroup, LgdResolutionCategory } from '../lgd/lgd-types.js';
import { RELAXED_WRITE, type DocBulkOperation, type DocCollection, type Store } from './doc-collection.js';
import { COLLECTIONS } from './collections.js';
import { StatusRepository, type DegradedPart } from './status-repository.js';

/** A reference entry as kept: LGD's fields, and when the app last found them changed (or new). */
type Keyed<T extends { key: string }> = Omit<T, 'key'> & { _id: string; refreshedAt: Date };

export type GroupDoc = Keyed<LgdGroup>;
export type AnalystDoc = Keyed<LgdAnalyst>;
export type CategoryDoc = Keyed<LgdResolutionCategory>;

/** The /healthz part of each reference list, as the sync reports a list LGD refuses. */
export const REFERENCE_PARTS = {
  groups: 'lgd.supportGroups',
  analysts: 'lgd.analysts',
  categories: 'lgd.resolutionCategories',
} as const;

/** A case-insensitive "contains" match on a string field; the text is matched literally. */
function containing(text: string): { $regex: string; $options: string } {
  return { $regex: text.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' };
}

/** LGD's reference data (support groups, analysts, resolution categories), refreshed by the worker. */
export class ReferenceRepository {
  private readonly groups: DocCollection<GroupDoc>;
  private readonly analysts: DocCollection<AnalystDoc>;
  private readonly categories: DocCollection<CategoryDoc>;
  private readonly status: StatusRepository;

  constructor(store: Store) {
    this.groups = store.collection<GroupDoc>(COLLECTIONS.lgdGroups);
    this.analysts = store.collection<AnalystDoc>(COLLECTIONS.lgdAnalysts);
    this.categories = store.collection<CategoryDoc>(COLLECTIONS.lgdCategories);
    this.status = new StatusRepository(store);
  }

  async init(): Promise<void> {
    await this.groups.createIndex({ title: 1 });
    await this.analysts.createIndex({ name: 1 });
    await this.analysts.createIndex({ email: 1 });
  }

  /** The support group with this LGD key, or null. */
  group(key: string): Promise<GroupDoc | null> {
    return this.groups.findOne({ _id: key });
  }

  /** The analyst with this LGD key, or null. */
  analyst(key: string): Promise<AnalystDoc | null> {
    return this.analysts.findOne({ _id: key });
  }

  /** Support groups whose title contains `text` (any case, taken literally), by title; at most `limit`. */
  searchGroups(text: string, limit: number): Promise<GroupDoc[]> {
    return this.groups.find({ title: containing(text) }, { sort: { title: 1 }, limit }).toArray();
  }

  /** Analysts whose title, log-on name or e-mail contains `text` (any case, taken literally), by title; at most `limit`. */
  searchAnalysts(text: string, limit: number): Promise<AnalystDoc[]> {
    const re = containing(text);
    return this.analysts.find({ $or: [{ title: re }, { name: re }, { email: re }] }, { sort: { title: 1 }, limit }).toArray();
  }

  /** Every resolution category kept (LGD's last copy), by title. */
  resolutionCategories(): Promise<CategoryDoc[]> {
    return this.categories.find({}, { sort: { title: 1 } }).toArray();
  }

  /**
   * Whether resolution categories can be offered: how many are kept (the last copy LGD gave),
   * and what LGD answered when the last refresh of the list failed.
   */
  async categoriesAvailability(): Promise<{ count: number; problem: DegradedPart | null }> {
    const [count, problem] = await Promise.all([this.categories.countDocuments(), this.status.get(REFERENCE_PARTS.categories)]);
    return { count, problem };
  }

  /** Replaces the support groups with LGD's current list; returns how many there are. */
  replaceGroups(items: readonly LgdGroup[], now: Date): Promise<number> {
    return replaceAll(this.groups, items, now);
  }

  /** Replaces the analysts with LGD's current list; returns how many there are. */
  replaceAnalysts(items: readonly LgdAnalyst[], now: Date): Promise<number> {
    return replaceAll(this.analysts, items, now);
  }

  /** Replaces the resolution categories with LGD's current list; returns how many there are. */
  replaceCategories(items: readonly LgdResolutionCategory[], now: Date): Promise<number> {
    return replaceAll(this.categories, items, now);
  }
}

/** True when a kept entry has exactly LGD's fields (its key and refresh time aside). */
function sameEntry(kept: Record<string, unknown>, listed: Record<string, unknown>): boolean {
  const keys = Object.keys(kept).filter((k) => k !== '_id' && k !== 'refreshedAt');
  return keys.length === Object.keys(listed).length && keys.every((k) => Object.hasOwn(listed, k) && kept[k] === listed[k]);
}

/**
 * Replaces one kind of reference data with LGD's current list in one request (one durable commit):
 * hundreds of analysts are not hundreds of commits. Only what changed is written: a list LGD gives
 * unchanged (most refreshes) writes nothing, a new one is inserted. Returns how many there are.
 * Relaxed (RELAXED_WRITE): the entries are LGD's only, and a list lost to a power cut is listed
 * again (the pass's durable cursor save comes after it, so the pass is repeated).
 */
async function replaceAll<T extends { key: string }>(col: DocCollection<Keyed<T>>, items: readonly T[], now: Date): Promise<number> {
  const kept = new Map((await col.find({}).toArray()).map((d) => [d._id as string, d as unknown as Record<string, unknown>]));
  const listed = new Set<string>();
  const ops: DocBulkOperation<Keyed<T>>[] = [];
  for (const { key, ...rest } of items) {
    listed.add(key);
    const had = kept.get(key);
    if (had && sameEntry(had, rest)) continue;
    const fields = { refreshedAt: now, ...rest };
    // A replace where one is kept (an upsert: another pass may have removed it meanwhile), else an insert, which is cheaper.
    const op = had ? { replaceOne: { filter: { _id: key }, replacement: fields, upsert: true } } : { insertOne: { document: { _id: key, ...fields } } };
    ops.push(op as unknown as DocBulkOperation<Keyed<T>>);
  }
  const gone = [...kept.keys()].filter((k) => !listed.has(k));
  if (gone.length > 0) ops.push({ deleteMany: { filter: { _id: { $in: gone } } as Filter<Keyed<T>> } });
  if (ops.length > 0) await col.bulkWrite(ops, RELAXED_WRITE);
  return items.length;
}
