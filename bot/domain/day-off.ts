/**
 * Days off the team adds to its calendar (a Christmas Eve, a team away day): which may be added,
 * and what `day off <date> <name>` says. Pure; they are stored (bot/store/days-off-repository.ts)
 * and the calendar (calendar.ts) counts them as days not worked.
 */
import type { TeamCalendar } from './calendar.js';
import type { Parsed } from './email-address.js';
import { addDays, isIsoDate, isWeekend, withWeekday } from './iso-date.js';

/** Longest name a day off may have. */
export const DAY_OFF_NAME_MAX = 80;

/** How far ahead a day off may be added, in days: the bank holidays are known that far. */
export const DAY_OFF_AHEAD_DAYS = 731;

/** Longest command text read at all (a date, a name, and room for spaces). */
const TEXT_MAX = 200;

/** The name given when the lead gives none. */
export const DEFAULT_DAY_OFF_NAME = 'Team day off';

/**
 * Reads "<date> [name]" (what follows `day off`): a YYYY-MM-DD date and an optional one-line name,
 * spaces tidied. Splits at the first space: linear in the text's length, bounded.
 */
export function parseDayOff(text: string): Parsed<{ date: string; name: string }> {
  if (text.length > TEXT_MAX) return { ok: false, message: `That is too long: give a date and a name of at most ${DAY_OFF_NAME_MAX} characters.` };
  const tidy = text.replace(/\s+/g, ' ').trim();
  const space = tidy.indexOf(' ');
  const date = space < 0 ? tidy : tidy.slice(0, space);
  const name = space < 0 ? '' : tidy.slice(space + 1);
  if (!date) return { ok: false, message: 'Give the date, as YYYY-MM-DD.' };
  if (!isIsoDate(date)) return { ok: false, message: `"${date.slice(0, 20)}" is not a date written YYYY-MM-DD.` };
  if (name.length > DAY_OFF_NAME_MAX) return { ok: false, message: `A day off's name has at most ${DAY_OFF_NAME_MAX} characters.` };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return { ok: false, message: "A day off's name cannot hold control characters." };
  return { ok: true, value: { date, name: name || DEFAULT_DAY_OFF_NAME } };
}

/** Reads "<date>" (what follows `day off remove`). */
export function parseDayOffDate(text: string): Parsed<string> {
  const date = text.trim();
  if (!date) return { ok: false, message: 'Give the date, as YYYY-MM-DD.' };
  if (date.length > 20 || !isIsoDate(date)) return { ok: false, message: `"${date.slice(0, 20)}" is not a date written YYYY-MM-DD.` };
  return { ok: true, value: date };
}

/**
 * Why `date` cannot become a day off, or null when it can: it must be a working day today or later
 * (a weekend or a bank holiday is not worked anyway; the past is done), and within
 * DAY_OFF_AHEAD_DAYS. A day that already is a day off may be renamed.
 */
export function dayOffRefusal(date: string, today: string, calendar: TeamCalendar): string | null {
  if (date < today) return `${withWeekday(date)} is in the past.`;
  if (date > addDays(today, DAY_OFF_AHEAD_DAYS)) return `${withWeekday(date)} is too far ahead: add days off up to two years ahead.`;
  if (isWeekend(date)) return `${withWeekday(date)} is a weekend day: it is not a working day anyway.`;
  const existing = calendar.daysNotWorked(date, date)[0];
  if (existing?.kind === 'bank_holiday') return `${withWeekday(date)} is a bank holiday (${existing.name}): it is not a working day anyway.`;
  return null;
}
