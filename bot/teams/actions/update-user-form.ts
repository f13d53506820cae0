import type { Ticket } from '../../domain/ticket.js';
import { lastUserUpdate } from '../../domain/ticket-times.js';
import { updateUserFormCard } from '../cards/update-user-form-card.js';
import type { AdaptiveCard } from '../cards/card-model.js';
import { cardModelOf } from '../card-model-of.js';
import { describeLastUpdate } from '../commands/my-tickets.js';
import { isResult, ticketActionData, type ActionHandler, type ActionPorts } from './action-handler.js';
import { loadOwnedTicket, UPDATING_THE_USER } from './owned-ticket.js';

/** The Update the user form for a ticket, with an error when the last try was refused. */
export async function updateUserFormOf(t: Ticket, ports: ActionPorts, error?: string): Promise<AdaptiveCard> {
  const team = await ports.poster.teamContext();
  const lastHeard = ports.calendar ? describeLastUpdate(lastUserUpdate(t), team.now, await ports.calendar.current()) : 'not known';
  return updateUserFormCard(cardModelOf(t, ports.link, team.now), { lastHeard, ...(error ? { error } : {}) });
}

/** updateUserForm: the owner's Update the user form (any time, from the ticket card). */
export const updateUserForm: ActionHandler = {
  verb: 'updateUserForm',
  schema: ticketActionData,
  writes: false,
  async handle(data, actor, ports) {
    const t = await loadOwnedTicket(data.ticketKey, actor, ports, UPDATING_THE_USER);
    if (isResult(t)) return t;
    return { kind: 'card', card: await updateUserFormOf(t, ports), outcome: 'done', ticket: t };
  },
};
