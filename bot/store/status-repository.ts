import type { DocCollection, Store } from './doc-collection.js';
import { COLLECTIONS } from './collections.js';
import { SyncStateRepository, type FirstSyncStatus } from './sync-state-repository.js';

/** A part of the app that works, but not fully: /healthz names each, the Project form reads one. */
export interface DegradedPart {
  /** e.g. `lgd`, `lgd.timeZoneSwitch`, `lgd.resolutionCategories`. */
  part: string;
  /** Stable code, e.g. `LGD_UNAVAILABLE`. */
  code: string;
  /** What LGD (or the store) answered and what the app does meanwhile. */
  message: string;
  /** LGD's answer alone (`HTTP 500 (an HTML page): Class … not found`), when one came. */
  lgdAnswer?: string;
  /** Since when the part is degraded. */
  since: Date;
}

/** Who reports a part: each reporter replaces its own parts wholesale. */
export type StatusSource = 'sync' | 'reference' | 'lgd-session';

interface StatusDoc {
  _id: string;
  source: StatusSource;
  code: string;
  message: string;
  lgdAnswer?: string;
  since: Date;
}

const partOf = (d: StatusDoc): DegradedPart => ({
  part: d._id,
  code: d.code,
  message: d.message,
  ...(d.lgdAnswer === undefined ? {} : { lgdAnswer: d.lgdAnswer }),
  since: d.since,
});

/**
 * What is degraded, kept in the store so that every instance (not only the one that syncs) and
 * every form can tell. Written only on change: a failure that repeats every pass writes once.
 */
export class StatusRepository {
  private readonly col: DocCollection<StatusDoc>;
  private readonly syncState: SyncStateRepository;
  /** What this instance knows it wrote; loaded on first report, so a new leader clears its predecessor's parts. */
  private known: Map<string, StatusDoc> | null = null;

  constructor(
    store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.col = store.collection<StatusDoc>(COLLECTIONS.healthStatus);
    this.syncState = new SyncStateRepository(store);
  }

  /** Sets the parts `source` reports as degraded now and clears the others it reported before. */
  async report(source: StatusSource, parts: readonly Omit<DegradedPart, 'since'>[]): Promise<void> {
    const known = (this.known ??= new Map((await this.col.find({}).toArray()).map((d) => [d._id, d])));
    const now = this.clock();
    for (const p of parts) {
      const had = known.get(p.part);
      if (had && had.source === source && had.code === p.code && had.message === p.message) continue;
      const { _id, ...fields }: StatusDoc = {
        _id: p.part,
        source,
        code: p.code,
        message: p.message,
        ...(p.lgdAnswer === undefined ? {} : { lgdAnswer: p.lgdAnswer }),
        since: had?.since ?? now,
      };
      await this.col.replaceOne({ _id }, fields, { upsert: true });
      const doc: StatusDoc = { _id, ...fields };
      known.set(p.part, doc);
    }
    const wanted = new Set(parts.map((p) => p.part));
    for (const [part, doc] of known) {
      if (doc.source !== source || wanted.has(part)) continue;
      await this.col.deleteOne({ _id: part });
      known.delete(part);
    }
  }

  /** Every degraded part, oldest first. */
  async list(): Promise<DegradedPart[]> {
    const docs = await this.col.find({}, { sort: { since: 1, _id: 1 } }).toArray();
    return docs.map(partOf);
  }

  /** One part's problem, or null when it is fine. */
  async get(part: string): Promise<DegradedPart | null> {
    const d = await this.col.findOne({ _id: part });
    return d && partOf(d);
  }

  /** Whether the first sync has completed, and how far the running one is. */
  firstSync(): Promise<FirstSyncStatus> {
    return this.syncState.firstSync();
  }
}
