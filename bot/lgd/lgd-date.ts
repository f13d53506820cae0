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
 * Offsets of wall-clock hours (by zone, then hour since the epoch) around which the zone's offset
 * does not change: within such an hour a wall time has exactly one instant, so parsing a page of
 * dates costs one offset look-up each instead of four zone conversions (the check that it shows that wall time).
 */
const steadyOffsets = new Map<string, Map<number, number>>();
const MAX_STEADY = 50_000;

function showsWallTime(instant: number, w: WallTime, timeZone: string): boolean {
  const back = wallTimeIn(new Date(instant), timeZone);
  return back.year === w.year && back.month === w.month && back.day === w.day && back.hour === w.hour && back.minute === w.minute && back.second === w.second;
}

/**
 * True when `instant` (whole seconds) shows the wall time `naive` (that wall time read as UTC) in
 * the zone. Within years 1000-9999 that is the instant plus the kept offset at it (as `wallTimeIn`
 * renders it), compared without building a wall time; elsewhere Intl's rendering of `w` decides.
 */
function shows(instant: number, naive: number, fields: readonly number[], timeZone: string): boolean {
  if (instant >= FAST_FROM && instant < FAST_UNTIL && naive >= FAST_FROM) return instant + offsetAt(instant, timeZone) === naive;
  const [year, month, day, hour, minute, second] = fields as [number, number, number, number, number, number];
  return showsWallTime(instant, { year, month, day, hour, minute, second }, timeZone);
}

/** Given for a wall time a day or more inside years 1000-9999, whose instants `shows` always checks by offset. */
const NO_FIELDS: readonly number[] = [];
const DAY_MS = 86_400_000;

/**
 * The instant (ms) a valid wall-clock time denotes in a time zone, its fields given one by one (no
 * object is built on the common path: a sync parses thousands of dates); see instantOf.
 */
function instantMs(year: number, month: number, day: number, hour: number, minute: number, second: number, timeZone: string): number {
  const naive = Date.UTC(year, month - 1, day, hour, minute, second);
  // Only far from the years 1000-9999 are the fields themselves compared (see shows); no closure is made per date.
  const wall = naive >= FAST_FROM + DAY_MS && naive < FAST_UNTIL - DAY_MS ? NO_FIELDS : [year, month, day, hour, minute, second];
  // An hour with one offset around it (no change in the window below) was seen before: one check, not four.
  const hour36 = Math.floor(naive / 36e5);
  let byHour = steadyOffsets.get(timeZone);
  const known = byHour?.get(hour36);
  if (known !== undefined && shows(naive - known, naive, wall, timeZone)) return naive - known;
  // Try both offsets seen around this time; prefer the earliest instant that shows this wall time.
  // The instant lies between naive - 14 h and naive + 12 h (the widest offsets there are): a window
  // of three hours around the naive instant misses the change of a zone far from UTC (Lord Howe, +11).
  const o1 = offsetMs(naive - 36e5 * 15, timeZone);
  const o2 = offsetMs(naive + 36e5 * 13, timeZone);
  if (o1 === o2) {
    if (!byHour) {
      byHour = new Map();
      steadyOffsets.set(timeZone, byHour);
    }
    if (byHour.size >= MAX_STEADY) byHour.clear();
    byHour.set(hour36, o1);
  }
  const a = naive - Math.max(o1, o2);
  const b = naive - Math.min(o1, o2);
  if (shows(a, naive, wall, timeZone)) return a;
  if (b !== a && shows(b, naive, wall, timeZone)) return b;
  return a;
}

/**
 * The instant a (valid) wall-clock time denotes in a time zone. In the repeated hour when clocks go
 * back the earlier instant is returned; a time skipped when clocks go forward gets the offset from before the change.
 */
export function instantOf(w: WallTime, timeZone: string): Date {
  return new Date(instantMs(w.year, w.month, w.day, w.hour, w.minute, w.second, timeZone));
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

/** A pattern compiled: its regular expression and fields, and for fixed-width patterns the position of each field. */
interface CompiledPattern {
  re: RegExp;
  fields: string[];
  /**
   * Patterns of two- and four-digit fields only (`dd/MM/yyyy HH:mm:ss`): the pattern, and where
   * each field (in the order year, month, day, hour, minute, second; -1 when absent) starts. A
   * string of exactly the pattern's length is read by position (a match of the expression has no
   * room for surrounding spaces then); any other goes to the expression.
   */
  fixed?: { pattern: string; digits: Uint8Array; at: [number, number, number, number, number, number] };
}

const patternCache = new Map<string, CompiledPattern>();

const FIELD_SLOT: Record<string, number> = { yyyy: 0, MM: 1, M: 1, dd: 2, d: 2, HH: 3, H: 3, mm: 4, ss: 5 };

function compile(pattern: string): CompiledPattern {
  let c = patternCache.get(pattern);
  if (!c) {
    const fields: string[] = [];
    let src = '';
    let last = 0;
    const at: [number, number, number, number, number, number] = [-1, -1, -1, -1, -1, -1];
    let fixedWidth = true;
    const digits = new Uint8Array(pattern.length);
    for (const m of pattern.matchAll(TOKEN)) {
      src += pattern.slice(last, m.index).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      fields.push(m[0]);
      src += m[0] === 'yyyy' ? '(\\d{4})' : m[0].length === 2 ? '(\\d{2})' : '(\\d{1,2})';
      last = m.index + m[0].length;
      const slot = FIELD_SLOT[m[0]] as number;
      // A field given twice takes its last value in the expression's reading: only a pattern with each once is read by position.
      if (m[0].length === 1 || at[slot] !== -1) fixedWidth = false;
      else {
        at[slot] = m.index;
        digits.fill(1, m.index, m.index + m[0].length);
      }
    }
    src += pattern.slice(last).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    c = { re: new RegExp(`^\\s*${src}\\s*$`), fields, ...(fixedWidth ? { fixed: { pattern, digits, at } } : {}) };
    patternCache.set(pattern, c);
  }
  return c;
}

/** The number written in `width` ASCII digits at `at` of `text` (its positions are known to be digits). */
function digitsAt(text: string, at: number, width: number): number {
  let v = 0;
  for (let i = at; i < at + width; i++) v = v * 10 + text.charCodeAt(i) - 48;
  return v;
}

/**
 * True when `text` has the fixed pattern's form position by position: ASCII digits where its
 * fields are (`digits`), its other characters as they are.
 */
function fitsFixed(text: string, pattern: string, digits: Uint8Array): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = text.charCodeAt(i);
    if (digits[i] === 1 ? c < 48 || c > 57 : c !== pattern.charCodeAt(i)) return false;
  }
  return true;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month of a year as Date.UTC reads it (years 0-99 are 1900-1999 there). */
function daysIn(year: number, month: number): number {
  if (month !== 2) return DAYS_IN_MONTH[month - 1] as number;
  const y = year >= 0 && year < 100 ? year + 1900 : year;
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
}

/** The instant (ms) of the fields read, or null when they name no date (see parseLgdDate). */
function checkedInstant(year: number, month: number, day: number, hour: number, minute: number, second: number, timeZone: string): number | null {
  if (!Number.isFinite(year) || !Number.isFinite(month) || !Number.isFinite(day)) return null;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  if (day > daysIn(year, month)) return null;
  return instantMs(year, month, day, hour, minute, second, timeZone);
}

/**
 * The instant (ms) an LGD date string denotes, or null when it does not match the pattern or
 * names an impossible date. A pattern without seconds (minute-grained sites) parses to :00.
 */
export function parseLgdDateMs(text: string, pattern: string, timeZone: string): number | null {
  const { re, fields, fixed } = compile(pattern);
  if (fixed && text.length === pattern.length && fitsFixed(text, pattern, fixed.digits)) {
    const at = fixed.at;
    const y = at[0];
    const mo = at[1];
    const d = at[2];
    const h = at[3];
    const mi = at[4];
    const s = at[5];
    return checkedInstant(
      y === -1 ? NaN : digitsAt(text, y, 4),
      mo === -1 ? NaN : digitsAt(text, mo, 2),
      d === -1 ? NaN : digitsAt(text, d, 2),
      h === -1 ? 0 : digitsAt(text, h, 2),
      mi === -1 ? 0 : digitsAt(text, mi, 2),
      s === -1 ? 0 : digitsAt(text, s, 2),
      timeZone,
    );
  }
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
  return checkedInstant(w.year, w.month, w.day, w.hour, w.minute, w.second, timeZone);
}

/**
 * Parses an LGD date string; returns null when it does not match the pattern or names an
 * impossible date. A pattern without seconds (minute-grained sites) parses to :00.
 */
export function parseLgdDate(text: string, pattern: string, timeZone: string): Date | null {
  const ms = parseLgdDateMs(text, pattern, timeZone);
  return ms === null ? null : new Date(ms);
}
