/**
 * Calendar dates as the team writes them (YYYY-MM-DD), and the date it is in the team's time zone.
 * Pure date arithmetic: which of these dates are working days is the calendar's business (calendar.ts).
 */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** True when `s` is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === s;
}

/** The ISO date `days` calendar days after `date` (negative: before). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Day of the week of an ISO date: 0 Sunday … 6 Saturday. */
export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** True on a Saturday or a Sunday. */
export const isWeekend = (date: string): boolean => weekdayOf(date) === 0 || weekdayOf(date) === 6;

/** Calendar days from `a` to `b` (0 on the same day, negative when `b` is before `a`). */
export function daysFromTo(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** Every ISO date from..to inclusive (none when from is after to). */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Monday of the ISO week (Monday–Sunday) that contains `date`. */
export function mondayOf(date: string): string {
  return addDays(date, -((weekdayOf(date) + 6) % 7));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The last date told per zone and the second it was told for: every request of a second asks again. */
const lastToday = new Map<string, { second: number; date: string }>();

/** The calendar date (YYYY-MM-DD) it is in `timeZone` at instant `now`. */
export function todayIn(timeZone: string, now: Date): string {
  // Zone offsets are whole seconds, so the date is the same all through one second.
  const second = Math.floor(now.getTime() / 1000);
  const last = lastToday.get(timeZone);
  if (last?.second === second) return last.date;
  const date = formatDateIn(timeZone, now);
  lastToday.set(timeZone, { second, date });
  return date;
}

function formatDateIn(timeZone: string, now: Date): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** "Fri 2026-11-27": an ISO date with its weekday, as the rota and the days off show it. */
export function withWeekday(date: string): string {
  const day = new Intl.DateTimeFormat('en-GB', { weekday: 'short', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
  return `${day} ${date}`;
}
