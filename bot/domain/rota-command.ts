/**
 * The rota's date rules: what `rota set <date or range> lead <e-mail>` asks for, and which ranges
 * the rota accepts at all. Pure; the rota itself is stored (bot/teams/rota.ts).
 */
import { addDays, daysFromTo, isIsoDate, mondayOf } from './iso-date.js';

/** The longest range one rota command or write may cover, in days (inclusive). */
export const MAX_ROTA_DAYS = 366;

const LEAD = /^[^@\s]+@[^@\s]+$/;

/** What `rota set` was asked to do, or why it cannot be done. */
export type RotaCommand = { ok: true; from: string; to: string; lead: string } | { ok: false; message: string };

// No angle brackets: Teams shows them escaped ("&lt;email&gt;") in a message.
const ROTA_SYNTAX =
  'Say it like this: "rota set next week lead ann@example.org". The day can be a date (2026-12-01), a range (2026-12-01..2026-12-05), ' +
  'today, tomorrow, this week or next week (Monday to Friday); after "lead" comes the e-mail address of the Operations Lead.';

/** Why from..to is not a range the rota takes (two real dates, in order, at most MAX_ROTA_DAYS days), or null when it is. */
export function rotaRangeProblem(from: string, to: string): string | null {
  if (!isIsoDate(from) || !isIsoDate(to)) return `${from}..${to} is not two YYYY-MM-DD dates`;
  if (from > to) return `${from} is after ${to}`;
  if (daysFromTo(from, to) + 1 > MAX_ROTA_DAYS) return `${from}..${to} is longer than ${MAX_ROTA_DAYS} days`;
  return null;
}

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
  if (daysFromTo(dates.from, dates.to) + 1 > MAX_ROTA_DAYS) {
    return { ok: false, message: `A range can cover at most ${MAX_ROTA_DAYS} days; split it into shorter ones. ${ROTA_SYNTAX}` };
  }
  return { ok: true, from: dates.from, to: dates.to, lead: lead.toLowerCase() };
}
