import { z } from 'zod';
import { ACTION_VERBS, LIMITS, type ActionResponse, type ApiError, type ErrorCode, type Notice, type QueueRow } from '../../tab/src/api/contract.js';
import { STORE_RETRY_AFTER_SECONDS, storeRefusalText } from '../errors.js';
import { parseEmail } from '../domain/email-address.js';
import type { Ticket } from '../domain/ticket.js';
import type { Route } from '../http/http-server.js';
import type { Logger } from '../logger.js';
import type { AuditDraft } from '../store/ticket-journal.js';
import { actionCommands } from '../teams/actions/action-commands.js';
import { noticeShownOn, type ActionHandler, type ActionResult, type Actor } from '../teams/actions/action-handler.js';
import { approve } from '../teams/actions/approve.js';
import { project } from '../teams/actions/project.js';
import { reassign } from '../teams/actions/reassign.js';
import { takeOwnership } from '../teams/actions/take-ownership.js';
import { updateUser } from '../teams/actions/update-user.js';
import { USER_MESSAGE_MAX } from '../domain/commands.js';
import type { CardNotice } from '../teams/cards/card-elements.js';
import type { Person } from '../teams/teams-ports.js';
import { parseOr400, sendApiError, sendJson } from './api-answer.js';
import { mappingHint } from './me-route.js';
import { queueFacts, queueRow } from './queue-rows.js';
import { personOf } from './request-identity.js';
import type { TabApiDeps } from './tab-api-deps.js';

/** An LGD record key as the queue gives it; anything else names no ticket of the team. */
export const TICKET_KEY = /^[A-Za-z0-9-]{1,100}$/;

const version = z.number({ error: 'send the version of the row you acted on' }).int().min(0);
const trimmed = (max: number, what: string) => z.string().trim().min(1, `${what} is empty`).max(max, `${what} is longer than ${max} characters`);

/** Each verb's body, checked before anything is read (unknown fields refused). */
const BODIES = {
  approve: z.strictObject({ v: version }),
  take: z.strictObject({ v: version }),
  reassign: z.strictObject({
    v: version,
    target: z.string().regex(/^(group|user):\S{1,190}$/, 'choose a group or a person from the list'),
    reason: trimmed(LIMITS.reason, 'the reason'),
  }),
  project: z.strictObject({
    v: version,
    message: trimmed(LIMITS.userMessage, 'the message to the user'),
    area: z.string().trim().max(LIMITS.area, `an area is at most ${LIMITS.area} characters`).nullable(),
    otherArea: z.string().trim().max(LIMITS.area, `an area is at most ${LIMITS.area} characters`).nullable().optional(),
    contacts: z
      .array(z.string().max(320).refine((s) => parseEmail(s).ok, 'this is not an e-mail address'))
      .max(LIMITS.contacts, `name at most ${LIMITS.contacts} people`)
      .optional(),
    backlogTitle: trimmed(LIMITS.backlogTitle, 'the backlog title'),
  }),
  'update-user': z.strictObject({ v: version, text: trimmed(USER_MESSAGE_MAX, 'the update') }),
} as const;

type TabVerb = keyof typeof BODIES;

/** The card handler each tab verb runs: the same checks, commands and outbox as the card's button. */
const HANDLERS: Record<TabVerb, ActionHandler<never>> = {
  approve: approve as unknown as ActionHandler<never>,
  take: takeOwnership as unknown as ActionHandler<never>,
  reassign: reassign as unknown as ActionHandler<never>,
  project: project as unknown as ActionHandler<never>,
  'update-user': updateUser as unknown as ActionHandler<never>,
};

/** The card's data for a tab body. */
function cardData(verb: TabVerb, key: string, body: z.infer<(typeof BODIES)[TabVerb]>): Record<string, unknown> {
  const base = { ticketKey: key, v: body.v };
  if (verb === 'reassign') {
    const b = body as z.infer<(typeof BODIES)['reassign']>;
    return { ...base, target: b.target, reason: b.reason };
  }
  if (verb === 'project') {
    const b = body as z.infer<(typeof BODIES)['project']>;
    return { ...base, message: b.message, area: b.area ?? '', otherArea: b.otherArea ?? '', contacts: (b.contacts ?? []).join(', '), backlogTitle: b.backlogTitle };
  }
  if (verb === 'update-user') return { ...base, text: (body as z.infer<(typeof BODIES)['update-user']>).text };
  return base;
}

const textOf = (n: CardNotice | undefined): string | null => (n ? (typeof n.text === 'string' ? n.text : n.text.source) : null);

/** The field of the body a handler's own refusal of the input is about. */
function fieldOf(verb: TabVerb, detail: string): string | undefined {
  if (verb === 'reassign') return 'target';
  if (verb === 'update-user') return 'text';
  if (verb === 'project') {
    if (/^Also tell/.test(detail)) return 'contacts';
    if (/area/i.test(detail)) return 'area';
    if (/title/i.test(detail)) return 'backlogTitle';
    return 'message';
  }
  return undefined;
}

const aadIdOf = (p: Person): string | undefined => (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(p._id) ? p._id : undefined);

/**
 * `POST /api/tickets/{key}/{verb}`: Approve, Take, Reassign, Project and Update the user from the tab. Each runs the
 * card's own handler (same permissions, same domain command, same outbox, one write with its audit
 * record, `source: "tab"`); the request never waits on LGD or Teams: it commits and kicks the
 * worker, which brings the ticket's card up to date and writes to LGD. Update the user is the owner's
 * (the domain's `ownerUpdatesUser`), as on the card.
 */
export function ticketActionRoute(d: TabApiDeps, logger: Logger): Route {
  const rowOf = async (t: Ticket): Promise<QueueRow | undefined> => queueRow(t, await queueFacts(d.ports, d.events, [t])) ?? undefined;
  return {
    name: 'tab ticket action',
    method: 'post',
    path: '/api/tickets/:key/:verb',
    body: 'json',
    handler: async (req, res) => {
      const person = personOf(req);
      const params = req.params as Record<string, string | undefined>;
      const verb = params.verb ?? '';
      const key = params.key ?? '';
      if (!(ACTION_VERBS as readonly string[]).includes(verb)) return sendApiError(res, 'NotFound', `There is no ticket action "${verb.slice(0, 40)}". Nothing was changed.`);
      const tabVerb = verb as TabVerb;
      if (!TICKET_KEY.test(key)) return sendApiError(res, 'TicketNotFound', 'That is not one of the team’s tickets. Nothing was changed.');
      const body = parseOr400(res, BODIES[tabVerb] as z.ZodType<z.infer<(typeof BODIES)[TabVerb]>>, req.body, 'BadBody');
      if (!body) return;
      const ticket = await d.tickets.get(key);
      if (!ticket) return sendApiError(res, 'TicketNotFound', 'That is not one of the team’s tickets. Nothing was changed.');

      const handler = HANDLERS[tabVerb];
      const draft = (outcome: AuditDraft['outcome'], detail: string | null, t: Pick<Ticket, '_id' | 'lgd'> | null = ticket): AuditDraft => ({
        actor: { name: person.name, aadObjectId: aadIdOf(person) ?? null, email: person.email ?? person.upn },
        action: handler.verb,
        ticketKey: t?._id ?? null,
        ticketNumber: t?.lgd.id ?? null,
        outcome,
        source: 'tab',
        detail,
      });
      const audit = async (outcome: AuditDraft['outcome'], detail: string | null, t?: Pick<Ticket, '_id' | 'lgd'> | null): Promise<void> => {
        try {
          await d.ports.audit.record(draft(outcome, detail, t));
        } catch (err) {
          logger.error({ err }, 'could not write the audit trail');
        }
      };

      if (handler.writes && !person.analyst) {
        await audit('unmapped', 'no LGD analyst for this person');
        return sendApiError(res, 'NotMapped', `You are not linked to an LGD analyst yet, so the app cannot write to LGD for you. ${mappingHint(person)} Nothing was changed.`);
      }
      if (body.v > ticket.version) {
        return sendApiError(res, 'StaleVersion', 'Your view of this ticket is not from this app: reload the queue. Nothing was changed.', { row: await rowOf(ticket) });
      }

      const actor: Actor = { user: { id: person.teamsUserId, aadObjectId: aadIdOf(person), name: person.name }, person, canTriage: await d.ports.roles.canTriage(person, d.ports.now()) };
      const commands = actionCommands(d.service, (t, detail) => draft('done', detail, t));
      let result: ActionResult;
      try {
        result = await handler.handle(cardData(tabVerb, key, body) as never, actor, { ...d.ports, commands });
      } catch (err) {
        logger.error({ err, verb }, 'tab action failed');
        if (commands.committed()) return sendJson(res, 500, { code: 'Internal', message: 'Something went wrong on our side after your change was saved; it has been logged.' });
        const refusal = storeRefusalText(err);
        await audit('invalid', refusal ? 'the store refused the write' : 'the handler failed');
        if (refusal) return sendJson(res, 503, { code: 'StoreUnavailable', message: refusal } satisfies ApiError, { 'retry-after': String(STORE_RETRY_AFTER_SECONDS) });
        return sendJson(res, 500, { code: 'Internal', message: 'Something went wrong on our side; it has been logged. Nothing was changed.' });
      }
      if (!commands.committed()) await audit(result.outcome, result.detail ?? null, result.ticket);

      if (result.kind === 'error') {
        const code: ErrorCode = result.status === 404 ? 'TicketNotFound' : result.status === 403 ? 'NotAllowed' : result.status === 409 ? 'TicketMovedOn' : 'BadBody';
        return sendApiError(res, code, result.message);
      }
      const said = textOf(noticeShownOn(result.card));
      const current = result.ticket ?? (await d.tickets.get(key)) ?? ticket;
      const row = await rowOf(current);
      switch (result.outcome) {
        case 'done': {
          const notice: Notice = { kind: noticeShownOn(result.card)?.kind === 'info' ? 'info' : 'warning', text: said ?? 'Done.' };
          // Reassigned to another group: the ticket leaves the team's queue (null tells the tab to drop the row).
          return sendJson(res, 200, { row: row ?? null, notice } satisfies ActionResponse);
        }
        case 'not_allowed':
          return sendApiError(res, 'NotAllowed', said ?? 'You may not do this. Nothing was changed.', row ? { row } : {});
        case 'refused': {
          const code: ErrorCode = tabVerb === 'take' && current.state === 'owned' ? 'AlreadyOwned' : 'TicketMovedOn';
          return sendApiError(res, code, said ?? `${result.detail ?? 'The ticket has moved on.'} Nothing was changed.`, row ? { row } : {});
        }
        default: {
          const detail = result.detail ?? 'This cannot be done as asked.';
          if (/resolution categor/i.test(detail)) return sendApiError(res, 'Refused', `${detail} Nothing was changed.`, row ? { row } : {});
          const field = fieldOf(tabVerb, detail);
          return sendApiError(res, 'BadBody', `${detail} Nothing was changed.`, field ? { field } : {});
        }
      }
    },
  };
}
