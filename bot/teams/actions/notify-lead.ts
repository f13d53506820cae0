import { ownedLimitText } from '../../domain/guidelines.js';
import type { NewNotice } from '../../store/notice-repository.js';
import { isResult, loadTicket, ticketActionData, viewFor, type ActionHandler } from './action-handler.js';

/** notifyLead: tells today's Operations Lead that someone owns more tickets than the guideline (queued: the worker sends it, retrying). */
export const notifyLead: ActionHandler = {
  verb: 'notifyLead',
  schema: ticketActionData,
  writes: false,
  async handle(data, actor, ports) {
    const t = await loadTicket(data.ticketKey, ports);
    if (isResult(t)) return t;
    const lead = await ports.roles.leadToday(ports.now());
    if (!lead?.person) {
      return {
        kind: 'card',
        card: await viewFor(t, actor, ports, { kind: 'warning', text: 'Nobody on the rota today can be reached through Teams; please talk to the Operations Lead directly.' }),
        outcome: 'refused',
        ticket: t,
      };
    }
    const owned = actor.person.analyst ? (await ports.tickets.ownedBy(actor.person.analyst.key)).length : 0;
    // The message and the audit record: one write; the worker sends it.
    const notice: NewNotice = {
      _id: `over-limit:${t._id}:${actor.person._id}`,
      to: { name: lead.person.name, aadObjectId: lead.person._id, teamsUserId: lead.person.teamsUserId },
      about: `${actor.person.name} owns ${owned} tickets`,
      ticketKey: t._id,
      ticketNumber: t.lgd.id,
      message: {
        title: `${actor.person.name} owns ${owned} tickets`,
        text: `${actor.person.name} has just taken LGD ${t.lgd.id} and now owns ${owned} tickets; the team's guideline is ${ownedLimitText(ports.guidelines)}. They asked for you to be told.`,
        kind: 'warning',
        actions: [{ title: `Open LGD ${t.lgd.id}`, url: ports.link(t) }],
      },
    };
    if (!(await ports.commands.record(t, { notices: [notice] }))) {
      return { kind: 'error', status: 404, code: 'TicketNotFound', message: 'This card names a ticket the app no longer holds; nothing was changed.', outcome: 'invalid', detail: `ticket ${t._id} gone` };
    }
    return {
      kind: 'card',
      card: await viewFor(t, actor, ports, { kind: 'info', text: `${lead.person.name} is being told.` }),
      outcome: 'done',
      ticket: t,
    };
  },
};
