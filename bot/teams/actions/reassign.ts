import { z } from 'zod';
import { reassign as reassignCommand } from '../../domain/commands.js';
import { isOwnerOf, mayReassign } from '../../domain/permissions.js';
import { reassignFormCard } from '../cards/reassign-form-card.js';
import { cardModelOf } from '../card-model-of.js';
import { isResult, loadTicket, notTriager, ticketActionData, viewFor, type ActionHandler, type ActionResult } from './action-handler.js';
import { requesterOf } from './action-handler.js';
import { commandOutcome } from './command-outcome.js';

const schema = ticketActionData.extend({
  target: z.string().trim().max(200).optional().default(''),
  reason: z.string().trim().max(500).optional().default(''),
});

/** reassign: to another LGD group or person, with a reason; queued through the outbox. */
export const reassign: ActionHandler<z.infer<typeof schema>> = {
  verb: 'reassign',
  schema,
  writes: true,
  async handle(data, actor, ports) {
    const t = await loadTicket(data.ticketKey, ports);
    if (isResult(t)) return t;
    if (!mayReassign({ mayTriage: actor.canTriage, isOwner: isOwnerOf(t, actor.person.analyst?.key) })) return notTriager(t, actor, ports);

    const again = async (error: string): Promise<ActionResult> => {
      const team = await ports.poster.teamContext();
      return {
        kind: 'card',
        card: reassignFormCard(cardModelOf(t, ports.link, team.now), team, { reason: data.reason, error }),
        outcome: 'invalid',
        ticket: t,
        detail: error,
      };
    };
    const m = /^(group|user):(.+)$/.exec(data.target);
    if (!m) return again('Choose a group or a person from the list.');
    if (!data.reason) return again('Say why the ticket is being reassigned.');
    const [, kind, key] = m as unknown as [string, 'group' | 'user', string];
    let target: { groupKey?: string; groupTitle?: string; userKey?: string; userTitle?: string };
    if (kind === 'group') {
      const g = await ports.reference.group(key);
      if (!g) return again('That group is not one of LGD\'s support groups; choose one from the list.');
      target = { groupKey: g._id, groupTitle: g.title };
    } else {
      const a = await ports.reference.analyst(key);
      if (!a) return again('That person is not one of LGD\'s analysts; choose one from the list.');
      // Handing over before a day off stays within the team: someone the app knows and can remind.
      if (data.from === 'handBack' && !(await ports.people.byAnalystKey(a._id))) {
        return again(`${a.title} is not in the team: hand the ticket to a team member, or back to the team. Nothing was changed.`);
      }
      // LGD needs a group with a person: the person stays in the ticket's current group.
      target = { groupKey: t.lgd.groupKey ?? undefined, groupTitle: t.lgd.groupTitle ?? undefined, userKey: a._id, userTitle: a.title };
    }
    const r = await ports.commands.run(t, requesterOf(actor), (tk, ctx) =>
      reassignCommand(tk, { ...target, reason: data.reason }, ctx),
    );
    const where = target.userTitle ? `${target.userTitle}${target.groupTitle ? ` (${target.groupTitle})` : ''}` : target.groupTitle;
    return commandOutcome(r, actor, ports, () => viewFor(r.ticket ?? t, actor, ports, { kind: 'info', text: `Reassigned to ${where}.` }));
  },
};
