import { lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Caption1, MessageBar, MessageBarBody, Spinner, Tab, TabList, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { ApiClient } from './api/api-client.js';
import type { MeResponse } from './api/contract.js';
import { LiveUpdates, type LiveMode } from './api/live-updates.js';
import { AppContext, type AppServices } from './app-context.js';
import type { Host } from './host/teams-host.js';
import type { ThemeKind } from './logic/theme-kind.js';
import { hashOf, viewOfEntity, viewOfHash, VIEW_LABELS, type ViewName } from './logic/view-route.js';
import { DemoBar } from './components/demo-bar.js';
import { ErrorBoundary } from './components/error-boundary.js';

/** A view's chunk, tried again twice (a second apart) when it fails to load, before the error boundary says so. */
function retrying<T>(load: () => Promise<T>, tries = 3): Promise<T> {
  return load().catch((err: unknown) => {
    if (tries <= 1) throw err;
    console.warn('LGD Support: a view failed to load; trying again', err);
    return new Promise((r) => setTimeout(r, 1000)).then(() => retrying(load, tries - 1));
  });
}

// Every view is its own chunk: the first paint loads only the shell and the view it opens on.
const QueueView = lazy(() => retrying(() => import('./views/queue-view.js')).then((m) => ({ default: m.QueueView })));
const RotaView = lazy(() => retrying(() => import('./views/rota-view.js')).then((m) => ({ default: m.RotaView })));
const PeopleView = lazy(() => retrying(() => import('./views/people-view.js')).then((m) => ({ default: m.PeopleView })));
const InsightsView = lazy(() => retrying(() => import('./views/insights-view.js')).then((m) => ({ default: m.InsightsView })));
const SettingsView = lazy(() => retrying(() => import('./views/settings-view.js')).then((m) => ({ default: m.SettingsView })));
const ConfigView = lazy(() => retrying(() => import('./views/config-view.js')).then((m) => ({ default: m.ConfigView })));

const useStyles = makeStyles({
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    columnGap: '16px',
    rowGap: '4px',
    padding: '8px 16px 0',
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  title: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  nav: { flexGrow: 1, flexBasis: '240px', minWidth: 0, maxWidth: '100%', overflowX: 'auto' },
  live: { color: tokens.colorNeutralForeground3 },
  main: { padding: '16px', '@media (max-width: 480px)': { padding: '8px' } },
});

const LIVE_TEXT: Record<LiveMode, string> = {
  connecting: 'Connecting for live updates…',
  events: 'Live',
  polling: 'Checking for changes every few seconds',
};

interface Props {
  host: Host;
  api: ApiClient;
  me: MeResponse;
  mode: 'demo' | 'teams';
  theme: ThemeKind;
  onPlayTheme(teamsName: string): void;
  onChoosePerson(email: string): void;
}

/** The first view: the hash, else the Teams page / sub-page the tab was opened on, else the queue. */
function firstView(host: Host): ViewName {
  const fromHash = viewOfHash(window.location.hash);
  if (fromHash) return fromHash;
  const p = host.probe;
  return (p.inTeams && (viewOfEntity(p.subPageId) ?? viewOfEntity(p.pageId))) || 'queue';
}

/** The running tab: header with navigation and live status, the demo bar in open mode, and the view the hash names. */
export function Shell({ host, api, me, mode, theme, onPlayTheme, onChoosePerson }: Props): ReactNode {
  const styles = useStyles();
  const [view, setView] = useState<ViewName>(() => firstView(host));
  const live = useMemo(() => new LiveUpdates(api, me.live), [api, me.live]);
  const [liveMode, setLiveMode] = useState<LiveMode>(live.mode);

  useEffect(() => {
    const off = live.onMode(setLiveMode);
    live.start();
    return () => {
      off();
      live.stop();
    };
  }, [live]);

  useEffect(() => {
    const onHash = (): void => {
      const v = viewOfHash(window.location.hash);
      if (v) setView(v);
    };
    window.addEventListener('hashchange', onHash);
    // The hash may have moved on between the first render and now (before anything listened):
    // follow it (as its own event would have) rather than overwrite it with the first render's view.
    const current = viewOfHash(window.location.hash);
    if (current && current !== view) queueMicrotask(onHash);
    else if (window.location.hash !== hashOf(view)) window.history.replaceState(null, '', hashOf(view));
    return () => window.removeEventListener('hashchange', onHash);
  }, [view]);

  const services: AppServices = useMemo(
    () => ({
      api,
      live,
      me,
      host,
      mode,
      navigate: (v: ViewName) => {
        window.location.hash = hashOf(v);
      },
    }),
    [api, live, me, host, mode],
  );

  const isLead = !!me.me?.isLead;
  const tabs: ViewName[] = ['queue', 'rota', 'people', 'insights', ...(isLead ? (['settings'] as const) : [])];
  const configPage = view === 'config';

  let body: ReactNode;
  switch (view) {
    case 'queue':
      body = <QueueView />;
      break;
    case 'rota':
      body = <RotaView />;
      break;
    case 'people':
      body = <PeopleView />;
      break;
    case 'insights':
      body = <InsightsView />;
      break;
    case 'settings':
      body = isLead ? (
        <SettingsView />
      ) : (
        <MessageBar intent="info">
          <MessageBarBody>Settings are for the team's leads. Ask a lead to change areas, leads, mappings or days off.</MessageBarBody>
        </MessageBar>
      );
      break;
    case 'config':
      body = <ConfigView />;
      break;
  }

  return (
    <AppContext.Provider value={services}>
      {mode === 'demo' && <DemoBar me={me} theme={theme} onPlayTheme={onPlayTheme} onChoosePerson={onChoosePerson} />}
      {!configPage && (
        <header className={styles.header}>
          <Text className={styles.title} as="h1">
            LGD Support
          </Text>
          <TabList className={styles.nav} selectedValue={view} onTabSelect={(_, d) => services.navigate(d.value as ViewName)} aria-label="Views" size="medium">
            {tabs.map((t) => (
              <Tab key={t} value={t}>
                {VIEW_LABELS[t]}
              </Tab>
            ))}
          </TabList>
          <Caption1 className={styles.live} role="status" aria-live="polite" data-live-mode={liveMode}>
            {LIVE_TEXT[liveMode]}
          </Caption1>
        </header>
      )}
      <main className={styles.main} aria-label={VIEW_LABELS[view]}>
        {me.me && !me.me.analyst && me.mappingHint && !configPage && (
          <MessageBar intent="info" layout="multiline">
            <MessageBarBody>You are not linked to an LGD analyst yet, so you can look but not act on tickets. {me.mappingHint}</MessageBarBody>
          </MessageBar>
        )}
        <ErrorBoundary key={view} what={`the ${VIEW_LABELS[view]} view`}>
          <Suspense fallback={<Spinner label={`Loading ${VIEW_LABELS[view]}…`} />}>{body}</Suspense>
        </ErrorBoundary>
      </main>
    </AppContext.Provider>
  );
}
