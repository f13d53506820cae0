import type { ReactNode } from 'react';
import { Body1, Title2, makeStyles } from '@fluentui/react-components';

const useStyles = makeStyles({ page: { padding: '24px', maxWidth: '640px', display: 'flex', flexDirection: 'column', gap: '12px' } });

/** Checked mode outside Teams: the tab needs Teams to sign the person in. */
export function OpenInTeams(): ReactNode {
  const styles = useStyles();
  return (
    <div className={styles.page} role="main">
      <Title2 as="h1">Open LGD Support in Microsoft Teams</Title2>
      <Body1>
        This page is the LGD Support tab. It signs you in through Teams, so it works inside Teams only: open the <strong>Team queue</strong> tab of the LGD
        Support app, or the LGD Support tab in your team's channel.
      </Body1>
      <Body1>If the app is not in your Teams yet, ask one of your team's leads to add it.</Body1>
    </div>
  );
}
