/** Dates as the team reads them: wall-clock time in the team's time zone, and ages relative to now. */

export const DEFAULT_TEAM_TIME_ZONE = 'Europe/London';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface WallParts {
  weekday: string;
  day: string;
  month: string;
  year: string;
  time: string;
}

function partsOf(date: Date, timeZone: string): WallParts {
  const p: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(date)) p[part.type] = part.value;
  return { weekday: p.weekday ?? '', day: p.day ?? '', month: p.month ?? '', year: p.year ?? '', time: `${p.hour ?? ''}:${p.minute ?? ''}` };
}

/** "Mon 23 Nov 14:05" in the team's zone; the year is added when it differs from now's. */
export function formatTeamTime(date: Date, now: Date, timeZone: string = DEFAULT_TEAM_TIME_ZONE): string {
  const d = partsOf(date, timeZone);
  const year = d.year === partsOf(now, timeZone).year ? '' : ` ${d.year}`;
  return `${d.weekday} ${d.day} ${d.month}${year} ${d.time}`;
}

/** "14:05" when the date falls on today in the team's zone, else the full formatTeamTime. */
export function formatTeamTimeShort(date: Date, now: Date, timeZone: string = DEFAULT_TEAM_TIME_ZONE): string {
  const d = partsOf(date, timeZone);
  const n = partsOf(now, timeZone);
  if (d.year === n.year && d.month === n.month && d.day === n.day) return d.time;
  return formatTeamTime(date, now, timeZone);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
}

/** How long ago, in words: "just now", "5 minutes ago", "3 hours ago", "3 days ago", "2 months ago". */
export function describeAge(date: Date, now: Date): string {
  const ms = now.getTime() - date.getTime();
  if (ms < MINUTE) return 'just now';
  if (ms < HOUR) return plural(Math.floor(ms / MINUTE), 'minute');
  if (ms < DAY) return plural(Math.floor(ms / HOUR), 'hour');
  if (ms < 60 * DAY) return plural(Math.floor(ms / DAY), 'day');
  return plural(Math.floor(ms / (30 * DAY)), 'month');
}
