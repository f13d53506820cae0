import type { ReactNode } from 'react';
import { Caption1, Link, Subtitle2, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { ActionVerb, Me, QueueRow } from '../api/contract.js';
import { formatDay, formatWhen, dateIn, workingDays } from '../logic/format.js';
import type { QueueSection as Section } from '../logic/queue-view-model.js';
import { RowActionButtons } from './row-action-buttons.js';
import { WarningBadges } from './warning-badges.js';

const useStyles = makeStyles({
  section: { marginBottom: '20px' },
  heading: { display: 'block', margin: '0 0 6px' },
  table: { backgroundColor: tokens.colorNeutralBackground1 },
  title: { display: 'flex', flexDirection: 'column', gap: '2px', paddingBlock: '6px' },
  muted: { color: tokens.colorNeutralForeground3 },
  cards: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '8px' },
  card: {
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: '8px 10px',
    display: 'flex',
    flexDirection: 'column',
    gap: '4px',
    overflowWrap: 'anywhere',
  },
});

interface Props {
  section: Section;
  me: Me | null;
  timeZone: string;
  today: string;
  maxOwned: number;
  narrow: boolean;
  busy: { key: string; verb: ActionVerb } | null;
  onAction(row: QueueRow, verb: ActionVerb): void;
}

function ownerText(r: QueueRow): string {
  if (r.owner) return r.owner.name;
  if (r.assignedInLgd) return `Assigned in LGD to ${r.assignedInLgd}, waiting for triage`;
  return 'Nobody';
}

/** One heading of the queue (a process state, or one owner's tickets) with its rows: a table, or stacked cards when narrow. */
export function QueueSection({ section, me, timeZone, today, maxOwned, narrow, busy, onAction }: Props): ReactNode {
  const styles = useStyles();
  const headingId = `queue-${section.id.replace(/[^a-z0-9_-]/gi, '-')}`;
  const over = section.owner && section.rows.length > maxOwned;
  const heading = `${section.heading} (${section.rows.length}${section.owner ? ` of ${maxOwned}` : ''})${over ? ': over the limit' : ''}`;
  const buttons = (r: QueueRow): ReactNode => <RowActionButtons row={r} me={me} busy={busy?.key === r.key ? busy.verb : null} onAction={onAction} />;
  const lgdLink = (r: QueueRow): ReactNode => (
    <Link href={r.link} target="_blank" rel="noopener noreferrer" aria-label={`LGD ${r.number} (opens LGD)`}>
      {r.number}
    </Link>
  );
  const age = (r: QueueRow): string =>
    r.state === 'resolved' || r.state === 'project'
      ? r.resolvedAt
        ? `resolved ${formatDay(dateIn(r.resolvedAt, timeZone))}`
        : r.status
      : r.ageWorkingDays === 0
        ? 'raised today'
        : workingDays(r.ageWorkingDays);

  return (
    <section className={styles.section} aria-labelledby={headingId} data-section={section.state}>
      <Subtitle2 as="h3" id={headingId} className={styles.heading}>
        {heading}
      </Subtitle2>
      {narrow ? (
        <ul className={styles.cards} aria-labelledby={headingId}>
          {section.rows.map((r) => (
            <li key={r.key} className={styles.card} data-ticket={r.number}>
              <Text weight="semibold">
                LGD {lgdLink(r)} · {r.title}
              </Text>
              <Caption1 className={styles.muted}>
                {r.raisedBy ?? 'Unknown'} · {age(r)} · {ownerText(r)}
              </Caption1>
              <Caption1 className={styles.muted}>User last heard: {formatWhen(r.userLastHeard, timeZone, today)}</Caption1>
              <WarningBadges row={r} />
              {buttons(r)}
            </li>
          ))}
        </ul>
      ) : (
        <Table className={styles.table} aria-labelledby={headingId} size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell style={{ width: '80px' }}>LGD</TableHeaderCell>
              <TableHeaderCell>Title</TableHeaderCell>
              <TableHeaderCell style={{ width: '140px' }}>Raised by</TableHeaderCell>
              <TableHeaderCell style={{ width: '120px' }}>Age</TableHeaderCell>
              <TableHeaderCell style={{ width: '150px' }}>Owner</TableHeaderCell>
              <TableHeaderCell style={{ width: '120px' }}>User last heard</TableHeaderCell>
              <TableHeaderCell style={{ width: '260px' }}>Actions</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {section.rows.map((r) => (
              <TableRow key={r.key} data-ticket={r.number}>
                <TableCell>{lgdLink(r)}</TableCell>
                <TableCell>
                  <div className={styles.title}>
                    <Text>{r.title}</Text>
                    <WarningBadges row={r} />
                  </div>
                </TableCell>
                <TableCell>{r.raisedBy ?? 'Unknown'}</TableCell>
                <TableCell>{age(r)}</TableCell>
                <TableCell>{ownerText(r)}</TableCell>
                <TableCell>{formatWhen(r.userLastHeard, timeZone, today)}</TableCell>
                <TableCell>{buttons(r)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
