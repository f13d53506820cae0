import { useState, type ReactNode } from 'react';
import { Badge, Body1, Button, Caption1, Card, CardHeader, MessageBar, MessageBarActions, MessageBarBody, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import type { RotaDayView, RotaResponse, RotaWriteResponse } from '../api/contract.js';
import { useResource } from '../api/use-resource.js';
import { useApp } from '../app-context.js';
import { ResourceView } from '../components/resource-view.js';
import { formatDay, formatLongDay } from '../logic/format.js';
import { gapDays, rotaWeeks, weeksRange } from '../logic/rota-weeks.js';
import { RotaEditor } from './rota-editor.js';

const WEEKS = 4;
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];

const useStyles = makeStyles({
  head: { display: 'flex', flexWrap: 'wrap', gap: '12px', alignItems: 'center', marginBottom: '12px' },
  top: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(260px, 1fr))', gap: '12px', marginBottom: '16px' },
  nav: { display: 'flex', flexWrap: 'wrap', gap: '8px', marginBlock: '8px' },
  scroll: { overflowX: 'auto' },
  table: { minWidth: '760px', backgroundColor: tokens.colorNeutralBackground1, tableLayout: 'fixed' },
  cell: { verticalAlign: 'top', paddingBlock: '6px' },
  day: { display: 'flex', flexDirection: 'column', gap: '2px', alignItems: 'flex-start' },
  off: { backgroundColor: tokens.colorNeutralBackground3 },
  gap: { backgroundColor: tokens.colorPaletteYellowBackground1, outline: `2px solid ${tokens.colorPaletteYellowBorderActive}`, outlineOffset: '-2px' },
  today: { outline: `2px solid ${tokens.colorBrandStroke1}`, outlineOffset: '-2px' },
  muted: { color: tokens.colorNeutralForeground3 },
});

function supportText(d: RotaDayView): string {
  if (d.support === null) return 'Support rota not set';
  if (d.support.length === 0) return 'Nobody on support';
  return `On support: ${d.support.map((p) => p.name).join(', ')}`;
}

function offText(d: RotaDayView): string | null {
  if (!d.off) return null;
  if (d.off.kind === 'weekend') return 'Weekend';
  return d.off.kind === 'bank_holiday' ? `Bank holiday: ${d.off.name}` : `Team day off: ${d.off.name}`;
}

/** A day at the top: Today / Next working day. */
function DayCard({ label, day }: { label: string; day: RotaDayView }): ReactNode {
  const styles = useStyles();
  const off = offText(day);
  return (
    <Card aria-label={`${label}: ${formatLongDay(day.date)}`}>
      <CardHeader header={<Text weight="semibold">{label}</Text>} description={<Caption1>{formatLongDay(day.date)}</Caption1>} />
      {off ? (
        <Body1>{off}</Body1>
      ) : (
        <>
          <Body1>Operations Lead: {day.lead ? day.lead.name : <strong>nobody (gap)</strong>}</Body1>
          <Body1>{supportText(day)}</Body1>
        </>
      )}
      {day.gaps.length > 0 && <Caption1 className={styles.muted}>Leads can still triage on a day with no Operations Lead.</Caption1>}
    </Card>
  );
}

/** The rota: today and the next working day on top, then a working-day calendar of four weeks (weeks down, weekdays across); triagers edit it. */
export function RotaView(): ReactNode {
  const styles = useStyles();
  const { me } = useApp();
  const [offset, setOffset] = useState(0);
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const range = weeksRange(me.team.today, WEEKS, offset);
  const rota = useResource<RotaResponse>(`/rota?from=${range.from}&to=${range.to}`, ['rota']);
  const canEdit = !!me.me?.canTriage;

  const saved = (r: RotaWriteResponse): void => {
    setNotice(r.notice.text);
    rota.update((d) => {
      const byDate = new Map(r.days.map((x) => [x.date, x]));
      const swap = (x: RotaDayView): RotaDayView => byDate.get(x.date) ?? x;
      return { ...d, days: d.days.map(swap), today: swap(d.today), nextWorkingDay: swap(d.nextWorkingDay) };
    });
    rota.reload();
  };

  return (
    <ResourceView resource={rota} what="the rota">
      {(data) => {
        const gaps = gapDays(data.days).filter((d) => d.date >= data.today.date);
        return (
          <>
            <div className={styles.head}>
              <Title3 as="h2">Support rota</Title3>
              {canEdit && (
                <Button appearance="primary" onClick={() => setEditing(data.today.working ? data.today.date : data.nextWorkingDay.date)}>
                  Edit the rota
                </Button>
              )}
            </div>
            <div className={styles.top}>
              <DayCard label="Today" day={data.today} />
              <DayCard label="Next working day" day={data.nextWorkingDay} />
            </div>
            {notice && (
              <MessageBar intent="success" role="alert" data-testid="rota-notice">
                <MessageBarBody>{notice}</MessageBarBody>
                <MessageBarActions>
                  <Button appearance="transparent" onClick={() => setNotice(null)}>
                    Dismiss
                  </Button>
                </MessageBarActions>
              </MessageBar>
            )}
            {gaps.length > 0 && (
              <MessageBar intent="warning" layout="multiline">
                <MessageBarBody>
                  {gaps.length} working day{gaps.length === 1 ? ' has' : 's have'} a gap from today in these weeks: {gaps.map((d) => formatDay(d.date)).join(', ')}.
                </MessageBarBody>
              </MessageBar>
            )}
            <div className={styles.nav} role="group" aria-label="Weeks shown">
              <Button onClick={() => setOffset(offset - WEEKS)}>Earlier weeks</Button>
              <Button onClick={() => setOffset(0)} disabled={offset === 0}>
                This week
              </Button>
              <Button onClick={() => setOffset(offset + WEEKS)}>Later weeks</Button>
              <Body1 className={styles.muted}>
                {formatDay(data.from)} – {formatDay(data.to)}
              </Body1>
            </div>
            <div className={styles.scroll}>
              <Table className={styles.table} aria-label={`Rota from ${formatLongDay(data.from)} to ${formatLongDay(data.to)}`} size="small">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell style={{ width: '90px' }}>Week of</TableHeaderCell>
                    {WEEKDAYS.map((d) => (
                      <TableHeaderCell key={d}>{d}</TableHeaderCell>
                    ))}
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {rotaWeeks(data.days).map((w) => (
                    <TableRow key={w.monday}>
                      <TableCell className={styles.cell}>{formatDay(w.monday)}</TableCell>
                      {w.days.map((d, i) => {
                        if (!d) return <TableCell key={i} className={styles.cell} />;
                        const off = offText(d);
                        const cls = [styles.cell, off ? styles.off : '', d.working && d.gaps.length > 0 ? styles.gap : '', d.date === data.today.date ? styles.today : ''].join(' ');
                        return (
                          <TableCell key={d.date} className={cls} data-date={d.date} data-gap={d.working && d.gaps.length > 0 ? 'yes' : undefined}>
                            <div className={styles.day}>
                              <Caption1>
                                {formatDay(d.date)}
                                {d.date === data.today.date ? ' (today)' : ''}
                              </Caption1>
                              {off ? (
                                <Badge appearance="tint" color="informative">
                                  {off}
                                </Badge>
                              ) : (
                                <>
                                  <Text size={200}>Lead: {d.lead?.name ?? '—'}</Text>
                                  <Text size={200}>{supportText(d)}</Text>
                                  {d.gaps.includes('noLead') && (
                                    <Badge appearance="filled" color="warning">
                                      Gap: no lead
                                    </Badge>
                                  )}
                                  {d.gaps.includes('supportNotSet') && (
                                    <Badge appearance="tint" color="warning">
                                      Support not set
                                    </Badge>
                                  )}
                                  {canEdit && d.date >= data.today.date && (
                                    <Button size="small" appearance="subtle" onClick={() => setEditing(d.date)} aria-label={`Edit ${formatLongDay(d.date)}`}>
                                      Edit
                                    </Button>
                                  )}
                                </>
                              )}
                            </div>
                          </TableCell>
                        );
                      })}
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
            {!canEdit && <Caption1 className={styles.muted}>The Operations Lead of the day and the leads can change the rota.</Caption1>}
            {editing && <RotaEditor start={editing} today={data.today.date} onSaved={saved} onClose={() => setEditing(null)} />}
          </>
        );
      }}
    </ResourceView>
  );
}
