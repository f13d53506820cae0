import { isResult, loadTicket, ticketActionData, viewFor, type ActionHandler } from './action-handler.js';

/** refresh: the person's own view of the card (Teams asks for it automatically for the refresh users). */
export const refresh: ActionHandler = {
  verb: 'refresh',
  schema: ticketActionData,
  writes: false,
  async handle(data, actor, ports) {
    const t = await loadTicket(data.ticketKey, ports);
    if (isResult(t)) return t;
    return { kind: 'card', card: await viewFor(t, actor, ports), outcome: 'done', ticket: t };
  },
};
