import { RotaRangeInvalid } from '../errors.js';
import type { Rota } from './teams-ports.js';

/** The longest range one rota command or write may cover, in days (inclusive). */
export const MAX_ROTA_DAYS = 366;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const LEAD = /^[^@\s]+@[^@\s]+$/;
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
function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** Every ISO date from..to inclusive. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Number of days from..to inclusive. */
function spanDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** The calendar date (YYYY-MM-DD) it is in `timeZone` at instant `now`. */
export function todayIn(timeZone: string, now: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** The first date after `date` that is neither a Saturday, a Sunday nor one of `holidays`. */
export function nextWorkingDay(date: string, holidays: readonly string[] = []): string {
  const off = new Set(holidays);
  let d = addDays(date, 1);
  while (weekday(d) === 0 || weekday(d) === 6 || off.has(d)) d = addDays(d, 1);
  return d;
}

/** Monday of the ISO week (Monday–Sunday) that contains `date`. */
function mondayOf(date: string): string {
  return addDays(date, -((weekday(date) + 6) % 7));
}

/** What `rota set` was asked to do, or why it cannot be done. */
export type RotaCommand = { ok: true; from: string; to: string; lead: string } | { ok: false; message: string };

// No angle brackets: Teams shows them escaped ("&lt;email&gt;") in a message.
const ROTA_SYNTAX =
  'Say it like this: "rota set next week lead ann@example.org". The day can be a date (2026-12-01), a range (2026-12-01..2026-12-05), ' +
  'today, tomorrow, this week or next week (Monday to Friday); after "lead" comes the e-mail address of the Operations Lead.';

/** The from..to dates a rota command's date part names, relative to `today`; null when it names none. */
function datesNamed(spec: string, today: string): { from: string; to: string } | null {
  const s = spec.trim().toLowerCase().replace(/\s+/g, ' ');
  if (s === 'today') return { from: today, to: today };
  if (s === 'tomorrow') return { from: addDays(today, 1), to: addDays(today, 1) };
  if (s === 'this week' || s === 'next week') {
    const monday = addDays(mondayOf(today), s === 'next week' ? 7 : 0);
    return { from: monday, to: addDays(monday, 4) };
  }
  const dots = s.indexOf('..');
  const [from, to] = dots < 0 ? [s, s] : [s.slice(0, dots).trim(), s.slice(dots + 2).trim()];
  return isIsoDate(from) && isIsoDate(to) ? { from, to } : null;
}

/**
 * Parses `rota set <date or range> lead <email>` (the leading `rota set` is optional); `today` is
 * the team's ISO date. Reads words, not a backtracking pattern: linear in the text's length.
 */
export function parseRotaCommand(text: string, today: string): RotaCommand {
  const words = text.trim().split(/\s+/);
  if (words.length >= 2 && words[0]?.toLowerCase() === 'rota' && words[1]?.toLowerCase() === 'set') words.splice(0, 2);
  if (words.length < 2 || words.at(-2)?.toLowerCase() !== 'lead') return { ok: false, message: `I could not read that rota command. ${ROTA_SYNTAX}` };
  const lead = words.at(-1) ?? '';
  const spec = words.slice(0, -2).join(' ');
  if (!LEAD.test(lead)) return { ok: false, message: `"${lead}" is not an e-mail address. ${ROTA_SYNTAX}` };
  const dates = datesNamed(spec, today);
  if (!dates) return { ok: false, message: `"${spec.trim()}" is not a date or range I know. ${ROTA_SYNTAX}` };
  if (dates.from > dates.to) return { ok: false, message: `The range starts (${dates.from}) after it ends (${dates.to}). ${ROTA_SYNTAX}` };
  if (spanDays(dates.from, dates.to) > MAX_ROTA_DAYS) {
    return { ok: false, message: `A range can cover at most ${MAX_ROTA_DAYS} days; split it into shorter ones. ${ROTA_SYNTAX}` };
  }
  return { ok: true, from: dates.from, to: dates.to, lead: lead.toLowerCase() };
}

/** Throws RotaRangeInvalid unless from..to is a real, ordered range of at most MAX_ROTA_DAYS days. */
export function checkRange(from: string, to: string): void {
  if (!isIsoDate(from) || !isIsoDate(to)) throw new RotaRangeInvalid(`${from}..${to} is not two YYYY-MM-DD dates`);
  if (from > to) throw new RotaRangeInvalid(`${from} is after ${to}`);
  if (spanDays(from, to) > MAX_ROTA_DAYS) throw new RotaRangeInvalid(`${from}..${to} is longer than ${MAX_ROTA_DAYS} days`);
}

/** Writes the configured rota seed for the dates that have no lead yet; returns how many days it wrote. */
export async function seedRota(rota: Rota, seed: readonly { from: string; to: string; lead: string }[], by: string): Promise<number> {
  let written = 0;
  for (const entry of seed) {
    checkRange(entry.from, entry.to);
    const taken = new Set((await rota.range(entry.from, entry.to)).map((d) => d._id));
    for (const date of datesBetween(entry.from, entry.to)) {
      if (taken.has(date)) continue;
      written += (await rota.set(date, date, { email: entry.lead, name: null }, by)).length;
    }
  }
  return written;
}
