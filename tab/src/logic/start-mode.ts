import type { ApiError, MeResponse } from '../api/contract.js';

/** What the host probe found: inside Teams (with its context) or not. */
export type HostProbe =
  | { inTeams: true; theme: string; pageId: string | null; subPageId: string | null; frameContext: string | null }
  | { inTeams: false; reason: 'rejected' | 'timeout' };

/** What `GET /api/me` answered at start-up. */
export type MeProbe =
  | { status: 200; body: MeResponse }
  | { status: number; body: ApiError | null }
  | { status: 'network'; message: string };

/** How the tab runs, decided once at start-up. */
export type StartMode =
  /** Checked mode inside Teams: SSO token on every request. */
  | { kind: 'teams'; me: MeResponse }
  /** Open mode (no identity on the server): a chosen demo person, in a browser or in Teams. */
  | { kind: 'demo'; me: MeResponse }
  /** Checked mode outside Teams: nothing to show but how to open it in Teams. */
  | { kind: 'needs-teams' }
  /** In Teams but refused: the person cannot use the app yet (what to do is in the message). */
  | { kind: 'refused'; title: string; message: string }
  /** The server did not answer usefully: say so and retry. */
  | { kind: 'unavailable'; message: string };

/**
 * Decides how the tab runs from the host probe and `GET /api/me`: the server's word decides open or
 * checked (the tab never falls back to demo people on its own); outside Teams a checked server
 * means "open this in Teams"; in Teams a refusal is shown with the server's sentence.
 */
export function startMode(host: HostProbe, me: MeProbe): StartMode {
  if (me.status === 'network') return { kind: 'unavailable', message: `The app's server is not answering (${me.message}).` };
  if (me.status === 200) {
    const body = (me as { body: MeResponse }).body;
    if (body.mode === 'open') return { kind: 'demo', me: body };
    if (!host.inTeams || !body.me) return { kind: 'needs-teams' };
    return { kind: 'teams', me: body };
  }
  const err = me.body as ApiError | null;
  if (me.status === 401) {
    if (!host.inTeams) return { kind: 'needs-teams' };
    return { kind: 'refused', title: 'Teams could not sign you in to LGD Support', message: err?.message ?? 'Sign-in failed. Reload the tab to try again.' };
  }
  if (me.status === 403) return { kind: 'refused', title: 'You cannot use LGD Support yet', message: err?.message ?? 'The app does not know you yet. Ask a lead of your team.' };
  return { kind: 'unavailable', message: err?.message ?? `The app's server answered ${me.status}.` };
}
