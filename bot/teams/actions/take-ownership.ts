import { takeOwnership as takeCommand } from '../../domain/commands.js';
import { isOverOwnedLimit, updateGuidelineText } from '../../domain/guidelines.js';
import { ownershipWarningNotice, withTellLeadAction } from '../cards/ownership-warning.js';
import { carryNotice, isResult, loadTicket, ticketActionData, viewFor, type ActionHandler } from './action-handler.js';
import { requesterOf } from './action-handler.js';
import { commandOutcome } from './command-outcome.js';

/** takeOwnership: assigns the ticket to the person's analyst record; exactly one of several racing wins. */
export const takeOwnership: ActionHandler = {
  verb: 'takeOwnership',
  schema: ticketActionData,
  writes: true,
  async handle(data, actor, ports) {
    const t = await loadTicket(data.ticketKey, ports);
    if (isResult(t)) return t;
    const analyst = actor.person.analyst!;
    const r = await ports.commands.run(t, requesterOf(actor), (tk, ctx) =>
      takeCommand(tk, { key: analyst.key, title: analyst.title }, ctx),
    );
    return commandOutcome(r, actor, ports, async () => {
      const ticket = r.ticket ?? t;
      const owned = (await ports.tickets.ownedBy(analyst.key)).length;
      if (!isOverOwnedLimit(owned, ports.guidelines)) {
        return viewFor(ticket, actor, ports, {
          kind: 'info',
          text: `You own LGD ${ticket.lgd.id} now. Remember to update the user ${updateGuidelineText(ports.guidelines)}.`,
        });
      }
      const lead = await ports.roles.leadToday(ports.now());
      const card = await viewFor(ticket, actor, ports, ownershipWarningNotice(owned, lead?.person?.name ?? lead?.name ?? null, ports.guidelines));
      return carryNotice(card, withTellLeadAction(card, { ticketKey: ticket._id, v: ticket.version }));
    });
  },
};
