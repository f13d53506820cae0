/**
 * How the tab writes dates and counts. Calendar dates (`YYYY-MM-DD`) are the team's own and are
 * shown as they are; instants are shown in the team's time zone, whatever the browser's zone.
 */

const dayFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
const longDayFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "Tue 1 Dec" for a calendar date. */
export function formatDay(date: string): string {
  return dayFormat.format(new Date(`${date}T00:00:00Z`));
}

/** "Tuesday 1 December 2026" for a calendar date (labels and screen readers). */
export function formatLongDay(date: string): string {
  return longDayFormat.format(new Date(`${date}T00:00:00Z`));
}

/** The calendar date of an instant in `timeZone`. */
export function dateIn(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(iso));
  const part = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** "09:30" in `timeZone`. */
export function timeIn(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone }).format(new Date(iso));
}

/** "today 09:30", "Tue 1 Dec 16:05", or "never", for when something last happened. */
export function formatWhen(iso: string | null, timeZone: string, today: string): string {
  if (!iso) return 'never';
  const d = dateIn(iso, timeZone);
  return `${d === today ? 'today' : formatDay(d)} ${timeIn(iso, timeZone)}`;
}

/** "raised today", "1 working day", "4 working days". */
export function workingDays(n: number): string {
  if (n <= 0) return 'today';
  return `${n} working day${n === 1 ? '' : 's'}`;
}

/** "1 ticket", "3 tickets". */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Hours as people read them: "45 min", "3.5 h", "2.1 days" (24-hour days). */
export function formatHours(h: number | null): string {
  if (h === null || !Number.isFinite(h)) return '–';
  if (h < 1) return `${Math.round(h * 60)} min`;
  if (h < 48) return `${Math.round(h * 10) / 10} h`;
  return `${Math.round((h / 24) * 10) / 10} days`;
}

/** A share 0–1 as a whole percentage, or "–". */
export function formatShare(s: number | null): string {
  return s === null || !Number.isFinite(s) ? '–' : `${Math.round(s * 100)} %`;
}
