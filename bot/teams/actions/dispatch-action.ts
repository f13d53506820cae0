import { z } from 'zod';
import type { Logger } from '../../logger.js';
import type { AuditDraft } from '../../store/ticket-journal.js';
import { messageCard } from '../cards/message-card.js';
import type { CommandService } from '../../sync/command-service.js';
import type { TeamsUser } from '../teams-ports.js';
import { actionCommands } from './action-commands.js';
import { viewFor, type ActionHandler, type ActionPorts, type ActionResult, type Actor } from './action-handler.js';
import { storeRefusalText } from '../../errors.js';

/** The invoke response body Teams expects for `adaptiveCard/action`. */
export type InvokeBody =
  | { statusCode: 200; type: 'application/vnd.microsoft.card.adaptive'; value: unknown }
  | { statusCode: 400 | 401 | 403 | 404 | 409 | 500; type: 'application/vnd.microsoft.error'; value: { code: string; message: string } };

const invokeValue = z.object({
  action: z.object({
    type: z.literal('Action.Execute'),
    verb: z.string().min(1).max(64),
    data: z.unknown().optional(),
  }),
  trigger: z.enum(['manual', 'automatic']).optional(),
});

/** Verbs Teams calls to show a card as it stands now. */
const REFRESH_VERBS: ReadonlySet<string> = new Set(['refresh', 'nudgeRefresh']);

const error = (statusCode: 400 | 403 | 404 | 409 | 500, code: string, message: string): InvokeBody => ({
  statusCode,
  type: 'application/vnd.microsoft.error',
  value: { code, message },
});

/**
 * The answer to an action the store could not keep: the ticket's card as it stands (the store
 * still reads) with a warning saying nothing was saved, or a message card when there is no ticket.
 */
async function refusedCard(data: unknown, actor: Actor, ports: ActionPorts, text: string, logger: Logger): Promise<unknown> {
  const key = (data as { ticketKey?: unknown } | null)?.ticketKey;
  try {
    const t = typeof key === 'string' ? await ports.tickets.get(key) : null;
    if (t) return await viewFor(t, actor, ports, { kind: 'warning', text });
  } catch (err) {
    logger.warn({ err }, 'could not show the ticket on a refused action; answering with a message card');
  }
  return messageCard({ title: 'Nothing was saved', text, kind: 'warning' });
}

/**
 * The one place that turns an `adaptiveCard/action` invoke into a handler call: it validates the
 * verb and the data, finds who is acting (mapped to an LGD analyst when the action writes), runs
 * the handler, records the attempt in the audit trail, and shapes the answer. A handler's error
 * goes out inside an HTTP 200 body, as Teams requires. An accepted action's audit record is
 * committed with its ticket (one write in all); one that changed nothing is recorded on its own.
 */
export async function dispatchAction(
  value: unknown,
  user: TeamsUser,
  handlers: readonly ActionHandler<never>[],
  ports: ActionPorts,
  service: Pick<CommandService, 'run' | 'record'>,
  lookupMember: () => Promise<{ email?: string; userPrincipalName?: string; name?: string } | null>,
  logger: Logger,
): Promise<InvokeBody> {
  const parsed = invokeValue.safeParse(value);
  if (!parsed.success) return error(400, 'BadRequest', 'This card action is malformed; nothing was changed.');
  const { verb, data } = parsed.data.action;
  const handler = handlers.find((h) => h.verb === verb) as ActionHandler<{ ticketKey: string; v: number }> | undefined;
  const person = await ports.people.resolve(user, lookupMember);
  const actor: Actor = { user, person, canTriage: await ports.roles.canTriage(person, ports.now()) };
  const draft = (outcome: AuditDraft['outcome'], detail: string | null, ticket?: { _id: string; lgd: { id: number } } | null): AuditDraft => ({
    actor: { name: person.name, aadObjectId: user.aadObjectId ?? null, email: person.email ?? person.upn },
    action: verb,
    ticketKey: ticket?._id ?? null,
    ticketNumber: ticket?.lgd.id ?? null,
    outcome,
    source: 'teams',
    detail,
  });
  const audit = (outcome: AuditDraft['outcome'], detail: string | null, ticket?: { _id: string; lgd: { id: number } } | null) =>
    ports.audit.record(draft(outcome, detail, ticket)).catch((err: unknown) => logger.error({ err }, 'could not write the audit trail'));

  if (!handler) {
    await audit('invalid', `unknown verb ${verb.slice(0, 64)}`);
    return error(400, 'UnknownAction', 'This card asks for something the app does not do; nothing was changed.');
  }
  const d = handler.schema.safeParse(data ?? {});
  if (!d.success) {
    await audit('invalid', `bad data for ${verb}: ${d.error.issues[0]?.message ?? ''}`);
    return error(400, 'BadRequest', 'This card action is missing what it needs; nothing was changed. Refresh the card and try again.');
  }
  if (handler.writes && !person.analyst) {
    await audit('unmapped', 'no LGD analyst for this person');
    return {
      statusCode: 200,
      type: 'application/vnd.microsoft.card.adaptive',
      value: messageCard({
        title: 'You are not linked to an LGD analyst yet',
        text:
          `The app writes to LGD on behalf of the person acting, and it could not find your LGD analyst record` +
          `${person.email || person.upn ? ` for ${person.email ?? person.upn}` : ''}. Ask a lead to say "@LGD Support map ${person.email ?? person.upn ?? 'your e-mail'} to <your LGD login>". Nothing was changed.`,
        kind: 'warning',
      }),
    };
  }

  // What the handler commits carries this action's audit record (outcome done) in the same write.
  const commands = actionCommands(service, (ticket, detail) => draft('done', detail, ticket));
  let result: ActionResult;
  try {
    result = await handler.handle(d.data, actor, { ...ports, commands });
  } catch (err) {
    logger.error({ err, verb }, 'card action failed');
    if (commands.committed()) return error(500, 'Internal', 'Something went wrong on our side after your change was saved; it has been logged.');
    const refusal = storeRefusalText(err);
    await audit('invalid', refusal ? 'the store refused the write' : 'the handler failed');
    if (refusal) return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: await refusedCard(d.data, actor, ports, refusal, logger) };
    return error(500, 'Internal', 'Something went wrong on our side; it has been logged. Nothing was changed.');
  }
  // A card's automatic refresh that went as it should is not a decision: only the others are audited.
  if (!commands.committed() && (!REFRESH_VERBS.has(verb) || result.outcome !== 'done')) await audit(result.outcome, result.detail ?? null, result.ticket);
  if (result.kind === 'error') return error(result.status, result.code, result.message);
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: result.card };
}
