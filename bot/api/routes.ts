import type { Route } from '../http/http-server.js';
import { backlogRoute } from './backlog-route.js';
import { healthRoute, type HealthDeps } from './health-route.js';
import { messagesRoute, type BotEndpoint } from './messages-route.js';
import { ticketsRoute } from './tickets-route.js';
import { guardApiRoutes } from './guard-api-routes.js';
import type { RequestIdentity } from './request-identity.js';
import type { BacklogQueue } from '../backlog/backlog-outbox.js';
import type { BuiltinBacklog } from '../backlog/builtin-backlog.js';
import type { TicketRepository } from '../store/ticket-repository.js';
import { rotaRoutes, type RotaRouteDeps } from './rota-route.js';
import { peopleRoute, type PeopleRouteDeps } from './people-route.js';
import { insightsRoute, type InsightsRouteDeps } from './insights-route.js';
import { settingsRoutes, type SettingsRouteDeps } from './settings-routes.js';
import type { Logger } from '../logger.js';
import type { TabApiDeps } from './tab-api-deps.js';
import { tabApiRoutes } from './tab-api-routes.js';
import { tabStaticRoutes } from './tab-static-route.js';

/** What the routes read and call. */
export interface RouteDeps {
  bot: BotEndpoint;
  health: HealthDeps;
  tickets: TicketRepository;
  backlog: { builtin: BuiltinBacklog; queue: BacklogQueue };
  /** Who is asking each `/api/*` request (Teams SSO in checked mode, X-Demo-Person in open mode). */
  identity: RequestIdentity;
  /** The rota as the tab reads and edits it. */
  rota: RotaRouteDeps;
  /** Each developer's load, as the tab's People view shows it. */
  people: PeopleRouteDeps;
  /** The process's figures per week. */
  insights: InsightsRouteDeps;
  /** Areas, leads, mappings and days off, as the tab's Settings edits them. */
  settings: SettingsRouteDeps;
  /** The tab's API (queue and ticket actions). */
  tab: TabApiDeps;
  logger: Logger;
}

/**
 * Every HTTP route of the app, in one flat list: the bot's endpoint, health, and the read API;
 * every `/api/*` route but the bot's behind the identity check. The read API stays readable in
 * open mode without a demo person (`caller: 'anyone'`).
 */
export function appRoutes(d: RouteDeps): Route[] {
  return guardApiRoutes(d.identity, [
    messagesRoute(d.bot),
    healthRoute(d.health),
    { ...ticketsRoute(d.tickets, d.health.status), caller: 'anyone' },
    { ...backlogRoute({ builtin: d.backlog.builtin, requests: d.backlog.queue }), caller: 'anyone' },
    ...rotaRoutes(d.rota),
    peopleRoute(d.people),
    insightsRoute(d.insights),
    ...settingsRoutes(d.settings),
    ...tabApiRoutes(d.tab, d.logger),
    ...tabStaticRoutes(),
  ]);
}
