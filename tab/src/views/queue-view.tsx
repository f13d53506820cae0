import { lazy, Suspense, useCallback, useMemo, useState, type ReactNode } from 'react';
import { Body1, Button, Field, Input, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Select, Spinner, Title3, makeStyles } from '@fluentui/react-components';
import { QUEUE_STATES, type ActionVerb, type QueueResponse, type QueueRow, type QueueState } from '../api/contract.js';
import { useResource } from '../api/use-resource.js';
import { useApp } from '../app-context.js';
import { ResourceView } from '../components/resource-view.js';
import { useNarrow } from '../components/use-narrow.js';
import { formatWhen, plural } from '../logic/format.js';
import { countsOf, DEFAULT_FILTER, filterRows, ownersOf, QUEUE_SORT_LABELS, QUEUE_SORTS, replaceRow, SECTION_LABELS, sectionsOf, type QueueFilter, type QueueSort } from '../logic/queue-view-model.js';
import { QueueSection } from './queue-section.js';
import { useTicketAction, type ActionOutcome } from './use-ticket-action.js';

// The dialogs load when first opened: the queue's first paint does not wait for them.
const ProjectDialog = lazy(() => import('./project-dialog.js').then((m) => ({ default: m.ProjectDialog })));
const ReassignDialog = lazy(() => import('./reassign-dialog.js').then((m) => ({ default: m.ReassignDialog })));
const UpdateUserDialog = lazy(() => import('./update-user-dialog.js').then((m) => ({ default: m.UpdateUserDialog })));

const useStyles = makeStyles({
  head: { display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', gap: '12px', marginBottom: '8px' },
  toolbar: { display: 'flex', flexWrap: 'wrap', gap: '12px', alignItems: 'end', marginBlock: '8px 16px' },
  search: { flexBasis: '200px', flexGrow: 1, minWidth: 0, maxWidth: '360px' },
  filter: { flexBasis: '160px', flexGrow: 1, minWidth: 0, maxWidth: '240px' },
  select: { width: '100%', minWidth: 0 },
  bars: { display: 'flex', flexDirection: 'column', gap: '8px', marginBottom: '8px' },
});

type Open = { verb: Extract<ActionVerb, 'project' | 'reassign' | 'update-user'>; row: QueueRow } | null;

/** The team queue: tickets by process state, filtered, searched and sorted here; actions per row; kept live. */
export function QueueView(): ReactNode {
  const { me } = useApp();
  const queue = useResource<QueueResponse>('/queue', ['ticket', 'lgd']);
  return (
    <ResourceView resource={queue} what="the queue">
      {(data) => <QueueBody data={data} me={me.me} onRows={(fn) => queue.update((q) => ({ ...q, rows: fn(q.rows) }))} />}
    </ResourceView>
  );
}

interface BodyProps {
  data: QueueResponse;
  me: ReturnType<typeof useApp>['me']['me'];
  onRows(fn: (rows: QueueRow[]) => QueueRow[]): void;
}

function QueueBody({ data, me, onRows }: BodyProps): ReactNode {
  const styles = useStyles();
  const app = useApp();
  const { team, guidelines } = app.me;
  const narrow = useNarrow();
  const [filter, setFilter] = useState<QueueFilter>(DEFAULT_FILTER);
  const [notice, setNotice] = useState<ActionOutcome['notice'] | null>(null);
  const [open, setOpen] = useState<Open>(null);
  const [busy, setBusy] = useState<{ key: string; verb: ActionVerb } | null>(null);

  const onOutcome = useCallback(
    (o: ActionOutcome) => {
      const row = o.row;
      const gone = o.gone;
      if (row) onRows((rows) => replaceRow(rows, row));
      else if (gone) onRows((rows) => rows.filter((r) => r.key !== gone));
      setNotice(o.notice);
    },
    [onRows],
  );
  // A dialog shows its own failures; the queue hears only of success and of a row that moved on.
  const dialogOutcome = useCallback(
    (o: ActionOutcome) => {
      const row = o.row;
      const gone = o.gone;
      if (row) onRows((rows) => replaceRow(rows, row));
      else if (gone) onRows((rows) => rows.filter((r) => r.key !== gone));
      if (o.ok) setNotice(o.notice);
    },
    [onRows],
  );
  const inline = useTicketAction(onOutcome);

  const onAction = (row: QueueRow, verb: ActionVerb): void => {
    if (verb === 'approve' || verb === 'take') {
      setBusy({ key: row.key, verb });
      void inline.run(row, verb, { v: row.version }).finally(() => setBusy(null));
      return;
    }
    setOpen({ verb, row });
  };

  const rows = useMemo(() => filterRows(data.rows, filter, me?.analyst?.key ?? null), [data.rows, filter, me]);
  const sections = useMemo(() => sectionsOf(rows), [rows]);
  const counts = useMemo(() => countsOf(data.rows), [data.rows]);
  const owners = useMemo(() => ownersOf(data.rows), [data.rows]);

  return (
    <>
      <div className={styles.head}>
        <Title3 as="h2">Team queue</Title3>
        <Body1 aria-live="polite">
          {plural(counts.needs_triage, 'ticket')} to triage · {counts.approved_unassigned} approved, waiting · {counts.owned} owned · {counts.project} project ·{' '}
          {counts.resolved} resolved in {plural(data.resolvedDays, 'day')}
        </Body1>
      </div>
      <div className={styles.bars}>
        {!data.complete && (
          <MessageBar intent="info" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>The first sync with LGD is still running.</MessageBarTitle>
              {data.firstSync ? `${data.firstSync.done}${data.firstSync.of ? ` of ${data.firstSync.of}` : ''} tickets read so far: ` : ''}
              the list is not complete yet.
            </MessageBarBody>
          </MessageBar>
        )}
        {data.lgd.state !== 'ok' && (
          <MessageBar intent="warning" layout="multiline" role="status">
            <MessageBarBody>
              <MessageBarTitle>{data.lgd.state === 'refusing' ? 'LGD is refusing the app.' : 'LGD is not answering.'}</MessageBarTitle>
              {data.lgd.since ? `Since ${formatWhen(data.lgd.since, team.timeZone, team.today)}: ` : ''}
              showing what the app last read from LGD. Actions are still accepted; they reach LGD when it is back.
              {data.lgd.message ? ` (${data.lgd.message})` : ''}
            </MessageBarBody>
          </MessageBar>
        )}
        {data.truncated && (
          <MessageBar intent="info">
            <MessageBarBody>Only the newest tickets are shown: there are more than the queue can hold.</MessageBarBody>
          </MessageBar>
        )}
        {notice && (
          <MessageBar intent={notice.kind === 'info' ? 'success' : notice.kind} role="alert" layout="multiline" data-testid="action-notice">
            <MessageBarBody>{notice.text}</MessageBarBody>
            <MessageBarActions>
              <Button appearance="transparent" onClick={() => setNotice(null)} aria-label="Dismiss message">
                Dismiss
              </Button>
            </MessageBarActions>
          </MessageBar>
        )}
      </div>
      <div className={styles.toolbar} role="search" aria-label="Filter the queue">
        <Field label="Search" className={styles.search}>
          <Input type="search" value={filter.search} onChange={(_, d) => setFilter({ ...filter, search: d.value })} placeholder="Number, title, person…" />
        </Field>
        <Field label="State" className={styles.filter}>
          <Select className={styles.select} value={filter.states[0] ?? 'all'} onChange={(_, d) => setFilter({ ...filter, states: d.value === 'all' ? [] : [d.value as QueueState] })}>
            <option value="all">All states ({data.rows.length})</option>
            {QUEUE_STATES.map((s) => (
              <option key={s} value={s}>
                {`${SECTION_LABELS[s]} (${counts[s]})`}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Owner" className={styles.filter}>
          <Select className={styles.select} value={filter.owner} onChange={(_, d) => setFilter({ ...filter, owner: d.value })}>
            <option value="all">Everyone</option>
            {me?.analyst && <option value="me">Mine</option>}
            <option value="none">No owner</option>
            {owners.map((o) => (
              <option key={o.key} value={o.key}>
                {o.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Sort" className={styles.filter}>
          <Select className={styles.select} value={filter.sort} onChange={(_, d) => setFilter({ ...filter, sort: d.value as QueueSort })}>
            {QUEUE_SORTS.map((s) => (
              <option key={s} value={s}>
                {QUEUE_SORT_LABELS[s]}
              </option>
            ))}
          </Select>
        </Field>
        {(filter.search || filter.states.length > 0 || filter.owner !== 'all' || filter.sort !== 'default') && (
          <Button onClick={() => setFilter(DEFAULT_FILTER)}>Clear filters</Button>
        )}
      </div>
      {data.rows.length === 0 ? (
        <MessageBar intent="success">
          <MessageBarBody>The queue is empty: nothing waits for triage or an owner, and nothing was resolved in the last {plural(data.resolvedDays, 'day')}.</MessageBarBody>
        </MessageBar>
      ) : sections.length === 0 ? (
        <MessageBar intent="info">
          <MessageBarBody>No ticket matches these filters.</MessageBarBody>
        </MessageBar>
      ) : (
        sections.map((s) => (
          <QueueSection
            key={s.id}
            section={s}
            me={me}
            timeZone={team.timeZone}
            today={team.today}
            maxOwned={guidelines.maxOwnedTickets}
            narrow={narrow}
            busy={busy}
            onAction={onAction}
          />
        ))
      )}
      <Suspense fallback={<Spinner size="tiny" label="Opening…" />}>
        {open?.verb === 'project' && <ProjectDialog row={open.row} onOutcome={dialogOutcome} onClose={() => setOpen(null)} />}
        {open?.verb === 'reassign' && <ReassignDialog row={open.row} onOutcome={dialogOutcome} onClose={() => setOpen(null)} />}
        {open?.verb === 'update-user' && <UpdateUserDialog row={open.row} onOutcome={dialogOutcome} onClose={() => setOpen(null)} />}
      </Suspense>
    </>
  );
}
