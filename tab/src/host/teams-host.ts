import { app, authentication, pages } from '@microsoft/teams-js';
import type { HostProbe } from '../logic/start-mode.js';

/** How long the tab waits for Teams before deciding it is not inside Teams (it hangs 60 s in a foreign iframe). */
export const TEAMS_INIT_TIMEOUT_MS = 4000;

/** What the tab needs from its host: Teams, or a plain browser. */
export interface Host {
  probe: HostProbe;
  /** A fresh SSO token (Teams caches it: asked for each request, never stored); null outside Teams. */
  token(): Promise<string | null>;
  /** Calls `handler` with Teams' theme name whenever it changes (outside Teams: when `playTheme` is called). */
  onThemeChange(handler: (theme: string) => void): void;
  /** Plays a Teams theme change (the demo's theme switch): the same handler runs as under Teams. */
  playTheme(theme: string): void;
  /** The channel tab's configuration page: only inside Teams. */
  config: {
    available: boolean;
    setValid(valid: boolean): void;
    onSave(save: () => Promise<{ contentUrl: string; entityId: string; suggestedDisplayName: string }>): void;
  };
}

/**
 * Starts teams-js and reads the context, racing `app.initialize()` against a short timer: outside
 * Teams it rejects at once in a top-level window and would hang for a minute in a foreign iframe.
 */
export async function startHost(timeoutMs = TEAMS_INIT_TIMEOUT_MS): Promise<Host> {
  let handler: ((theme: string) => void) | null = null;
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs));
  let probe: HostProbe;
  try {
    const won = await Promise.race([app.initialize().then(() => 'ready' as const), timer]);
    if (won === 'timeout') {
      probe = { inTeams: false, reason: 'timeout' };
    } else {
      const ctx = await app.getContext();
      probe = {
        inTeams: true,
        theme: ctx.app.theme,
        pageId: ctx.page.id ?? null,
        subPageId: ctx.page.subPageId ?? null,
        frameContext: ctx.page.frameContext ?? null,
      };
    }
  } catch (err) {
    // Expected in a plain browser ("No Parent window found"): the server's mode decides what follows.
    console.info('LGD Support: not inside Teams', err);
    probe = { inTeams: false, reason: 'rejected' };
  }

  const inTeams = probe.inTeams;
  if (inTeams) app.registerOnThemeChangeHandler((theme) => handler?.(theme));
  return {
    probe,
    token: async () => (inTeams ? authentication.getAuthToken() : null),
    onThemeChange: (h) => {
      handler = h;
    },
    playTheme: (theme) => handler?.(theme),
    config: {
      available: inTeams && probe.inTeams && probe.frameContext === 'settings' && pages.config.isSupported(),
      setValid: (valid) => {
        if (inTeams) pages.config.setValidityState(valid);
      },
      onSave: (save) => {
        if (!inTeams) return;
        pages.config.registerOnSaveHandler((evt) => {
          save()
            .then((cfg) => pages.config.setConfig(cfg))
            .then(() => evt.notifySuccess())
            .catch((err: unknown) => evt.notifyFailure(err instanceof Error ? err.message : String(err)));
        });
      },
    },
  };
}

/** Tells Teams the tab has loaded (it hides its own loading indicator). */
export function notifyTeamsLoaded(probe: HostProbe): void {
  if (!probe.inTeams) return;
  app.notifySuccess();
}
