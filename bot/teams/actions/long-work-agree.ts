import { isResult, loadTicket, notTriager, ticketActionData, viewFor, type ActionHandler } from './action-handler.js';

/** longWorkAgree: the Operations Lead (or a lead) agrees the work may take longer; it is not raised again while the owner keeps it. */
export const longWorkAgree: ActionHandler = {
  verb: 'longWorkAgree',
  schema: ticketActionData,
  writes: false,
  async handle(data, actor, ports) {
    const t = await loadTicket(data.ticketKey, ports);
    if (isResult(t)) return t;
    if (!actor.canTriage) return notTriager(t, actor, ports);
    const by = actor.person.name;
    if (!(await ports.commands.record(t, { events: [{ kind: 'long_work_agreed', ticketKey: t._id, by }], detail: `long work agreed by ${by}` }))) {
      return { kind: 'error', status: 404, code: 'TicketNotFound', message: 'This card names a ticket the app no longer holds; nothing was changed.', outcome: 'invalid', detail: `ticket ${t._id} gone` };
    }
    return {
      kind: 'card',
      card: await viewFor(t, actor, ports, { kind: 'info', text: `Agreed: LGD ${t.lgd.id} may take longer. It is not raised again while ${t.owner?.title ?? 'its owner'} has it.` }),
      outcome: 'done',
      ticket: t,
    };
  },
};
