import { REASSIGN_STATES } from '../../domain/commands.js';
import { isOwnerOf, mayReassign } from '../../domain/permissions.js';
import { reassignFormCard } from '../cards/reassign-form-card.js';
import { cardModelOf } from '../card-model-of.js';
import { isResult, loadTicket, notTriager, ticketActionData, viewFor, type ActionHandler } from './action-handler.js';

/** reassignForm: the form with the group / person typeahead and the reason. */
export const reassignForm: ActionHandler = {
  verb: 'reassignForm',
  schema: ticketActionData,
  writes: false,
  async handle(data, actor, ports) {
    const t = await loadTicket(data.ticketKey, ports);
    if (isResult(t)) return t;
    if (!mayReassign({ mayTriage: actor.canTriage, isOwner: isOwnerOf(t, actor.person.analyst?.key) })) return notTriager(t, actor, ports);
    if (!REASSIGN_STATES.includes(t.state)) {
      return { kind: 'card', card: await viewFor(t, actor, ports, { kind: 'warning', text: 'This ticket has moved on and cannot be reassigned from here.' }), outcome: 'refused', ticket: t };
    }
    const team = await ports.poster.teamContext();
    return { kind: 'card', card: reassignFormCard(cardModelOf(t, ports.link, team.now), team), outcome: 'done', ticket: t };
  },
};
