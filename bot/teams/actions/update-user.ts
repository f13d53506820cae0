import { z } from 'zod';
import { ownerUpdatesUser, USER_MESSAGE_MAX } from '../../domain/commands.js';
import { updateInputId } from '../cards/update-nudge-card.js';
import { isResult, loadTicket, requesterOf, ticketActionData, viewFor, type ActionHandler, type ActionPorts, type ActionResult, type Actor } from './action-handler.js';
import { commandOutcome } from './command-outcome.js';
import { nudgeView } from './duty-views.js';
import { updateUserFormOf } from './update-user-form.js';

// A card sends all its inputs with an action: the nudge card's boxes are named per ticket ("update-123"), the form's "text".
const schema = ticketActionData.catchall(z.unknown());

/** The text the person wrote for this ticket, or null when it is not a string of sane size. */
function textFor(data: Record<string, unknown>, ticketNumber: number): string | null {
  const raw = data[updateInputId(ticketNumber)] ?? data.text ?? '';
  return typeof raw === 'string' && raw.length <= 20_000 ? raw : null;
}

/**
 * Sends the owner's update, or No change today's standard text, to the user through the outbox,
 * from the nudge card (which comes back in place, the ticket marked done) or the ticket card's form.
 */
export async function sendUserUpdate(data: { ticketKey: string; from?: string }, actor: Actor, ports: ActionPorts, text: string | null, what: string): Promise<ActionResult> {
  const t = await loadTicket(data.ticketKey, ports);
  if (isResult(t)) return t;
  const fromNudge = data.from === 'nudge';
  const again = async (error: string): Promise<ActionResult> => ({
    kind: 'card',
    card: fromNudge ? await nudgeView(actor, ports, { kind: 'error', text: `LGD ${t.lgd.id}: ${error} Nothing was sent.` }) : await updateUserFormOf(t, ports, error),
    outcome: 'invalid',
    ticket: t,
    detail: error,
  });
  if (text === null) return again(`The update must be text of at most ${USER_MESSAGE_MAX} characters.`);
  const r = await ports.commands.run(t, requesterOf(actor), (tk, ctx) => ownerUpdatesUser(tk, text, actor.person.analyst?.key ?? null, ctx));
  if (!r.ok && r.code === 'INVALID_INPUT') return again(r.message);
  if (!r.ok && fromNudge) {
    return { kind: 'card', card: await nudgeView(actor, ports, { kind: 'warning', text: `${r.message} Nothing was sent.` }), outcome: 'refused', ticket: r.ticket, detail: r.message };
  }
  const done = { kind: 'info' as const, text: `LGD ${t.lgd.id}: ${what} is on its way to the user through LGD.` };
  return commandOutcome(r, actor, ports, () => (fromNudge ? nudgeView(actor, ports, done) : viewFor(r.ticket ?? t, actor, ports, done)));
}

/** updateUser: the owner's update to the user (Send update), written to LGD as an end-user update. */
export const updateUser: ActionHandler<z.infer<typeof schema>> = {
  verb: 'updateUser',
  schema,
  writes: true,
  async handle(data, actor, ports) {
    const t = await ports.tickets.get(data.ticketKey);
    return sendUserUpdate(data, actor, ports, t ? textFor(data, t.lgd.id) : '', 'your update');
  },
};
