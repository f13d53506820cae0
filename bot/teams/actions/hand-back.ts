import { reassign as reassignCommand } from '../../domain/commands.js';
import { isOwnerOf } from '../../domain/permissions.js';
import type { Ticket } from '../../domain/ticket.js';
import type { CommandOutcome } from '../../sync/command-service.js';
import { isResult, loadTicket, requesterOf, ticketActionData, viewFor, type ActionHandler, type ActionPorts, type Actor } from './action-handler.js';
import { commandOutcome } from './command-outcome.js';
import { handBackView } from './duty-views.js';

/** Why a handed-back ticket was reassigned, as LGD's assignment records it. */
export const HAND_BACK_REASON = 'Handed back to the team: not on support the next working day';

/** Hands one of the actor's tickets back to its group (LGD drops the person), with the handed_back event, in one write. */
export function handBackOne(t: Ticket, actor: Actor, ports: ActionPorts): Promise<CommandOutcome> {
  const group = t.lgd.groupTitle ?? 'the team';
  return ports.commands.run(
    t,
    requesterOf(actor),
    (tk, ctx) => {
      if (tk.state !== 'owned' || !isOwnerOf(tk, actor.person.analyst?.key)) {
        return { ok: false, code: 'WRONG_STATE', message: `LGD ${tk.lgd.id} is no longer yours, so it is not handed back from here.` };
      }
      if (!tk.lgd.groupKey) return { ok: false, code: 'WRONG_STATE', message: `LGD ${tk.lgd.id} has no group in LGD to hand it back to.` };
      return reassignCommand(tk, { groupKey: tk.lgd.groupKey, groupTitle: tk.lgd.groupTitle ?? undefined, reason: HAND_BACK_REASON }, ctx);
    },
    () => ({ events: [{ kind: 'handed_back', ticketKey: t._id, by: actor.person.name, to: group }], detail: `handed back to ${group}` }),
  );
}

/** handBack: the owner hands a ticket back to the team's group before a day off the support rota. */
export const handBack: ActionHandler = {
  verb: 'handBack',
  schema: ticketActionData,
  writes: true,
  async handle(data, actor, ports) {
    const t = await loadTicket(data.ticketKey, ports);
    if (isResult(t)) return t;
    const group = t.lgd.groupTitle ?? 'the team';
    const r = await handBackOne(t, actor, ports);
    if (data.from === 'handBack') {
      const notice = r.ok ? { kind: 'info' as const, text: `LGD ${t.lgd.id} is handed back to ${group}.` } : { kind: 'warning' as const, text: `${r.message} Nothing was changed.` };
      return { kind: 'card', card: await handBackView(actor, ports, group, notice), outcome: r.ok ? 'done' : 'refused', ticket: r.ticket, ...(r.ok ? {} : { detail: r.message }) };
    }
    return commandOutcome(r, actor, ports, () => viewFor(r.ticket ?? t, actor, ports, { kind: 'info', text: `Handed back to ${group}.` }));
  },
};
