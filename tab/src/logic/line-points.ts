import type { InsightWeek } from '../api/contract.js';

/** A week's point on a line chart: at noon UTC of its Monday. */
export interface LinePoint {
  x: Date;
  y: number;
}

/**
 * The points of one line: a week with no figure (null: nothing to measure that week) is left out,
 * not drawn as 0, which would read as a bad week. The table beside the chart says "–" for it.
 */
export function linePoints(weeks: readonly InsightWeek[], figure: (w: InsightWeek) => number | null): LinePoint[] {
  return weeks.flatMap((w) => {
    const y = figure(w);
    return y === null ? [] : [{ x: new Date(`${w.weekStart}T12:00:00Z`), y }];
  });
}
