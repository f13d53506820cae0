import { approve as approveCommand } from '../../domain/commands.js';
import { isResult, loadTicket, notTriager, ticketActionData, viewFor, type ActionHandler } from './action-handler.js';
import { requesterOf } from './action-handler.js';
import { commandOutcome } from './command-outcome.js';

/** approve: the ticket is support work; queues the note "Approved — <name> via Teams". */
export const approve: ActionHandler = {
  verb: 'approve',
  schema: ticketActionData,
  writes: true,
  async handle(data, actor, ports) {
    const t = await loadTicket(data.ticketKey, ports);
    if (isResult(t)) return t;
    if (!actor.canTriage) return notTriager(t, actor, ports);
    const r = await ports.commands.run(t, requesterOf(actor), approveCommand);
    // A ticket LGD already had someone on stays theirs: Approve makes them its owner.
    const text = (tk: typeof t): string =>
      tk.state === 'owned' ? `Approved. ${tk.owner?.title ?? 'The person LGD has on it'} owns it now.` : 'Approved. Anyone on support can take ownership now.';
    return commandOutcome(r, actor, ports, () => viewFor(r.ticket ?? t, actor, ports, { kind: 'info', text: text(r.ticket ?? t) }));
  },
};
