import type { Route } from '../http/http-server.js';
import { MESSAGES_PATH } from './messages-route.js';
import type { CallerPolicy, RequestIdentity } from './request-identity.js';

/** A route as the API declares it: what it lets in, in open mode, when not the default `person`. */
export type ApiRoute = Route & { readonly caller?: CallerPolicy };

/** True for the paths the tab API's identity check covers: `/api` and everything under it. */
const isApiPath = (path: string): boolean => path === '/api' || path.startsWith('/api/');

/**
 * Puts the identity check in front of every `/api/*` route but the Bot Framework endpoint (which
 * checks its own tokens), before the route's own guard and before its body is read: a route added
 * later is checked without asking for it. Other routes (`/healthz`) pass unchanged.
 */
export function guardApiRoutes(identity: RequestIdentity, routes: readonly ApiRoute[]): Route[] {
  return routes.map(({ caller, ...route }) => {
    if (!isApiPath(route.path) || route.path === MESSAGES_PATH) return route;
    const policy = caller ?? 'person';
    const own = route.guard;
    return {
      ...route,
      guard: async (req) => {
        await identity.establish(req, policy);
        await own?.(req);
      },
    };
  });
}
