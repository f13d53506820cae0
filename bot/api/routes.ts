import type { Route } from '../http/http-server.js';
import { backlogRoute } from './backlog-route.js';
import { healthRoute, type HealthDeps } from './health-route.js';
import { messagesRoute, type BotEndpoint } from './messages-route.js';
import { ticketsRoute } from './tickets-route.js';
import type { BacklogQueue } from '../backlog/backlog-outbox.js';
import type { BuiltinBacklog } from '../backlog/builtin-backlog.js';
import type { TicketRepository } from '../store/ticket-repository.js';

/** What the routes read and call. */
export interface RouteDeps {
  bot: BotEndpoint;
  health: HealthDeps;
  tickets: TicketRepository;
  backlog: { builtin: BuiltinBacklog; queue: BacklogQueue };
}

/** Every HTTP route of the app, in one flat list: the bot's endpoint, health, and the read API. */
export function appRoutes(d: RouteDeps): Route[] {
  return [
    messagesRoute(d.bot),
    healthRoute(d.health),
    ticketsRoute(d.tickets, d.health.status),
    backlogRoute({ builtin: d.backlog.builtin, requests: d.backlog.queue }),
  ];
}
