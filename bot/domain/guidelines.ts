/**
 * The limits support-process.md sets as guidelines, with the seed's values as defaults (each
 * configurable, see GUIDELINE_* in bot/config.ts): own at most three tickets at a time, update the
 * user at least once a day, and raise work that takes more than three days with the Operations
 * Lead. Days are the team's working days (calendar.ts). Pure.
 */
import type { TeamCalendar } from './calendar.js';

/** The team's guidelines. */
export interface Guidelines {
  /** Own at most this many tickets at a time ("a maximum of three tickets"). */
  readonly maxOwned: number;
  /** Update the user at least once every this many working days ("at least once a day"). */
  readonly updateEveryWorkingDays: number;
  /** Work owned for more than this many working days is raised with the Operations Lead ("more than 3 days"). */
  readonly longWorkDays: number;
}

/** The seed's own numbers. */
export const SEED_GUIDELINES: Guidelines = Object.freeze({ maxOwned: 3, updateEveryWorkingDays: 1, longWorkDays: 3 });

const WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

/** A count as people write it in a sentence: words up to ten, figures above. */
export const countWord = (n: number): string => WORDS[n] ?? String(n);

/** True when owning `count` tickets is more than the guideline allows (the owner may still take them; the lead should hear of it). */
export const isOverOwnedLimit = (count: number, g: Guidelines): boolean => count > g.maxOwned;

/** "three at most": the owned-tickets guideline as the cards say it. */
export const ownedLimitText = (g: Guidelines): string => `${countWord(g.maxOwned)} at most`;

/** "at least once a day" / "at least once every 2 working days": the update guideline as the cards say it. */
export const updateGuidelineText = (g: Guidelines): string =>
  g.updateEveryWorkingDays === 1 ? 'at least once a day' : `at least once every ${g.updateEveryWorkingDays} working days`;

/** "more than three working days": the long-work guideline as the cards say it. */
export const longWorkText = (g: Guidelines): string => `more than ${countWord(g.longWorkDays)} working day${g.longWorkDays === 1 ? '' : 's'}`;

/** True when the user heard from the team on the team's date of `now` (the day in TEAM_TIME_ZONE, working day or not). */
export function userUpdatedToday(lastUpdate: Date | null, now: Date, calendar: TeamCalendar): boolean {
  return lastUpdate !== null && calendar.todayIn(lastUpdate) === calendar.todayIn(now);
}

/**
 * True when an owner owes the user an update today: today is a working day, and at least
 * `updateEveryWorkingDays` working days have passed since the user last heard from the team (or,
 * when they never have, since the owner took the ticket: the day one takes a ticket counts as
 * handled). Weekends, bank holidays and days off never make an update due.
 */
export function userUpdateDue(o: { lastUpdate: Date | null; ownedSince: Date }, now: Date, calendar: TeamCalendar, g: Guidelines): boolean {
  const today = calendar.todayIn(now);
  if (!calendar.isWorkingDay(today)) return false;
  const since = o.lastUpdate && o.lastUpdate > o.ownedSince ? o.lastUpdate : o.ownedSince;
  return calendar.workingDaysBetween(calendar.todayIn(since), today) >= g.updateEveryWorkingDays;
}

/** Working days the owner has had a ticket: those after the day they took it, up to and including today. */
export function workingDaysOwned(ownedSince: Date, now: Date, calendar: TeamCalendar): number {
  return calendar.workingDaysBetween(calendar.todayIn(ownedSince), calendar.todayIn(now));
}

/** True when a ticket has been owned for more than `longWorkDays` working days: time to raise it with the Operations Lead. */
export function ownedTooLong(ownedSince: Date, now: Date, calendar: TeamCalendar, g: Guidelines): boolean {
  return workingDaysOwned(ownedSince, now, calendar) > g.longWorkDays;
}
