import type { Filter } from 'mongodb';
import type { LgdAnalyst, LgdGroup, LgdResolutionCategory } from '../lgd/lgd-types.js';
import type { DocCollection, Store } from './doc-collection.js';
import { StatusRepository, type DegradedPart } from './status-repository.js';

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

/** LGD's reference data (support groups, analysts, resolution categories), refreshed by the worker. */
export class ReferenceRepository {
  readonly groups: DocCollection<GroupDoc>;
  readonly analysts: DocCollection<AnalystDoc>;
  readonly categories: DocCollection<CategoryDoc>;
  private readonly status: StatusRepository;

  constructor(store: Store) {
    this.groups = store.collection<GroupDoc>('lgd_groups');
    this.analysts = store.collection<AnalystDoc>('lgd_analysts');
    this.categories = store.collection<CategoryDoc>('lgd_categories');
    this.status = new StatusRepository(store);
  }

  /**
   * Whether resolution categories can be offered: how many are kept (the last copy LGD gave),
   * and what LGD answered when the last refresh of the list failed.
   */
  async categoriesAvailability(): Promise<{ count: number; problem: DegradedPart | null }> {
    const [count, problem] = await Promise.all([this.categories.countDocuments(), this.status.get(REFERENCE_PARTS.categories)]);
    return { count, problem };
  }

  async init(): Promise<void> {
    await this.groups.createIndex({ title: 1 });
    await this.analysts.createIndex({ name: 1 });
    await this.analysts.createIndex({ email: 1 });
  }

  /** Replaces one kind of reference data with LGD's current list; returns how many there are. */
  async replace<T extends { key: string }>(col: DocCollection<Keyed<T>>, items: readonly T[], now: Date): Promise<number> {
    for (const { key, ...rest } of items) {
      await col.replaceOne({ _id: key } as Filter<Keyed<T>>, { ...rest, refreshedAt: now } as unknown as Omit<Keyed<T>, '_id'>, { upsert: true });
    }
    await col.deleteMany({ _id: { $nin: items.map((i) => i.key) } } as Filter<Keyed<T>>);
    return items.length;
  }
}
