import type { DocCollection, Store } from './doc-collection.js';
import { COLLECTIONS } from './collections.js';

/** An area of the business and who picks up its project work (Programme Delivery Manager / Digital Services Architect). */
export interface Area {
  area: string;
  /** UPNs / e-mail addresses, lower case. */
  contacts: string[];
}

/** An area as stored (collection `areas`), keyed by its name. */
export interface AreaDoc {
  _id: string;
  contacts: string[];
  updatedAt: Date;
}

/** A case-insensitive exact match on a string. */
function exactly(value: string): { $regex: string; $options: string } {
  return { $regex: `^${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, $options: 'i' };
}

const normalised = (contacts: readonly string[]): string[] => [...new Set(contacts.map((c) => c.trim().toLowerCase()).filter(Boolean))];

/** The areas and their contacts, in the store: seeded from `AREAS`, then edited by leads from chat. */
export class AreaRepository {
  private readonly col: DocCollection<AreaDoc>;

  constructor(
    store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.col = store.collection<AreaDoc>(COLLECTIONS.areas);
  }

  /** Every area, by name. */
  async list(): Promise<Area[]> {
    const docs = await this.col.find({}, { sort: { _id: 1 } }).toArray();
    return docs.map(toArea);
  }

  /** The area named `area`, whatever its case, or null. */
  async get(area: string): Promise<Area | null> {
    const doc = await this.col.findOne({ _id: exactly(area.trim()) });
    return doc && toArea(doc);
  }

  /** Sets an area's contacts, keeping the stored spelling of an existing name; `created` when the area is new. */
  async set(area: string, contacts: readonly string[]): Promise<Area & { created: boolean }> {
    const existing = await this.col.findOne({ _id: exactly(area.trim()) });
    const name = existing?._id ?? area.trim();
    await this.col.updateOne({ _id: name }, { $set: { contacts: normalised(contacts), updatedAt: this.clock() } }, { upsert: true });
    return { area: name, contacts: normalised(contacts), created: !existing };
  }

  /** Removes the area named `area`, whatever its case; the removed area, or null when there is none. */
  async remove(area: string): Promise<Area | null> {
    const existing = await this.col.findOne({ _id: exactly(area.trim()) });
    if (!existing) return null;
    const r = await this.col.deleteOne({ _id: existing._id });
    return r.deletedCount > 0 ? toArea(existing) : null;
  }

  /** Writes `areas` only when the collection is empty; returns how many were written. */
  async seed(areas: readonly { area: string; contacts: readonly string[] }[]): Promise<number> {
    if (areas.length === 0 || (await this.col.countDocuments({})) > 0) return 0;
    const now = this.clock();
    let written = 0;
    for (const a of areas) {
      // $setOnInsert: two instances seeding at once write each area once and never overwrite an edit.
      const r = await this.col.updateOne(
        { _id: a.area.trim() },
        { $setOnInsert: { contacts: normalised(a.contacts), updatedAt: now } },
        { upsert: true },
      );
      written += r.upsertedCount;
    }
    return written;
  }
}

function toArea(doc: AreaDoc): Area {
  return { area: doc._id, contacts: doc.contacts };
}
