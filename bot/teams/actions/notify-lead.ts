import { messageCard } from '../cards/message-card.js';
import { isResult, loadTicket, ticketActionData, viewFor, type ActionHandler } from './action-handler.js';

/** notifyLead: tells today's Operations Lead that someone owns more tickets than the guideline. */
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
    await ports.sender.sendToPerson(
      { aadObjectId: lead.person._id, teamsUserId: lead.person.teamsUserId },
      {
        card: messageCard({
          title: `${actor.person.name} owns ${owned} tickets`,
          text: `${actor.person.name} has just taken LGD ${t.lgd.id} and now owns ${owned} tickets; the team's guideline is three at most. They asked for you to be told.`,
          kind: 'warning',
          actions: [{ title: `Open LGD ${t.lgd.id}`, url: ports.link(t) }],
        }),
      },
    );
    return {
      kind: 'card',
      card: await viewFor(t, actor, ports, { kind: 'info', text: `${lead.person.name} has been told.` }),
      outcome: 'done',
      ticket: t,
    };
  },
};
