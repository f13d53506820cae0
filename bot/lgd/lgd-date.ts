/**
 * LGD renders and parses dates as strings in the session's culture and time zone
 * (e.g. `14/02/2019 11:05:06` in GMT Standard Time). These helpers turn such strings into
 * instants and back for any pattern made of dd, d, MM, M, yyyy, HH, H, mm, ss tokens and an
 * IANA time zone, without a date library.
 */

const TOKEN = /yyyy|dd|MM|HH|mm|ss|d|M|H/g;

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const partsCache = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = partsCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsCache.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time an instant shows in a time zone, as Intl renders it (slow: tens of microseconds). */
function intlWallTime(date: Date, timeZone: string): WallTime {
  const parts = formatterFor(timeZone).formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value ?? NaN);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/**
 * The zone's offset at an instant (whole seconds, as wall times are rendered): the wall time it
 * shows, read as UTC, less the instant. By default from the cached offsets (`wallTimeIn`); the
 * cache itself is filled from Intl's rendering.
 */
function offsetMs(ms: number, timeZone: string, wall: (date: Date, timeZone: string) => WallTime = wallTimeIn): number {
  const w = wall(new Date(ms), timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
}

/**
 * Offsets by zone and UTC hour, kept for the hours whose first and last second have the same
 * offset: a sync reads thousands of dates, and Intl's formatToParts costs tens of microseconds
 * each. An hour in which a clock change falls (some zones change on the half hour) is not kept
 * and always asks Intl.
 */
const hourOffsets = new Map<string, Map<number, number>>();
const MAX_HOURS = 100_000;
/** Instants whose wall time is safely within years 1000-9999 in every zone. */
const FAST_FROM = Date.UTC(1000, 0, 3);
const FAST_UNTIL = Date.UTC(9999, 11, 29);

function offsetAt(ms: number, timeZone: string): number {
  const hour = Math.floor(ms / 36e5);
  let byHour = hourOffsets.get(timeZone);
  const known = byHour?.get(hour);
  if (known !== undefined) return known;
  const start = offsetMs(hour * 36e5, timeZone, intlWallTime);
  const end = offsetMs(hour * 36e5 + 36e5 - 1000, timeZone, intlWallTime);
  if (start !== end) return offsetMs(ms, timeZone, intlWallTime);
  if (!byHour) {
    byHour = new Map();
    hourOffsets.set(timeZone, byHour);
  }
  if (byHour.size >= MAX_HOURS) byHour.clear();
  byHour.set(hour, start);
  return start;
}

/** The wall-clock time an instant shows in a time zone. */
export function wallTimeIn(date: Date, timeZone: string): WallTime {
  const ms = date.getTime();
  // Outside years 1000-9999 Intl's rendering (eras, padding) is the reference: no shortcut.
  if (!(ms >= FAST_FROM && ms < FAST_UNTIL)) return intlWallTime(date, timeZone);
  const wall = new Date(Math.floor(ms / 1000) * 1000 + offsetAt(ms, timeZone));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  };
}

/**
 * Offsets of wall-clock hours (by zone and hour since the epoch) around which the zone's offset
 * does not change: within such an hour a wall time has exactly one instant, so parsing a page of
 * dates costs one zone conversion each instead of four (the check that it shows that wall time).
 */
const steadyOffsets = new Map<string, number>();

function showsWallTime(instant: number, w: WallTime, timeZone: string): boolean {
  const back = wallTimeIn(new Date(instant), timeZone);
  return back.year === w.year && back.month === w.month && back.day === w.day && back.hour === w.hour && back.minute === w.minute && back.second === w.second;
}

/**
 * The instant a wall-clock time denotes in a time zone. In the repeated hour when clocks go
 * back the earlier instant is returned; a time skipped when clocks go forward gets the offset from before the change.
 */
export function instantOf(w: WallTime, timeZone: string): Date {
  const naive = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  // An hour with one offset around it (no change in the window below) was seen before: one check, not four.
  const hourKey = `${timeZone}|${Math.floor(naive / 36e5)}`;
  const known = steadyOffsets.get(hourKey);
  if (known !== undefined && showsWallTime(naive - known, w, timeZone)) return new Date(naive - known);
  // Try both offsets seen around this time; prefer the earliest instant that shows this wall time.
  // The instant lies between naive - 14 h and naive + 12 h (the widest offsets there are): a window
  // of three hours around the naive instant misses the change of a zone far from UTC (Lord Howe, +11).
  const o1 = offsetMs(naive - 36e5 * 15, timeZone);
  const o2 = offsetMs(naive + 36e5 * 13, timeZone);
  if (o1 === o2) {
    if (steadyOffsets.size >= 50_000) steadyOffsets.clear();
    steadyOffsets.set(hourKey, o1);
  }
  const candidates = [naive - o1, naive - o2].sort((a, b) => a - b);
  for (const c of candidates) {
    const back = wallTimeIn(new Date(c), timeZone);
    if (
      back.year === w.year &&
      back.month === w.month &&
      back.day === w.day &&
      back.hour === w.hour &&
      back.minute === w.minute &&
      back.second === w.second
    ) {
      return new Date(c);
    }
  }
  return new Date(naive - Math.max(o1, o2));
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Formats an instant in LGD's pattern and time zone. */
export function formatLgdDate(date: Date, pattern: string, timeZone: string): string {
  const w = wallTimeIn(date, timeZone);
  return pattern.replace(TOKEN, (t) => {
    switch (t) {
      case 'yyyy':
        return pad(w.year, 4);
      case 'dd':
        return pad(w.day, 2);
      case 'd':
        return String(w.day);
      case 'MM':
        return pad(w.month, 2);
      case 'M':
        return String(w.month);
      case 'HH':
        return pad(w.hour, 2);
      case 'H':
        return String(w.hour);
      case 'mm':
        return pad(w.minute, 2);
      default:
        return pad(w.second, 2);
    }
  });
}

const patternCache = new Map<string, { re: RegExp; fields: string[] }>();

function compile(pattern: string): { re: RegExp; fields: string[] } {
  let c = patternCache.get(pattern);
  if (!c) {
    const fields: string[] = [];
    let src = '';
    let last = 0;
    for (const m of pattern.matchAll(TOKEN)) {
      src += pattern.slice(last, m.index).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      fields.push(m[0]);
      src += m[0] === 'yyyy' ? '(\\d{4})' : m[0].length === 2 ? '(\\d{2})' : '(\\d{1,2})';
      last = m.index + m[0].length;
    }
    src += pattern.slice(last).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    c = { re: new RegExp(`^\\s*${src}\\s*$`), fields };
    patternCache.set(pattern, c);
  }
  return c;
}

/**
 * Parses an LGD date string; returns null when it does not match the pattern or names an
 * impossible date. A pattern without seconds (minute-grained sites) parses to :00.
 */
export function parseLgdDate(text: string, pattern: string, timeZone: string): Date | null {
  const { re, fields } = compile(pattern);
  const m = re.exec(text);
  if (!m) return null;
  const w: WallTime = { year: NaN, month: NaN, day: NaN, hour: 0, minute: 0, second: 0 };
  fields.forEach((f, i) => {
    const v = Number(m[i + 1]);
    if (f === 'yyyy') w.year = v;
    else if (f === 'MM' || f === 'M') w.month = v;
    else if (f === 'dd' || f === 'd') w.day = v;
    else if (f === 'HH' || f === 'H') w.hour = v;
    else if (f === 'mm') w.minute = v;
    else w.second = v;
  });
  if (![w.year, w.month, w.day].every(Number.isFinite)) return null;
  if (w.month < 1 || w.month > 12 || w.day < 1 || w.hour > 23 || w.minute > 59 || w.second > 59) return null;
  const daysInMonth = new Date(Date.UTC(w.year, w.month, 0)).getUTCDate();
  if (w.day > daysInMonth) return null;
  return instantOf(w, timeZone);
}
