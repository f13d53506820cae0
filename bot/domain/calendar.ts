/**
 * The team's working days (support-process.md speaks of "the following working day" and of work
 * taking "more than 3 days"): Monday to Friday in TEAM_TIME_ZONE, less the bank holidays of the
 * team's region and the days off the team adds. Pure: the bank holidays and the days off are given
 * by whoever builds the calendar (bot/calendar/calendar-source.ts), so the rules here are tested
 * without a library or a store.
 */
import { addDays, isWeekend, todayIn } from './iso-date.js';

/** A day that is not worked although it falls on a weekday. */
export interface DayNotWorked {
  /** YYYY-MM-DD. */
  date: string;
  /** "Christmas Day", "Boxing Day (substitute day)", or the reason the team gave. */
  name: string;
  kind: 'bank_holiday' | 'day_off';
}

/** The team's working days. */
export interface TeamCalendar {
  /** IANA time zone the team's days are counted in. */
  readonly timeZone: string;
  /** The team's date (YYYY-MM-DD) at instant `now`. */
  todayIn(now: Date): string;
  /** True on a weekday that is neither a bank holiday nor a team day off. */
  isWorkingDay(date: string): boolean;
  /** The first working day after `date`. */
  nextWorkingDay(date: string): string;
  /** How many working days come after `a` up to and including `b` (0 when `b` is not after `a`). */
  workingDaysBetween(a: string, b: string): number;
  /** The bank holiday or day off on `date` (a weekday), or null. */
  holidayName(date: string): string | null;
  /** The weekdays not worked from..to inclusive, in date order. */
  daysNotWorked(from: string, to: string): DayNotWorked[];
}

/** How far `nextWorkingDay` looks before it gives up on the days off (they cannot cover a year of weekdays). */
const LOOK_AHEAD_DAYS = 400;

/**
 * Builds the calendar. Holidays and days off that fall on a weekend are dropped: a library's list
 * names a Saturday holiday as well as its Monday substitute, and the weekend is not worked anyway.
 * When a date is both, the bank holiday's name is shown.
 */
export function teamCalendar(o: {
  timeZone: string;
  bankHolidays: readonly { date: string; name: string }[];
  daysOff?: readonly { date: string; name: string }[];
}): TeamCalendar {
  const off = new Map<string, DayNotWorked>();
  for (const d of o.daysOff ?? []) if (!isWeekend(d.date)) off.set(d.date, { date: d.date, name: d.name, kind: 'day_off' });
  for (const h of o.bankHolidays) if (!isWeekend(h.date)) off.set(h.date, { date: h.date, name: h.name, kind: 'bank_holiday' });
  const isWorkingDay = (date: string): boolean => !isWeekend(date) && !off.has(date);
  return {
    timeZone: o.timeZone,
    todayIn: (now) => todayIn(o.timeZone, now),
    isWorkingDay,
    nextWorkingDay(date) {
      for (let d = addDays(date, 1), i = 0; i < LOOK_AHEAD_DAYS; d = addDays(d, 1), i++) if (isWorkingDay(d)) return d;
      // Only a year of days off could get here: fall back to the next weekday rather than loop on.
      let d = addDays(date, 1);
      while (isWeekend(d)) d = addDays(d, 1);
      return d;
    },
    workingDaysBetween(a, b) {
      let n = 0;
      for (let d = addDays(a, 1); d <= b; d = addDays(d, 1)) if (isWorkingDay(d)) n++;
      return n;
    },
    holidayName: (date) => off.get(date)?.name ?? null,
    daysNotWorked: (from, to) => [...off.values()].filter((d) => d.date >= from && d.date <= to).sort((x, y) => (x.date < y.date ? -1 : 1)),
  };
}
