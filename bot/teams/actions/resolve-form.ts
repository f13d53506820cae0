import { resolveFormCard } from '../cards/resolve-form-card.js';
import { cardModelOf } from '../card-model-of.js';
import { isResult, ticketActionData, type ActionHandler, type ActionPorts } from './action-handler.js';
import { loadOwnedTicket, RESOLVING } from './owned-ticket.js';

/** LGD's resolution categories, for the form. */
export async function resolutionCategories(ports: ActionPorts): Promise<{ key: string; title: string }[]> {
  return (await ports.reference.resolutionCategories()).map((c) => ({ key: c._id, title: c.title }));
}

/** resolveForm: the owner's Resolve form (category and resolution text). */
export const resolveForm: ActionHandler = {
  verb: 'resolveForm',
  schema: ticketActionData,
  writes: false,
  async handle(data, actor, ports) {
    const t = await loadOwnedTicket(data.ticketKey, actor, ports, RESOLVING);
    if (isResult(t)) return t;
    const team = await ports.poster.teamContext();
    return { kind: 'card', card: resolveFormCard(cardModelOf(t, ports.link, team.now), team, { categories: await resolutionCategories(ports) }), outcome: 'done', ticket: t };
  },
};
