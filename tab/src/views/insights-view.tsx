import { lazy, Suspense, useState, type ReactNode } from 'react';
import { Body1, Field, MessageBar, MessageBarBody, Select, Spinner, Subtitle2, Title3, makeStyles, tokens } from '@fluentui/react-components';
import type { InsightsResponse } from '../api/contract.js';
import { useResource } from '../api/use-resource.js';
import { ErrorBoundary } from '../components/error-boundary.js';
import { ResourceView } from '../components/resource-view.js';
import { insightTables } from '../logic/insights-table.js';
import { FigureTable } from './figure-table.js';

// The chart library is large: it loads when this view first shows a chart, never with the first paint.
const InsightsChart = lazy(() => import('./insights-chart.js').then((m) => ({ default: m.InsightsChart })));

const useStyles = makeStyles({
  head: { display: 'flex', flexWrap: 'wrap', gap: '12px', alignItems: 'end', marginBottom: '12px' },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 520px), 1fr))', gap: '16px' },
  figure: {
    margin: 0,
    padding: '12px',
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    minWidth: 0,
  },
  chart: { minHeight: '260px' },
});

const WEEK_CHOICES = [4, 12, 26, 52];

/** The process in figures, per week: charts (loaded on demand) with their numbers as tables and CSV. */
export function InsightsView(): ReactNode {
  const styles = useStyles();
  const [weeks, setWeeks] = useState(12);
  const insights = useResource<InsightsResponse>(`/insights?weeks=${weeks}`);
  return (
    <>
      <div className={styles.head}>
        <Title3 as="h2">Insights</Title3>
        <Field label="Weeks">
          <Select value={String(weeks)} onChange={(_, d) => setWeeks(Number(d.value))}>
            {WEEK_CHOICES.map((w) => (
              <option key={w} value={String(w)}>{`Last ${w} weeks`}</option>
            ))}
          </Select>
        </Field>
      </div>
      <ResourceView resource={insights} what="the figures">
        {(data) =>
          data.weeks.length === 0 ? (
            <MessageBar intent="info">
              <MessageBarBody>No figures yet: the app has not recorded any weeks of the process.</MessageBarBody>
            </MessageBar>
          ) : (
            <div className={styles.grid}>
              {insightTables(data.weeks).map((figure) => (
                <figure key={figure.id} className={styles.figure} aria-labelledby={`fig-${figure.id}`} data-figure={figure.id}>
                  <Subtitle2 as="h3" id={`fig-${figure.id}`}>
                    {figure.title}
                  </Subtitle2>
                  <div className={styles.chart} aria-hidden="true">
                    <ErrorBoundary what="the chart">
                      <Suspense fallback={<Spinner size="small" label="Loading the chart…" />}>
                        <InsightsChart figure={figure.id} weeks={data.weeks} limit={data.maxOwnedTickets} />
                      </Suspense>
                    </ErrorBoundary>
                  </div>
                  <FigureTable figure={figure} />
                </figure>
              ))}
            </div>
          )
        }
      </ResourceView>
      <Body1>Computed from the app's event log, in the team's weeks (Monday to Sunday); the current week so far.</Body1>
    </>
  );
}

