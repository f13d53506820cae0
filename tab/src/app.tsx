import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Button, FluentProvider, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Spinner, makeStyles, teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme, tokens, type Theme } from '@fluentui/react-components';
import { ApiClient, demoIdentity, teamsIdentity } from './api/api-client.js';
import type { MeResponse } from './api/contract.js';
import { boot, DEMO_PERSON_KEY, DEMO_THEME_KEY, probeMe, store, stored } from './boot.js';
import type { Host } from './host/teams-host.js';
import type { StartMode } from './logic/start-mode.js';
import { notifyTeamsLoaded } from './host/teams-host.js';
import { backoffMs } from './logic/backoff.js';
import { themeKindOf, type ThemeKind } from './logic/theme-kind.js';
import { DemoChooser } from './components/demo-chooser.js';
import { OpenInTeams } from './components/open-in-teams.js';
import { Shell } from './shell.js';
import { ErrorBoundary } from './components/error-boundary.js';

const THEMES: Record<ThemeKind, Theme> = { light: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };

const useStyles = makeStyles({
  root: { minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground2, color: tokens.colorNeutralForeground1 },
  page: { padding: '24px', maxWidth: '720px' },
});

/** The running app with who is asking settled: the demo person (open mode) or the signed-in person (Teams). */
interface Session {
  api: ApiClient;
  me: MeResponse;
}

/**
 * The tab: starts the host and asks the server who is asking, then shows the views, the demo
 * chooser, "open this in Teams", or why it cannot go on. Follows Teams' theme (or the demo's
 * switch, which plays the same theme change).
 */
export function App(): ReactNode {
  const styles = useStyles();
  const [started, setStarted] = useState<{ host: Host | null; mode: StartMode } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [theme, setTheme] = useState<ThemeKind>(() => themeKindOf(stored(DEMO_THEME_KEY)));
  const [session, setSession] = useState<Session | null>(null);
  const [switching, setSwitching] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    boot()
      .then((b) => {
        if (!alive) return;
        b.host.onThemeChange((name) => setTheme(themeKindOf(name)));
        if (b.host.probe.inTeams) setTheme(themeKindOf(b.host.probe.theme));
        notifyTeamsLoaded(b.host.probe);
        setStarted(b);
        const m = b.mode;
        if (m.kind === 'teams') setSession({ api: new ApiClient(teamsIdentity(() => b.host.token())), me: m.me });
        if (m.kind === 'demo' && m.me.me) setSession({ api: new ApiClient(demoIdentity(m.me.me.email)), me: m.me });
      })
      .catch((err: unknown) => {
        console.error('LGD Support: start-up failed', err);
        if (alive) setStarted({ host: null, mode: { kind: 'unavailable', message: err instanceof Error ? err.message : String(err) } });
      });
    return () => {
      alive = false;
    };
  }, [attempt]);

  // The server did not answer: try again by itself, with backoff.
  const unavailable = started?.mode.kind === 'unavailable';
  useEffect(() => {
    if (!unavailable) return;
    const t = setTimeout(() => {
      setStarted(null);
      setAttempt((a) => a + 1);
    }, backoffMs(attempt));
    return () => clearTimeout(t);
  }, [unavailable, attempt]);

  const choosePerson = useCallback(async (email: string) => {
    setSwitching(email);
    const api = new ApiClient(demoIdentity(email));
    const me = await probeMe(api);
    setSwitching(null);
    if (me.status === 200 && 'body' in me && (me.body as MeResponse).me) {
      store(DEMO_PERSON_KEY, email);
      setSession({ api, me: me.body as MeResponse });
    } else {
      console.warn('LGD Support: could not act as', email, me);
    }
  }, []);

  const playTheme = useCallback(
    (teamsName: string) => {
      store(DEMO_THEME_KEY, teamsName);
      started?.host?.playTheme(teamsName);
    },
    [started],
  );

  let content: ReactNode;
  const mode = started?.mode;
  if (!started || !mode) {
    content = <Spinner className={styles.page} label="Starting LGD Support…" />;
  } else if (mode.kind === 'unavailable') {
    content = (
      <div className={styles.page}>
        <MessageBar intent="error" role="alert" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>LGD Support cannot start yet.</MessageBarTitle>
            {mode.message} Trying again by itself.
          </MessageBarBody>
          <MessageBarActions>
            <Button
              onClick={() => {
                setStarted(null);
                setAttempt((a) => a + 1);
              }}
            >
              Try now
            </Button>
          </MessageBarActions>
        </MessageBar>
      </div>
    );
  } else if (mode.kind === 'needs-teams') {
    content = <OpenInTeams />;
  } else if (mode.kind === 'refused') {
    content = (
      <div className={styles.page}>
        <MessageBar intent="warning" role="alert" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{mode.title}</MessageBarTitle>
            {mode.message}
          </MessageBarBody>
        </MessageBar>
      </div>
    );
  } else if (!session || !started.host) {
    content = <DemoChooser people={mode.me.demoPeople ?? []} busy={switching} onChoose={(e) => void choosePerson(e)} />;
  } else {
    content = (
      <Shell
        key={session.me.me?.id ?? 'nobody'}
        host={started.host}
        api={session.api}
        me={session.me}
        mode={mode.kind === 'demo' ? 'demo' : 'teams'}
        theme={theme}
        onPlayTheme={playTheme}
        onChoosePerson={(e) => void choosePerson(e)}
      />
    );
  }
  return (
    <FluentProvider theme={THEMES[theme]}>
      {/* Layout on an inner element: Fluent copies the provider's classes onto portals (menus, dialogs). */}
      <div className={styles.root} data-theme={theme}>
        <ErrorBoundary what="LGD Support">{content}</ErrorBoundary>
      </div>
    </FluentProvider>
  );
}
