import type { DocCollection, Store } from './doc-collection.js';
import { COLLECTIONS } from './collections.js';

/** A day the team does not work although it is a weekday and no bank holiday (added by a lead). */
export interface DayOff {
  /** YYYY-MM-DD, in the team's time zone. */
  date: string;
  name: string;
  /** The lead who added it. */
  addedBy: string;
  addedAt: Date;
}

/** A day off as stored (collection `days_off`), keyed by its date. */
interface DayOffDoc {
  _id: string;
  name: string;
  addedBy: string;
  addedAt: Date;
}

/** Most days off one read returns: two years of every weekday would be about 520. */
const LIST_MAX = 1000;

/** The team's days off, in the store: added and removed by leads from chat (`day off …`), counted by the calendar. */
export class DaysOffRepository {
  private readonly col: DocCollection<DayOffDoc>;

  constructor(
    store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.col = store.collection<DayOffDoc>(COLLECTIONS.daysOff);
  }

  /** Adds a day off, or renames the one on that date; `added` when it is new. Callers pass a checked YYYY-MM-DD date. */
  async set(date: string, name: string, addedBy: string): Promise<{ dayOff: DayOff; added: boolean }> {
    const addedAt = this.clock();
    const r = await this.col.updateOne({ _id: date }, { $set: { name, addedBy, addedAt } }, { upsert: true });
    return { dayOff: { date, name, addedBy, addedAt }, added: r.upsertedCount > 0 };
  }

  /** Removes the day off on `date`; the removed one, or null when there was none. */
  async remove(date: string): Promise<DayOff | null> {
    const existing = await this.col.findOne({ _id: date });
    if (!existing) return null;
    const r = await this.col.deleteOne({ _id: date });
    return r.deletedCount > 0 ? toDayOff(existing) : null;
  }

  /** The days off from..to inclusive (YYYY-MM-DD), in date order. */
  async between(from: string, to: string): Promise<DayOff[]> {
    const docs = await this.col.find({ _id: { $gte: from, $lte: to } }, { sort: { _id: 1 }, limit: LIST_MAX }).toArray();
    return docs.map(toDayOff);
  }
}

const toDayOff = (d: DayOffDoc): DayOff => ({ date: d._id, name: d.name, addedBy: d.addedBy, addedAt: d.addedAt });
