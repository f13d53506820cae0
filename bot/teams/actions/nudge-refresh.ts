import { ticketActionData, type ActionHandler } from './action-handler.js';
import { nudgeView } from './duty-views.js';

/** nudgeRefresh: the owner's update-the-user card as it stands now (Teams asks for it when they see the card), so tickets done elsewhere drop off. */
export const nudgeRefresh: ActionHandler = {
  verb: 'nudgeRefresh',
  schema: ticketActionData,
  writes: false,
  async handle(_data, actor, ports) {
    return { kind: 'card', card: await nudgeView(actor, ports), outcome: 'done' };
  },
};
