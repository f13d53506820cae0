import { z } from 'zod';
import type { Ticket } from '../../domain/ticket.js';
import type { Requester } from '../../domain/outbox.js';
import type { Guidelines } from '../../domain/guidelines.js';
import type { TeamCalendar } from '../../domain/calendar.js';
import { isOwnerOf } from '../../domain/permissions.js';
import type { AreaRepository } from '../../store/area-repository.js';
import type { BacklogQueue } from '../../backlog/backlog-outbox.js';
import type { AuditEntry, AuditLog } from '../../store/audit-log.js';
import type { CardRepository } from '../../store/card-repository.js';
import type { ReferenceRepository } from '../../store/reference-repository.js';
import type { TicketRepository } from '../../store/ticket-repository.js';
import type { AdaptiveCard, TicketActionData, Verb, Viewer } from '../cards/card-model.js';
import type { CardNotice } from '../cards/card-elements.js';
import { ticketCard } from '../cards/ticket-card.js';
import type { CardPoster } from '../card-poster.js';
import { cardModelOf } from '../card-model-of.js';
import type { Conversations, PeopleDirectory, Person, ProactiveSender, Roles, Rota, TeamsUser } from '../teams-ports.js';
import type { LeadSource } from '../roles.js';
import type { NoticeDeliverer } from '../notice-deliverer.js';
import type { ActionCommands } from './action-commands.js';

/** The person acting on a card, as the server sees them (never as the client claims). */
export interface Actor {
  user: TeamsUser;
  person: Person;
  canTriage: boolean;
}

/** What a handler answers: the card the person sees next, or an error Teams shows on the card. */
export type ActionResult = (
  | { kind: 'card'; card: AdaptiveCard }
  | { kind: 'error'; status: 400 | 403 | 404 | 409 | 500; code: string; message: string }
) & {
  /** How the audit trail records it. */
  outcome: AuditEntry['outcome'];
  ticket?: Ticket | null;
  detail?: string;
};

/** The tickets as handlers read them: every change goes through `commands`. */
export type TicketReads = Pick<TicketRepository, 'get' | 'getByNumber' | 'ownedBy' | 'list' | 'count'>;

/** LGD's reference lists as handlers read them (the worker refreshes them). */
export type ReferenceReads = Pick<ReferenceRepository, 'group' | 'analyst' | 'searchGroups' | 'searchAnalysts' | 'resolutionCategories' | 'categoriesAvailability'>;

/**
 * Everything a handler may use: ports, never a TurnContext. A handler answers from the store: it
 * commits what must happen through `commands` (one write, with the action's audit record) and the
 * worker does whatever talks to Teams or LGD.
 */
export interface ActionPorts {
  tickets: TicketReads;
  commands: ActionCommands;
  roles: Roles;
  people: PeopleDirectory;
  reference: ReferenceReads;
  audit: Pick<AuditLog, 'record'>;
  poster: CardPoster;
  sender: ProactiveSender;
  link: (t: Ticket) => string;
  now: () => Date;
  /** The seed's guidelines (owned tickets, user updates, long work), as configured. */
  guidelines: Guidelines;
  /** Areas and their contacts (Programme Delivery Manager / Digital Services Architect). */
  areas: Pick<AreaRepository, 'get' | 'list' | 'set' | 'remove'>;
  /** Backlog items for Project decisions, created and retried in the background. */
  backlog: Pick<BacklogQueue, 'list'>;
  /** Where the bot talks, and the cards it posted (a discussion opened in a card's thread). */
  conversations: Conversations;
  cards: Pick<CardRepository, 'opsCardOf'>;
  /** The resolution category a Project decision resolves with (by title; falls back to one named like "project", then the first). */
  projectCategory: string | null;
  /** Asks the worker for a pass soon, to act on what the request recorded: a request never waits on Teams or LGD. */
  kick: () => void;
  /** Messages owed to people: queued in the store, sent and retried by the worker (an action queues them through `commands`). */
  notices: NoticeDeliverer;
  /** The team's working days (the duty cards say when users last heard); absent where no duty card is answered. */
  calendar?: { current(): Promise<TeamCalendar> };
  /** The rota and the leads (who the day's Operations Lead is, or the leads on a gap); absent where no duty is raised. */
  rota?: Pick<Rota, 'leadOn'>;
  leads?: LeadSource;
}

export interface ActionHandler<D extends TicketActionData = TicketActionData> {
  verb: Verb;
  /** Validates the card's data: anything else is refused before the handler runs. */
  schema: z.ZodType<D>;
  /** True when the action writes to LGD, so the person must be mapped to an analyst. */
  writes: boolean;
  handle(data: D, actor: Actor, ports: ActionPorts): Promise<ActionResult>;
}

/** The person the service account acts for, as the outbox records it. */
export const requesterOf = (actor: Actor): Requester => ({ name: actor.person.name, aadObjectId: actor.user.aadObjectId, teamsUserId: actor.user.id });

/** The data every ticket card action carries. */
export const ticketActionData = z.object({
  ticketKey: z.string().trim().min(1).max(100),
  v: z.coerce.number().int().min(0),
  from: z.enum(['nudge', 'handBack']).optional(),
});

/** The notice each card `viewFor` made carries, so another front end (the tab's API) can show the same sentence. */
const shownNotices = new WeakMap<AdaptiveCard, CardNotice>();

/** The notice `viewFor` put on this card, if any: the handler's sentence for the person. */
export const noticeShownOn = (card: AdaptiveCard): CardNotice | undefined => shownNotices.get(card);

/** `to`, a card made from `from` (an action added), carrying `from`'s notice. */
export function carryNotice(from: AdaptiveCard, to: AdaptiveCard): AdaptiveCard {
  const notice = shownNotices.get(from);
  if (notice) shownNotices.set(to, notice);
  return to;
}

/** The card a person sees for a ticket now: their own view, with an optional notice. */
export async function viewFor(
  t: Ticket,
  actor: Actor,
  ports: ActionPorts,
  notice?: CardNotice,
): Promise<AdaptiveCard> {
  const team = await ports.poster.teamContext();
  const viewer: Viewer = {
    name: actor.person.name,
    canTriage: actor.canTriage,
    isOwner: isOwnerOf(t, actor.person.analyst?.key),
  };
  const card = ticketCard(cardModelOf(t, ports.link, team.now), viewer, team, notice);
  if (notice) shownNotices.set(card, notice);
  return card;
}

/** Loads the ticket a card names; a key that is not one of the team's tickets is an error. */
export async function loadTicket(key: string, ports: ActionPorts): Promise<Ticket | ActionResult> {
  const t = await ports.tickets.get(key);
  if (t) return t;
  return {
    kind: 'error',
    status: 404,
    code: 'TicketNotFound',
    message: 'This card names a ticket the app does not hold for the team; nothing was changed.',
    outcome: 'invalid',
    detail: `unknown ticket key ${key.slice(0, 100)}`,
  };
}

export const isResult = (x: Ticket | ActionResult): x is ActionResult => 'kind' in x && 'outcome' in x;

/** The answer to someone who may not triage today. */
export async function notTriager(t: Ticket, actor: Actor, ports: ActionPorts): Promise<ActionResult> {
  const lead = await ports.roles.leadToday(ports.now());
  const who = lead ? (lead.person?.name ?? lead.name ?? lead.email) : 'nobody (the rota is empty today)';
  return {
    kind: 'card',
    card: await viewFor(t, actor, ports, {
      kind: 'error',
      text: `Only today's Operations Lead or a lead developer / scrum master can triage. Today that is ${who}. Nothing was changed.`,
    }),
    outcome: 'not_allowed',
    ticket: t,
  };
}
