import { datesBetween } from '../domain/iso-date.js';
import { checkRange } from '../store/rota-repository.js';
import type { TeamCalendar } from '../domain/calendar.js';
import type { Rota, RotaPerson } from './teams-ports.js';

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

/** How many developers the demo puts on support each working day. */
const DEMO_SUPPORT_SIZE = 2;

/**
 * Gives the demo's working days from..to a support list where none was ever set: the team's
 * developers (the lead left out) two a day in turn, so the demo shows who is on support and who is
 * not on the next working day. Returns how many days it wrote.
 */
export async function seedDemoSupport(
  rota: Rota,
  calendar: Pick<TeamCalendar, 'isWorkingDay'>,
  o: { from: string; to: string; team: readonly string[]; lead: string | null },
  by: string,
): Promise<number> {
  const developers = [...new Set(o.team.map((e) => e.toLowerCase()))].filter((e) => e !== o.lead?.toLowerCase());
  if (developers.length === 0) return 0;
  checkRange(o.from, o.to);
  const set = new Set((await rota.range(o.from, o.to)).filter((d) => d.support).map((d) => d._id));
  const days: { date: string; support: RotaPerson[] }[] = [];
  let turn = 0;
  for (const date of datesBetween(o.from, o.to)) {
    if (!calendar.isWorkingDay(date)) continue;
    const size = Math.min(DEMO_SUPPORT_SIZE, developers.length);
    const support = Array.from({ length: size }, (_, i) => ({ email: developers[(turn + i) % developers.length]!, name: null }));
    turn += 1;
    if (!set.has(date)) days.push({ date, support });
  }
  return days.length > 0 ? (await rota.apply(days, by)).length : 0;
}
