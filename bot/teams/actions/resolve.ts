import { z } from 'zod';
import { resolve as resolveCommand, USER_MESSAGE_MAX } from '../../domain/commands.js';
import { resolveFormCard } from '../cards/resolve-form-card.js';
import { cardModelOf } from '../card-model-of.js';
import { isResult, requesterOf, ticketActionData, viewFor, type ActionHandler, type ActionResult } from './action-handler.js';
import { commandOutcome } from './command-outcome.js';
import { resolutionCategories } from './resolve-form.js';
import { loadOwnedTicket, RESOLVING } from './owned-ticket.js';

const schema = ticketActionData.extend({
  category: z.string().trim().max(200).optional().default(''),
  description: z.string().max(20_000).optional().default(''),
});

/** resolve: the owner resolves the ticket in LGD with a category and a resolution, through the outbox. */
export const resolve: ActionHandler<z.infer<typeof schema>> = {
  verb: 'resolve',
  schema,
  writes: true,
  async handle(data, actor, ports) {
    const t = await loadOwnedTicket(data.ticketKey, actor, ports, RESOLVING);
    if (isResult(t)) return t;
    const categories = await resolutionCategories(ports);
    const again = async (error: string): Promise<ActionResult> => {
      const team = await ports.poster.teamContext();
      return {
        kind: 'card',
        card: resolveFormCard(cardModelOf(t, ports.link, team.now), team, { categories, prefill: { description: data.description, categoryKey: data.category, error } }),
        outcome: 'invalid',
        ticket: t,
        detail: error,
      };
    };
    const category = categories.find((c) => c.key === data.category);
    if (!category) return again('Choose a resolution category from the list.');
    const description = data.description.trim();
    if (!description) return again('Describe the resolution: the user sees it.');
    if (description.length > USER_MESSAGE_MAX) return again(`The resolution is ${description.length} characters; keep it under ${USER_MESSAGE_MAX}.`);
    const r = await ports.commands.run(t, requesterOf(actor), (tk, ctx) => resolveCommand(tk, { categoryKey: category.key, description }, ctx));
    return commandOutcome(r, actor, ports, () => viewFor(r.ticket ?? t, actor, ports, { kind: 'info', text: `Resolved as "${category.title}". Thank you.` }));
  },
};
