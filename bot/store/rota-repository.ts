import { RotaRangeInvalid } from '../errors.js';
import { datesBetween } from '../domain/iso-date.js';
import { rotaRangeProblem } from '../domain/rota-command.js';
import type { Rota, RotaDay, RotaPerson } from '../teams/teams-ports.js';
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

  /** The day `date`, when it has an Operations Lead. */
  async leadOn(date: string): Promise<(RotaDay & { lead: RotaPerson }) | null> {
    const day = await this.days.findOne({ _id: date });
    return day?.lead ? (day as RotaDay & { lead: RotaPerson }) : null;
  }

  /** Sets the lead (e-mail lower-cased) for every date from..to inclusive, keeping each day's support list; returns the days written. */
  async set(from: string, to: string, lead: RotaPerson, setBy: string): Promise<RotaDay[]> {
    return this.write(from, to, { lead: { email: lead.email.toLowerCase(), name: lead.name } }, setBy);
  }

  /** Replaces the support list (e-mails lower-cased, each once) of every date from..to inclusive, keeping each day's lead. */
  async setSupport(from: string, to: string, support: readonly RotaPerson[], setBy: string): Promise<RotaDay[]> {
    const seen = new Set<string>();
    const list = support
      .map((p) => ({ email: p.email.toLowerCase(), name: p.name }))
      .filter((p) => !seen.has(p.email) && seen.add(p.email));
    return this.write(from, to, { support: list }, setBy);
  }

  /** Sets some fields of every date from..to inclusive (a missing day starts with no lead and no support list). */
  private async write(from: string, to: string, fields: Pick<RotaDay, 'lead'> | Pick<RotaDay, 'support'>, setBy: string): Promise<RotaDay[]> {
    checkRange(from, to);
    const updatedAt = this.now();
    const written: RotaDay[] = [];
    for (const date of datesBetween(from, to)) {
      const day = await this.days.findOneAndUpdate(
        { _id: date },
        { $set: { ...fields, setBy, updatedAt }, $setOnInsert: 'lead' in fields ? {} : { lead: null } },
        { upsert: true, returnDocument: 'after' },
      );
      if (day) written.push(day);
    }
    return written;
  }

  /**
   * Writes each given day's lead and / or support list (a field left out is kept; null clears it),
   * e-mails lower-cased; returns the days as they are now, in the order given. Callers pass
   * checked dates (the rota's rules in bot/domain/rota-rules.ts).
   */
  async apply(days: readonly { date: string; lead?: RotaPerson | null; support?: readonly RotaPerson[] | null }[], setBy: string): Promise<RotaDay[]> {
    const updatedAt = this.now();
    const written: RotaDay[] = [];
    for (const d of days) {
      checkRange(d.date, d.date);
      const fields: Partial<Pick<RotaDay, 'lead' | 'support'>> = {};
      if (d.lead !== undefined) fields.lead = d.lead && { email: d.lead.email.toLowerCase(), name: d.lead.name };
      if (d.support !== undefined) {
        const seen = new Set<string>();
        fields.support =
          d.support &&
          d.support.map((p) => ({ email: p.email.toLowerCase(), name: p.name })).filter((p) => !seen.has(p.email) && seen.add(p.email));
      }
      const day = await this.days.findOneAndUpdate(
        { _id: d.date },
        { $set: { ...fields, setBy, updatedAt }, $setOnInsert: 'lead' in fields ? {} : { lead: null } },
        { upsert: true, returnDocument: 'after' },
      );
      if (day) written.push(day);
    }
    return written;
  }

  /** The days set between from and to inclusive, in date order. */
  async range(from: string, to: string): Promise<RotaDay[]> {
    return this.days.find({ _id: { $gte: from, $lte: to } }, { sort: { _id: 1 } }).toArray();
  }
}
