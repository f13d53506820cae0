import type { ReactNode } from 'react';
import { Badge, makeStyles } from '@fluentui/react-components';
import type { QueueRow } from '../api/contract.js';
import { formatDay, plural } from '../logic/format.js';

const useStyles = makeStyles({ list: { display: 'flex', flexWrap: 'wrap', gap: '4px' } });

/** The row's warnings as badges, each a sentence for screen readers. */
export function WarningBadges({ row }: { row: QueueRow }): ReactNode {
  const styles = useStyles();
  const w = row.warnings;
  const badges: { key: string; color: 'danger' | 'warning' | 'important' | 'informative' | 'severe'; text: string; title: string }[] = [];
  if (w.noUserUpdateToday) badges.push({ key: 'update', color: 'warning', text: 'No user update today', title: 'The user has not heard from the owner today.' });
  if (w.ownedTooLong)
    badges.push({
      key: 'long',
      color: w.ownedTooLong.agreed ? 'informative' : 'severe',
      text: `Owned ${plural(w.ownedTooLong.workingDays, 'working day')}${w.ownedTooLong.agreed ? ' (agreed)' : ''}`,
      title: w.ownedTooLong.agreed ? 'Longer work agreed with the Operations Lead.' : 'Owned for more than the guideline: raise it with the Operations Lead.',
    });
  if (w.ownerOffTomorrow)
    badges.push({
      key: 'off',
      color: 'important',
      text: `Owner off ${formatDay(w.ownerOffTomorrow.nextWorkingDay)}`,
      title: 'The owner is not on support the next working day: hand it back to the team or to someone.',
    });
  if (w.queuedForLgd > 0) badges.push({ key: 'queued', color: 'informative', text: `${plural(w.queuedForLgd, 'change')} queued for LGD`, title: 'Accepted here; LGD has not confirmed yet.' });
  if (w.lgdRefused) badges.push({ key: 'refused', color: 'danger', text: `LGD refused: ${w.lgdRefused}`, title: 'LGD refused the last change.' });
  if (badges.length === 0) return null;
  return (
    <ul className={styles.list} aria-label={`Warnings for LGD ${row.number}`} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
      {badges.map((b) => (
        <li key={b.key}>
          <Badge appearance="tint" color={b.color} title={b.title} shape="rounded">
            {b.text}
          </Badge>
        </li>
      ))}
    </ul>
  );
}
