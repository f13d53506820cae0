import { RotaRangeInvalid } from '../errors.js';
import { datesBetween } from '../domain/iso-date.js';
import { rotaRangeProblem } from '../domain/rota-command.js';
import type { Rota, RotaDay } from '../teams/teams-ports.js';
import type { DocCollection, Store } from './doc-collection.js';
import { COLLECTIONS } from './collections.js';

/** Throws RotaRangeInvalid unless from..to is a real, ordered range the rota may cover. */
export function checkRange(from: string, to: string): void {
  const problem = rotaRangeProblem(from, to);
  if (problem) throw new RotaRangeInvalid(problem);
}

/** The support rota in the store (collection `rota`): one document per ISO date in the team's time zone. */
export class RotaRepository implements Rota {
  private readonly days: DocCollection<RotaDay>;

  constructor(
    store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.days = store.collection<RotaDay>(COLLECTIONS.rota);
  }

  /** The Operations Lead on `date`, when one is set. */
  async leadOn(date: string): Promise<RotaDay | null> {
    return this.days.findOne({ _id: date });
  }

  /** Sets the lead (e-mail lower-cased) for every date from..to inclusive; returns the days written. */
  async set(from: string, to: string, lead: { email: string; name: string | null }, setBy: string): Promise<RotaDay[]> {
    checkRange(from, to);
    const updatedAt = this.now();
    const written: RotaDay[] = [];
    for (const date of datesBetween(from, to)) {
      const day: RotaDay = { _id: date, lead: { email: lead.email.toLowerCase(), name: lead.name }, setBy, updatedAt };
      await this.days.replaceOne({ _id: date }, { lead: day.lead, setBy, updatedAt }, { upsert: true });
      written.push(day);
    }
    return written;
  }

  /** The days set between from and to inclusive, in date order. */
  async range(from: string, to: string): Promise<RotaDay[]> {
    return this.days.find({ _id: { $gte: from, $lte: to } }, { sort: { _id: 1 } }).toArray();
  }
}
