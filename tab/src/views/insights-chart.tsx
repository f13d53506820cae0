import type { ReactNode } from 'react';
import { GroupedVerticalBarChart, LineChart, VerticalStackedBarChart } from '@fluentui/react-charts';
import { tokens } from '@fluentui/react-components';
import type { InsightWeek } from '../api/contract.js';
import { formatDay } from '../logic/format.js';

interface Props {
  figure: string;
  weeks: InsightWeek[];
  limit: number;
}

const HEIGHT = 260;
const at = (w: InsightWeek): Date => new Date(`${w.weekStart}T12:00:00Z`);
const label = (w: InsightWeek): string => formatDay(w.weekStart);

/**
 * One Insights figure as a chart (`@fluentui/react-charts`, which follows the Fluent theme, high
 * contrast included). Its numbers are in the table beside it; the chart is decoration for screen readers.
 */
export function InsightsChart({ figure, weeks, limit }: Props): ReactNode {
  switch (figure) {
    case 'triage-time':
      return (
        <LineChart
          height={HEIGHT}
          yAxisTitle="Hours"
          data={{
            chartTitle: 'Time to triage decision',
            lineChartData: [
              { legend: 'Median', color: tokens.colorPaletteBlueBorderActive, data: weeks.map((w) => ({ x: at(w), y: w.triageHours.median ?? 0 })) },
              { legend: '90th percentile', color: tokens.colorPaletteDarkOrangeBorderActive, data: weeks.map((w) => ({ x: at(w), y: w.triageHours.p90 ?? 0 })) },
            ],
          }}
        />
      );
    case 'decisions':
      return (
        <VerticalStackedBarChart
          height={HEIGHT}
          chartTitle="Decisions by outcome"
          data={weeks.map((w) => ({
            xAxisPoint: label(w),
            chartData: [
              { legend: 'Approved', data: w.decisions.approved, color: tokens.colorPaletteGreenBorderActive },
              { legend: 'Project', data: w.decisions.project, color: tokens.colorPaletteBerryBorderActive },
              { legend: 'Reassigned', data: w.decisions.reassigned, color: tokens.colorPaletteMarigoldBorderActive },
            ],
          }))}
        />
      );
    case 'daily-updates':
      return (
        <LineChart
          height={HEIGHT}
          yAxisTitle="%"
          yMaxValue={100}
          data={{
            chartTitle: 'Owned tickets updated each working day',
            lineChartData: [{ legend: 'Updated each day (%)', color: tokens.colorPaletteTealBorderActive, data: weeks.map((w) => ({ x: at(w), y: Math.round((w.dailyUpdateShare ?? 0) * 100) })) }],
          }}
        />
      );
    default:
      return (
        <GroupedVerticalBarChart
          height={HEIGHT}
          chartTitle={`Over the limit of ${limit}, escalations, hand-backs`}
          data={weeks.map((w) => ({
            name: label(w),
            series: [
              { key: 'over', legend: 'Tickets over the limit', data: w.ticketsOverLimit, color: tokens.colorPaletteRedBorderActive },
              { key: 'esc', legend: 'Escalations', data: w.escalations, color: tokens.colorPaletteDarkOrangeBorderActive },
              { key: 'back', legend: 'Hand-backs', data: w.handBacks, color: tokens.colorPaletteBlueBorderActive },
            ],
          }))}
        />
      );
  }
}
