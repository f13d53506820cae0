import type { ReactNode } from 'react';
import { Button, Caption1, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Text, Title2, makeStyles, tokens } from '@fluentui/react-components';
import type { DemoPerson } from '../api/contract.js';

const useStyles = makeStyles({
  page: { padding: '24px', maxWidth: '760px', display: 'flex', flexDirection: 'column', gap: '16px' },
  list: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))', gap: '12px', listStyle: 'none', padding: 0, margin: 0 },
  person: {
    display: 'flex',
    flexDirection: 'column',
    gap: '6px',
    padding: '12px',
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
});

interface Props {
  people: DemoPerson[];
  /** The e-mail being switched to, while the server is asked. */
  busy: string | null;
  onChoose(email: string): void;
}

/** Open mode's first page: who to act as. */
export function DemoChooser({ people, busy, onChoose }: Props): ReactNode {
  const styles = useStyles();
  return (
    <div className={styles.page}>
      <MessageBar intent="warning" layout="multiline" data-testid="demo-banner">
        <MessageBarBody>
          <MessageBarTitle>Demo mode</MessageBarTitle>
          The app's server has no sign-in configured (open mode, this computer only). Choose who to act as; you can switch at any time.
        </MessageBarBody>
      </MessageBar>
      <Title2 as="h1">Who are you in this demo?</Title2>
      {people.length === 0 ? (
        <Text>The server offers no demo people yet. Start the demo app (npm start) and reload.</Text>
      ) : (
        <ul className={styles.list} aria-label="Demo people">
          {people.map((p) => (
            <li key={p.email} className={styles.person}>
                <Text weight="semibold">{p.name}</Text>
                <Caption1>{p.roles.join(', ')}</Caption1>
                <Caption1>{p.analyst ? `LGD analyst: ${p.analyst}` : 'Not linked to an LGD analyst'}</Caption1>
                <Button appearance="primary" disabled={busy !== null} onClick={() => onChoose(p.email)} aria-label={`Act as ${p.name}`}>
                  {busy === p.email ? <Spinner size="tiny" label="Switching…" /> : `Act as ${p.name}`}
                </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
