import type { ReactNode } from 'react';
import { Field, MessageBar, MessageBarBody, MessageBarTitle, Radio, RadioGroup, Select, makeStyles } from '@fluentui/react-components';
import type { MeResponse } from '../api/contract.js';
import { TEAMS_THEME_NAMES, type ThemeKind } from '../logic/theme-kind.js';

const useStyles = makeStyles({
  bar: { borderRadius: 0 },
  body: { minWidth: 0 },
  controls: { display: 'flex', flexWrap: 'wrap', columnGap: '24px', rowGap: '8px', alignItems: 'end', marginTop: '6px' },
  person: { flexBasis: '260px', flexGrow: 1, minWidth: 0, maxWidth: '360px' },
  select: { width: '100%', minWidth: 0 },
  themes: { flexWrap: 'wrap' },
});

const THEME_LABELS: Record<ThemeKind, string> = { light: 'Light', dark: 'Dark', contrast: 'High contrast' };

interface Props {
  me: MeResponse;
  theme: ThemeKind;
  onPlayTheme(teamsName: string): void;
  onChoosePerson(email: string): void;
}

/**
 * Open mode's banner: the server has no sign-in configured, so the tab acts as a chosen demo
 * person; switch person, and switch theme as Teams would (the switch plays Teams' theme change).
 */
export function DemoBar({ me, theme, onPlayTheme, onChoosePerson }: Props): ReactNode {
  const styles = useStyles();
  const people = me.demoPeople ?? [];
  const current = people.find((p) => p.email === me.me?.email);
  return (
    <MessageBar intent="warning" layout="multiline" className={styles.bar} data-testid="demo-banner">
      <MessageBarBody className={styles.body}>
        <MessageBarTitle>Demo mode</MessageBarTitle>
        The app's server has no sign-in configured (open mode, this computer only), so you act as a demo person of your choice.
        <div className={styles.controls}>
          <Field label="Acting as" className={styles.person}>
            <Select className={styles.select} value={me.me?.email ?? ''} onChange={(_, d) => d.value && d.value !== me.me?.email && onChoosePerson(d.value)}>
              {!current && <option value="">Choose a person</option>}
              {people.map((p) => (
                <option key={p.email} value={p.email}>
                  {`${p.name} (${p.roles.join(', ')})`}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Theme, as Teams would set it">
            <RadioGroup className={styles.themes} layout="horizontal" value={theme} onChange={(_, d) => onPlayTheme(TEAMS_THEME_NAMES[d.value as ThemeKind])}>
              {(Object.keys(THEME_LABELS) as ThemeKind[]).map((k) => (
                <Radio key={k} value={k} label={THEME_LABELS[k]} />
              ))}
            </RadioGroup>
          </Field>
        </div>
      </MessageBarBody>
    </MessageBar>
  );
}
