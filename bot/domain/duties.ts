/**
 * The daily duties of support-process.md's "How to handle a ticket" (5–8) as rules: when each
 * duty pass is due on a working day, who owes their users an update, who hands back before a day
 * off the support rota, which work has been owned too long, and who owns too much. Pure: the
 * scheduler (bot/duties/) reads the store and sends; everything it decides is decided here.
 */
import type { TeamCalendar } from './calendar.js';
import { isOverOwnedLimit, ownedTooLong, userUpdateDue, type Guidelines } from './guidelines.js';

/** When the passes run on a working day: HH:MM (24-hour) in the team's time zone. */
export interface DutyTimes {
  /** Owners whose users have not heard from them today are asked to update them (default 14:00). */
  readonly updateNudgeAt: string;
  /** Owners off the next working day's support list are asked to hand their tickets back (default 16:00). */
  readonly handBackAt: string;
  /** What is still held by people off support tomorrow is reported to the day's Operations Lead (default 17:30). */
  readonly cutOffAt: string;
}

/** The passes the scheduler runs, each at most once a day. */
export type DutyKind = 'update_nudge' | 'hand_back' | 'cut_off' | 'overload' | 'long_work';

/** The seed's defaults. */
export const DEFAULT_DUTY_TIMES: DutyTimes = Object.freeze({ updateNudgeAt: '14:00', handBackAt: '16:00', cutOffAt: '17:30' });

/** What "No change today" tells the user. */
export const NO_CHANGE_TODAY_TEXT =
  'No change today: we are still working on your request and will update you again by the end of the next working day.';

/** The time of day (HH:MM, 24-hour) at `now` in `timeZone`. */
export function timeOfDayIn(timeZone: string, now: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const hour = parts.find((p) => p.type === 'hour')?.value ?? '00';
  const minute = parts.find((p) => p.type === 'minute')?.value ?? '00';
  return `${hour}:${minute}`;
}

/**
 * The passes due at `now`: none on a day that is not worked; on a working day, overload and long
 * work from the morning on, and each timed pass once its time has come (a late start still runs it
 * that day; the next day it is not owed any more).
 */
export function dutiesDue(now: Date, calendar: TeamCalendar, times: DutyTimes): { day: string; kinds: DutyKind[] } {
  const day = calendar.todayIn(now);
  if (!calendar.isWorkingDay(day)) return { day, kinds: [] };
  const at = timeOfDayIn(calendar.timeZone, now);
  const kinds: DutyKind[] = ['overload', 'long_work'];
  if (at >= times.updateNudgeAt) kinds.push('update_nudge');
  if (at >= times.handBackAt) kinds.push('hand_back');
  if (at >= times.cutOffAt) kinds.push('cut_off');
  return { day, kinds };
}

/** An owned ticket with the two moments the guidelines count from. */
export interface OwnedWork<T = unknown> {
  ticket: T;
  ownerKey: string;
  ownedSince: Date;
  lastUpdate: Date | null;
}

/** The owned tickets whose users are owed an update today (none on a day that is not worked). */
export function updatesOwed<T>(owned: readonly OwnedWork<T>[], now: Date, calendar: TeamCalendar, g: Guidelines): OwnedWork<T>[] {
  return owned.filter((o) => userUpdateDue(o, now, calendar, g));
}

/**
 * True when the owner hands back tonight: the next working day has a support list and they are not
 * on it (a day whose list was never set is a day the support rota is not in use: nobody hands back).
 */
export function handsBack(ownerEmails: readonly string[], nextDaySupport: readonly { email: string }[] | null | undefined): boolean {
  if (!nextDaySupport) return false;
  const on = new Set(nextDaySupport.map((p) => p.email.toLowerCase()));
  return !ownerEmails.some((e) => on.has(e.toLowerCase()));
}

/** Owned work past the long-work guideline that nobody agreed to since the current owner took it. */
export function longWorkToRaise<T>(
  owned: readonly OwnedWork<T>[],
  agreedAt: (o: OwnedWork<T>) => Date | null,
  now: Date,
  calendar: TeamCalendar,
  g: Guidelines,
): OwnedWork<T>[] {
  return owned.filter((o) => {
    if (!ownedTooLong(o.ownedSince, now, calendar, g)) return false;
    return !longWorkAgreed(agreedAt(o), o.ownedSince);
  });
}

/** The Operations Lead agreed to the longer work of the current owner (an agreement before they took it does not count). */
export function longWorkAgreed(agreedAt: Date | null, ownedSince: Date): boolean {
  return agreedAt !== null && agreedAt >= ownedSince;
}

/** Owners (analyst keys) who own more than the guideline allows, with their counts. */
export function overloaded(owned: readonly { ownerKey: string }[], g: Guidelines): { ownerKey: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const o of owned) counts.set(o.ownerKey, (counts.get(o.ownerKey) ?? 0) + 1);
  return [...counts].filter(([, n]) => isOverOwnedLimit(n, g)).map(([ownerKey, count]) => ({ ownerKey, count }));
}

/** Groups items by owner, keeping their order. */
export function byOwner<T extends { ownerKey: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const i of items) out.set(i.ownerKey, [...(out.get(i.ownerKey) ?? []), i]);
  return out;
}

/** A duty pass's key: its day and kind, and the person or ticket when the pass is one per each. */
export function dutyKey(day: string, kind: DutyKind, who?: string): string {
  return who ? `${day}|${kind}|${who}` : `${day}|${kind}`;
}
