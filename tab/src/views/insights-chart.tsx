import type { ReactNode } from 'react';
import { GroupedVerticalBarChart, LineChart, VerticalStackedBarChart } from '@fluentui/react-charts';
import { tokens } from '@fluentui/react-components';
import type { InsightWeek } from '../api/contract.js';
import { formatDay } from '../logic/format.js';
import { linePoints } from '../logic/line-points.js';

interface Props {
  figure: string;
  weeks: InsightWeek[];
  limit: number;
}

const HEIGHT = 260;
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
              { legend: 'Median', color: tokens.colorPaletteBlueBorderActive, data: linePoints(weeks, (w) => w.triageHours.median) },
              { legend: '90th percentile', color: tokens.colorPaletteDarkOrangeBorderActive, data: linePoints(weeks, (w) => w.triageHours.p90) },
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
            lineChartData: [{ legend: 'Updated each day (%)', color: tokens.colorPaletteTealBorderActive, data: linePoints(weeks, (w) => (w.dailyUpdateShare === null ? null : Math.round(w.dailyUpdateShare * 100))) }],
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
