import { createContext, useContext } from 'react';
import type { ApiClient } from './api/api-client.js';
import type { MeResponse } from './api/contract.js';
import type { LiveUpdates } from './api/live-updates.js';
import type { Host } from './host/teams-host.js';
import type { ViewName } from './logic/view-route.js';

/** What every view may use: the API, live updates, who is asking, the host. */
export interface AppServices {
  api: ApiClient;
  live: LiveUpdates;
  me: MeResponse;
  host: Host;
  /** Demo (open mode) or Teams (checked mode). */
  mode: 'demo' | 'teams';
  navigate(view: ViewName): void;
}

export const AppContext = createContext<AppServices | null>(null);

/** The app's services; only inside <AppContext.Provider>. */
export function useApp(): AppServices {
  const s = useContext(AppContext);
  if (!s) throw new Error('useApp outside the app');
  return s;
}
