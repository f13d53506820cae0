import type { CommandService } from '../sync/command-service.js';
import type { CommandPorts } from '../teams/commands/chat-command.js';
import type { PeopleRepository } from '../store/people-repository.js';
import type { StatusRepository } from '../store/status-repository.js';
import type { TicketRepository } from '../store/ticket-repository.js';
import type { EventLog } from '../store/event-log.js';
import type { LiveFeed } from './live-feed.js';
import type { RequestIdentity } from './request-identity.js';

/** What the tab's API routes read and call: the Teams side's ports (the same rules and commands as the cards) and a few reads of their own. */
export interface TabApiDeps {
  identity: RequestIdentity;
  /** The ports the card actions run with: the tab's actions run the same handlers over them. */
  ports: CommandPorts;
  /** The command service the cards use: one write per action, the worker kicked. */
  service: Pick<CommandService, 'run' | 'record'>;
  tickets: Pick<TicketRepository, 'get' | 'queue' | 'queueMarks'>;
  status: Pick<StatusRepository, 'list' | 'firstSync'>;
  people: Pick<PeopleRepository, 'list'>;
  /** The event log: when long work was agreed. */
  events: Pick<EventLog, 'latestOf'>;
  /** The team's LGD support groups (LGD_GROUPS). */
  groups: readonly string[];
  /** Link template to a ticket in LGD's UI, with `{key}` and `{id}`. */
  ticketLinkTemplate: string;
  /** The live feed behind `GET /api/events`; null: not offered (the tab polls). */
  live: LiveFeed | null;
}
