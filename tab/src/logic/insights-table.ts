import type { InsightWeek } from '../api/contract.js';
import type { CsvCell } from './csv.js';
import { formatDay } from './format.js';

/** A chart's numbers as a table: what screen readers read and what "Export CSV" writes. */
export interface FigureTable {
  id: string;
  title: string;
  headers: string[];
  rows: CsvCell[][];
}

const round1 = (n: number | null): number | null => (n === null ? null : Math.round(n * 10) / 10);

/** The four figures of the Insights view, one table each, a row per week (oldest first). */
export function insightTables(weeks: readonly InsightWeek[]): FigureTable[] {
  const w = (x: InsightWeek): string => `${x.weekStart} (w/c ${formatDay(x.weekStart)})`;
  return [
    {
      id: 'triage-time',
      title: 'Time from arrival to triage decision (hours)',
      headers: ['Week', 'Decisions', 'Median hours', '90th percentile hours'],
      rows: weeks.map((x) => [w(x), x.triageHours.count, round1(x.triageHours.median), round1(x.triageHours.p90)]),
    },
    {
      id: 'decisions',
      title: 'Triage decisions by outcome',
      headers: ['Week', 'Approved', 'Project', 'Reassigned'],
      rows: weeks.map((x) => [w(x), x.decisions.approved, x.decisions.project, x.decisions.reassigned]),
    },
    {
      id: 'daily-updates',
      title: 'Owned tickets whose user was updated each working day (%)',
      headers: ['Week', 'Updated each working day (%)'],
      rows: weeks.map((x) => [w(x), x.dailyUpdateShare === null ? null : Math.round(x.dailyUpdateShare * 100)]),
    },
    {
      id: 'over-limit',
      title: 'Tickets over the limit, escalations and hand-backs',
      headers: ['Week', 'Tickets over the limit', 'Escalations', 'Hand-backs'],
      rows: weeks.map((x) => [w(x), x.ticketsOverLimit, x.escalations, x.handBacks]),
    },
  ];
}
