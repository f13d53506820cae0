import { resolveFormCard } from '../cards/resolve-form-card.js';
import { cardModelOf } from '../card-model-of.js';
import type { Ticket } from '../../domain/ticket.js';
import { describeState } from '../../domain/commands.js';
import { mayResolve } from '../../domain/permissions.js';
import { isResult, loadTicket, ticketActionData, viewFor, type ActionHandler, type ActionPorts, type ActionResult, type Actor } from './action-handler.js';

/** LGD's resolution categories, for the form. */
export async function resolutionCategories(ports: ActionPorts): Promise<{ key: string; title: string }[]> {
  return (await ports.reference.resolutionCategories()).map((c) => ({ key: c._id, title: c.title }));
}

/** The refusal for anyone but the ticket's owner, or null when the actor owns it. */
export async function unlessOwner(t: Ticket, actor: Actor, ports: ActionPorts): Promise<ActionResult | null> {
  if (mayResolve(t, actor.person.analyst?.key)) return null;
  // An owner's stale card on a ticket that moved on (resolved, even if LGD has not shown it yet): say where it is.
  const text =
    t.state !== 'owned' && t.state !== 'approved_unassigned'
      ? `LGD ${t.lgd.id} is ${describeState(t.state)}, so it cannot be resolved now. Nothing was changed.`
      : `Only the ticket's owner${t.owner?.title ? ` (${t.owner.title})` : ''} resolves it from here. Nothing was changed.`;
  return {
    kind: 'card',
    card: await viewFor(t, actor, ports, { kind: 'warning', text }),
    outcome: 'not_allowed',
    ticket: t,
  };
}

/** resolveForm: the owner's Resolve form (category and resolution text). */
export const resolveForm: ActionHandler = {
  verb: 'resolveForm',
  schema: ticketActionData,
  writes: false,
  async handle(data, actor, ports) {
    const t = await loadTicket(data.ticketKey, ports);
    if (isResult(t)) return t;
    const refused = await unlessOwner(t, actor, ports);
    if (refused) return refused;
    const team = await ports.poster.teamContext();
    return { kind: 'card', card: resolveFormCard(cardModelOf(t, ports.link, team.now), team, { categories: await resolutionCategories(ports) }), outcome: 'done', ticket: t };
  },
};
