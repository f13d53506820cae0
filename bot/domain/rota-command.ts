/**
 * The rota's date rules: what `rota set <date or range> lead <e-mail>` and `rota set <date or
 * range> support <e-mails>` ask for, and which ranges the rota accepts at all. Pure; the rota
 * itself is stored (bot/store/rota-repository.ts), who may be on it is checked in rota-rules.ts.
 */
import { addDays, daysFromTo, isIsoDate, mondayOf } from './iso-date.js';
import { parseEmails } from './email-address.js';

/** The longest range one rota command or write may cover, in days (inclusive). */
export const MAX_ROTA_DAYS = 366;

const LEAD = /^[^@\s]+@[^@\s]+$/;

/** Words that set a day's support list to nobody. */
const NOBODY = new Set(['nobody', 'none', 'no-one', 'noone']);

/** What `rota set` was asked to do (a lead, or a support list), or why it cannot be done. */
export type RotaCommand =
  | { ok: true; from: string; to: string; lead: string }
  | { ok: true; from: string; to: string; support: string[] }
  | { ok: false; message: string };

// No angle brackets: Teams shows them escaped ("&lt;email&gt;") in a message.
const ROTA_SYNTAX =
  'Say it like this: "rota set next week lead ann@example.org" or "rota set next week support bob@example.org, cy@example.org". ' +
  'The day can be a date (2026-12-01), a range (2026-12-01..2026-12-05), today, tomorrow, this week (today to Friday) or next week (Monday to Friday); ' +
  'after "lead" comes the e-mail address of the Operations Lead, after "support" those of the developers on support ("support nobody" for none).';

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
    // The days of this week already past cannot be changed: "this week" is what is left of it.
    const from = s === 'this week' && today > monday ? today : monday;
    return { from, to: addDays(monday, 4) };
  }
  const dots = s.indexOf('..');
  const [from, to] = dots < 0 ? [s, s] : [s.slice(0, dots).trim(), s.slice(dots + 2).trim()];
  return isIsoDate(from) && isIsoDate(to) ? { from, to } : null;
}

/**
 * Parses `rota set <date or range> lead <email>` or `rota set <date or range> support <emails>`
 * (the leading `rota set` is optional); `today` is the team's ISO date. Reads words, not a
 * backtracking pattern: linear in the text's length.
 */
export function parseRotaCommand(text: string, today: string): RotaCommand {
  const words = text.trim().split(/\s+/);
  if (words.length >= 2 && words[0]?.toLowerCase() === 'rota' && words[1]?.toLowerCase() === 'set') words.splice(0, 2);
  const at = words.findIndex((w) => w.toLowerCase() === 'lead' || w.toLowerCase() === 'support');
  if (at < 1 || at === words.length - 1) return { ok: false, message: `I could not read that rota command. ${ROTA_SYNTAX}` };
  const kind = words[at]!.toLowerCase() as 'lead' | 'support';
  const spec = words.slice(0, at).join(' ');
  const people = words.slice(at + 1);
  let person: { lead: string } | { support: string[] };
  if (kind === 'lead') {
    if (people.length !== 1) return { ok: false, message: `I could not read that rota command: name one Operations Lead. ${ROTA_SYNTAX}` };
    const lead = people[0]!;
    if (!LEAD.test(lead)) return { ok: false, message: `"${lead}" is not an e-mail address. ${ROTA_SYNTAX}` };
    person = { lead: lead.toLowerCase() };
  } else if (people.length === 1 && NOBODY.has(people[0]!.toLowerCase())) {
    person = { support: [] };
  } else {
    const list = parseEmails(people.join(' '));
    if (!list.ok) return { ok: false, message: `${list.message} ${ROTA_SYNTAX}` };
    person = { support: list.value };
  }
  const dates = datesNamed(spec, today);
  if (!dates) return { ok: false, message: `"${spec.trim()}" is not a date or range I know. ${ROTA_SYNTAX}` };
  if (dates.from > dates.to) {
    if (spec.trim().toLowerCase().replace(/\s+/g, ' ') === 'this week') return { ok: false, message: 'This week has no days left to set; say "next week" instead.' };
    return { ok: false, message: `The range starts (${dates.from}) after it ends (${dates.to}). ${ROTA_SYNTAX}` };
  }
  if (daysFromTo(dates.from, dates.to) + 1 > MAX_ROTA_DAYS) {
    return { ok: false, message: `A range can cover at most ${MAX_ROTA_DAYS} days; split it into shorter ones. ${ROTA_SYNTAX}` };
  }
  return { ok: true, from: dates.from, to: dates.to, ...person };
}
