import { withWeekday } from '../domain/iso-date.js';
import type { RotaWriteOutcome, SkipReason } from './rota-editor.js';

const REASON: Record<SkipReason, string> = {
  weekend: 'weekend',
  bank_holiday: 'bank holiday',
  team_day_off: 'team day off',
  not_in_pattern: 'not in the pattern',
};

/** "Rota set for 5 working days from Mon 2026-12-07 to Fri 2026-12-11; 2 skipped (weekend)." : what a rota write did, for the chat and the tab alike. */
export function rotaSummary(what: string, outcome: Extract<RotaWriteOutcome, { ok: true }>): string {
  const n = outcome.days.length;
  const first = outcome.days[0]?._id;
  const last = outcome.days.at(-1)?._id;
  const span = !first || !last ? '' : first === last ? ` on ${withWeekday(first)}` : ` from ${withWeekday(first)} to ${withWeekday(last)}`;
  const reasons = [...new Set(outcome.skipped.map((s) => REASON[s.reason]))];
  const skipped = outcome.skipped.length === 0 ? '0 skipped' : `${outcome.skipped.length} skipped (${reasons.join(', ')})`;
  if (n === 0) return `Nothing was set: the range has no working day (${outcome.skipped.length} day${outcome.skipped.length === 1 ? '' : 's'} skipped: ${reasons.join(', ')}).`;
  return `${what} for ${n} working day${n === 1 ? '' : 's'}${span}; ${skipped}.`;
}
