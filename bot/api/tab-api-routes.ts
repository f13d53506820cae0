import type { Logger } from '../logger.js';
import { areasRoute } from './areas-route.js';
import { eventsRoute } from './events-route.js';
import type { ApiRoute } from './guard-api-routes.js';
import { meRoute } from './me-route.js';
import { projectDefaultsRoute } from './project-defaults-route.js';
import { queueRoute } from './queue-route.js';
import type { TabApiDeps } from './tab-api-deps.js';
import { targetsRoute } from './targets-route.js';
import { ticketActionRoute } from './ticket-action-route.js';

/** The tab's API for the queue and the ticket actions (docs/tab-api.md), each behind the identity guard (`routes.ts`). */
export function tabApiRoutes(d: TabApiDeps, logger: Logger): ApiRoute[] {
  return [meRoute(d), queueRoute(d), projectDefaultsRoute(d), ticketActionRoute(d, logger), targetsRoute(d), areasRoute(d), ...(d.live ? [eventsRoute(d, d.live)] : [])];
}
