import { ApiClient, demoIdentity } from './api/api-client.js';
import { ApiFailure } from './api/api-client.js';
import type { MeResponse } from './api/contract.js';
import { startHost, type Host } from './host/teams-host.js';
import { startMode, type MeProbe, type StartMode } from './logic/start-mode.js';

/** Where the demo person chosen in open mode is remembered (an e-mail, never a token). */
export const DEMO_PERSON_KEY = 'lgd-support.demo-person';
/** Where the demo's theme choice is remembered (a Teams theme name). */
export const DEMO_THEME_KEY = 'lgd-support.demo-theme';

/** localStorage, when the browser allows it (a sandboxed frame may not). */
export function stored(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch (err) {
    console.info('LGD Support: no local storage', err);
    return null;
  }
}

export function store(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch (err) {
    console.info('LGD Support: no local storage', err);
  }
}

/** Asks `GET /api/me` with the given identity, as a probe: every answer is a value, never a throw. */
export async function probeMe(api: ApiClient): Promise<MeProbe> {
  try {
    return { status: 200, body: await api.read<MeResponse>('/me') };
  } catch (err) {
    if (err instanceof ApiFailure) return err.status === 0 ? { status: 'network', message: err.message } : { status: err.status, body: err.body };
    return { status: 'network', message: String(err) };
  }
}

/** The start: the host (Teams or not), who is asking, and how the tab runs. */
export interface Boot {
  host: Host;
  mode: StartMode;
}

/**
 * Starts the tab: teams-js (raced against a timer), then `GET /api/me` with an SSO token inside
 * Teams (without one if Teams cannot give it: an open server still answers), or with the
 * remembered demo person outside. The server's answer decides the mode.
 */
export async function boot(): Promise<Boot> {
  const host = await startHost();
  let token: string | null = null;
  if (host.probe.inTeams) {
    try {
      token = await host.token();
    } catch (err) {
      // SSO not set up or consent missing: an open server still answers; a checked one says 401.
      console.warn('LGD Support: Teams gave no SSO token', err);
    }
  }
  const demo = stored(DEMO_PERSON_KEY);
  const api = new ApiClient(async () => ({ ...(await demoIdentity(demo)()), ...(token ? { Authorization: `Bearer ${token}` } : {}) }));
  const me = await probeMe(api);
  return { host, mode: startMode(host.probe, me) };
}
