import type { ReactNode } from 'react';
import { Button, makeStyles } from '@fluentui/react-components';
import type { ActionVerb, Me, QueueRow } from '../api/contract.js';
import { ACTION_LABELS, rowActions } from '../logic/row-actions.js';

const useStyles = makeStyles({ list: { display: 'flex', flexWrap: 'wrap', gap: '4px' } });

interface Props {
  row: QueueRow;
  me: Me | null;
  /** The verb running on this row, if any. */
  busy: ActionVerb | null;
  onAction(row: QueueRow, verb: ActionVerb): void;
}

/** The buttons this person has on a row, each naming the ticket for screen readers. */
export function RowActionButtons({ row, me, busy, onAction }: Props): ReactNode {
  const styles = useStyles();
  const verbs = rowActions(row, me);
  if (verbs.length === 0) return null;
  return (
    <div className={styles.list} role="group" aria-label={`Actions for LGD ${row.number}`}>
      {verbs.map((verb, i) => (
        <Button
          key={verb}
          size="small"
          appearance={i === 0 ? 'primary' : 'secondary'}
          disabled={busy !== null}
          aria-label={`${ACTION_LABELS[verb]} LGD ${row.number}`}
          onClick={() => onAction(row, verb)}
          data-action={verb}
        >
          {busy === verb ? `${ACTION_LABELS[verb]}…` : ACTION_LABELS[verb]}
        </Button>
      ))}
    </div>
  );
}
