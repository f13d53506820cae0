import { datesBetween } from '../domain/iso-date.js';
import { checkRange } from '../store/rota-repository.js';
import type { Rota } from './teams-ports.js';

/** Writes the configured rota seed for the dates that have no lead yet; returns how many days it wrote. */
export async function seedRota(rota: Rota, seed: readonly { from: string; to: string; lead: string }[], by: string): Promise<number> {
  let written = 0;
  for (const entry of seed) {
    checkRange(entry.from, entry.to);
    const taken = new Set((await rota.range(entry.from, entry.to)).filter((d) => d.lead).map((d) => d._id));
    for (const date of datesBetween(entry.from, entry.to)) {
      if (taken.has(date)) continue;
      written += (await rota.set(date, date, { email: entry.lead, name: null }, by)).length;
    }
  }
  return written;
}
