import type { RotaDayView } from '../api/contract.js';

/** One row of the rota grid: a week, Monday to Friday; a day outside the range is null. */
export interface RotaWeek {
  /** Monday's date. */
  monday: string;
  days: (RotaDayView | null)[];
}

const DAY_MS = 86_400_000;
const addDays = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/**
 * Lays the API's days out as weeks across (Monday–Friday columns), in date order. Weekend days
 * are not columns: the rota is a working-day calendar; bank holidays and team days off keep their
 * column, marked. Plain calendar arithmetic only: which days are working days is the server's.
 */
export function rotaWeeks(days: readonly RotaDayView[]): RotaWeek[] {
  const byDate = new Map(days.map((d) => [d.date, d]));
  const weeks = new Map<string, RotaWeek>();
  for (const d of [...days].sort((a, b) => a.date.localeCompare(b.date))) {
    if (d.weekday > 5) continue;
    const monday = addDays(d.date, -(d.weekday - 1));
    if (!weeks.has(monday)) {
      weeks.set(monday, { monday, days: [0, 1, 2, 3, 4].map((i) => byDate.get(addDays(monday, i)) ?? null) });
    }
  }
  return [...weeks.values()];
}

/** Working days in the range that have a gap. */
export function gapDays(days: readonly RotaDayView[]): RotaDayView[] {
  return days.filter((d) => d.working && d.gaps.length > 0);
}

/** The Monday of the week holding `date`. */
export function mondayOf(date: string): string {
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((wd + 6) % 7));
}

/** A range of `weeks` whole weeks from the Monday of `date`'s week, shifted by `offsetWeeks`. */
export function weeksRange(date: string, weeks: number, offsetWeeks = 0): { from: string; to: string } {
  const from = addDays(mondayOf(date), offsetWeeks * 7);
  return { from, to: addDays(from, weeks * 7 - 1) };
}
