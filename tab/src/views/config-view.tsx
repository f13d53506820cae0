import { useEffect, useState, type ReactNode } from 'react';
import { Body1, Caption1, Field, MessageBar, MessageBarBody, Radio, RadioGroup, Title3, makeStyles } from '@fluentui/react-components';
import { useApp } from '../app-context.js';
import { contentUrlFor, OPENABLE_VIEWS, VIEW_LABELS, type ViewName } from '../logic/view-route.js';

const useStyles = makeStyles({ page: { display: 'flex', flexDirection: 'column', gap: '12px', maxWidth: '640px', padding: '8px' } });

const DESCRIPTIONS: Record<(typeof OPENABLE_VIEWS)[number], string> = {
  queue: 'The team’s tickets by process state, with triage and ownership actions.',
  rota: 'Who is the Operations Lead and on support each working day.',
  people: 'Each developer’s load against the limit, and who is on support tomorrow.',
  insights: 'The process in figures, per week.',
};

/**
 * The channel tab's configuration page (Teams opens it at `#/config`): which view the tab opens
 * on. Saving sets the content URL `…/tab/index.html#/<view>`.
 */
export function ConfigView(): ReactNode {
  const styles = useStyles();
  const { host } = useApp();
  const [view, setView] = useState<ViewName>('queue');
  const available = host.config.available;

  useEffect(() => {
    if (!available) return;
    host.config.onSave(async () => ({
      contentUrl: contentUrlFor(view, window.location),
      entityId: `lgd-${view}`,
      suggestedDisplayName: `Support ${VIEW_LABELS[view].toLowerCase()}`,
    }));
    host.config.setValid(true);
  }, [available, host, view]);

  return (
    <div className={styles.page}>
      <Title3 as="h2">Add LGD Support to this channel</Title3>
      {!available && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>This is the page Teams shows when the tab is added to a channel. Outside that, choosing here changes nothing.</MessageBarBody>
        </MessageBar>
      )}
      <Field label="The tab opens on">
        <RadioGroup value={view} onChange={(_, d) => setView(d.value as ViewName)}>
          {OPENABLE_VIEWS.map((v) => (
            <Radio key={v} value={v} label={`${VIEW_LABELS[v]}: ${DESCRIPTIONS[v]}`} />
          ))}
        </RadioGroup>
      </Field>
      <Body1>Everyone in the channel sees the same tab; each person’s buttons follow what they may do.</Body1>
      <Caption1 data-testid="config-url">Content URL: {contentUrlFor(view, window.location)}</Caption1>
    </div>
  );
}
