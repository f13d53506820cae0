import { ticketActionData, type ActionHandler } from './action-handler.js';
import { handBackView } from './duty-views.js';
import { handBackOne } from './hand-back.js';

/** handBackAll: the owner hands every ticket they own back to the team's group, one write each. */
export const handBackAll: ActionHandler = {
  verb: 'handBackAll',
  schema: ticketActionData,
  writes: true,
  async handle(_data, actor, ports) {
    const key = actor.person.analyst?.key;
    const owned = key ? await ports.tickets.ownedBy(key) : [];
    const done: number[] = [];
    const refused: string[] = [];
    for (const t of owned) {
      const r = await handBackOne(t, actor, ports);
      if (r.ok) done.push(t.lgd.id);
      else refused.push(r.message);
    }
    const group = owned[0]?.lgd.groupTitle ?? 'the team';
    const text = [done.length > 0 ? `Handed back to ${group}: ${done.map((n) => `LGD ${n}`).join(', ')}.` : 'Nothing was handed back.', ...refused].join(' ');
    return {
      kind: 'card',
      card: await handBackView(actor, ports, group, { kind: refused.length > 0 ? 'warning' : 'info', text }),
      outcome: done.length > 0 ? 'done' : 'refused',
      detail: text.slice(0, 500),
    };
  },
};
