import { longWorkText } from '../../domain/guidelines.js';
import { longWorkFormCard } from '../cards/long-work-form-card.js';
import { cardModelOf } from '../card-model-of.js';
import { isResult, ticketActionData, type ActionHandler } from './action-handler.js';
import { loadOwnedTicket, RAISING_LONG_WORK } from './owned-ticket.js';

/** longWorkForm: the owner's "This will take more than 3 days" form, asking for a short reason. */
export const longWorkForm: ActionHandler = {
  verb: 'longWorkForm',
  schema: ticketActionData,
  writes: false,
  async handle(data, actor, ports) {
    const t = await loadOwnedTicket(data.ticketKey, actor, ports, RAISING_LONG_WORK);
    if (isResult(t)) return t;
    const team = await ports.poster.teamContext();
    return { kind: 'card', card: longWorkFormCard(cardModelOf(t, ports.link, team.now), { guideline: longWorkText(ports.guidelines) }), outcome: 'done', ticket: t };
  },
};
