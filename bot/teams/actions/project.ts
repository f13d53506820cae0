import { z } from 'zod';
import { decideProject, USER_MESSAGE_MAX } from '../../domain/commands.js';
import type { Ticket } from '../../domain/ticket.js';
import { projectFormCard } from '../cards/project-form-card.js';
import { cardModelOf } from '../card-model-of.js';
import { isResult, loadTicket, notTriager, requesterOf, ticketActionData, viewFor, type ActionHandler, type ActionPorts, type ActionResult } from './action-handler.js';
import { defaultProjectMessage } from './project-form.js';

const schema = ticketActionData.extend({
  message: z.string().max(20_000).optional().default(''),
  area: z.string().trim().max(200).optional().default(''),
  backlogTitle: z.string().trim().max(1000).optional().default(''),
});

/** The resolution category a Project decision uses. */
async function projectCategory(ports: ActionPorts): Promise<{ _id: string; title: string } | null> {
  const all = await ports.reference.categories.find({}, { sort: { title: 1 } }).toArray();
  const wanted = ports.projectCategory?.toLowerCase();
  return all.find((c) => c.title.toLowerCase() === wanted) ?? all.find((c) => /project/i.test(c.title)) ?? all[0] ?? null;
}

/**
 * project: the lead's decision that the ticket is project work. Queues the note, the message to
 * the user and the resolve through the outbox; creates the backlog item (retried in the
 * background) and, once it exists, tells the area's contacts.
 */
export const project: ActionHandler<z.infer<typeof schema>> = {
  verb: 'project',
  schema,
  writes: true,
  async handle(data, actor, ports) {
    const t = await loadTicket(data.ticketKey, ports);
    if (isResult(t)) return t;
    if (!actor.canTriage) return notTriager(t, actor, ports);

    const again = async (error: string, ticket: Ticket = t): Promise<ActionResult> => {
      const team = await ports.poster.teamContext();
      return {
        kind: 'card',
        card: projectFormCard(cardModelOf(ticket, ports.link, team.now), team, {
          areas: await ports.areas.list(),
          defaultMessage: defaultProjectMessage(ticket.lgd.id, actor.person.name),
          prefill: { message: data.message, area: data.area, backlogTitle: data.backlogTitle, error },
        }),
        outcome: 'invalid',
        ticket,
        detail: error,
      };
    };
    const message = data.message.trim();
    if (!message) return again('Write the message to the user: LGD sends it to them.');
    if (message.length > USER_MESSAGE_MAX) return again(`The message to the user is ${message.length} characters; keep it under ${USER_MESSAGE_MAX}.`);
    const area = data.area ? await ports.areas.get(data.area) : null;
    if (!area) return again(data.area ? `"${data.area}" is not a known area; choose one from the list.` : 'Choose the area the work belongs to.');
    if (!data.backlogTitle) return again('Give the backlog item a title.');
    if (t.state !== 'needs_triage') {
      return {
        kind: 'card',
        card: await viewFor(t, actor, ports, { kind: 'warning', text: 'This ticket is no longer waiting for triage, so it cannot be decided as project work. Nothing was changed.' }),
        outcome: 'refused',
        ticket: t,
      };
    }
    const category = await projectCategory(ports);
    if (!category) return again('LGD offers no resolution categories, so the ticket cannot be resolved from here.');

    const r = await ports.commands.run(t._id, requesterOf(actor), (tk, ctx) =>
      decideProject(tk, { message, area: area.area, backlogTitle: data.backlogTitle, categoryKey: category._id }, ctx),
    );
    if (!r.ok) return r.ticket ? again(r.message, r.ticket) : { kind: 'error', status: 404, code: 'TicketNotFound', message: r.message, outcome: 'invalid' };

    const noteEntry = r.ticket.outbox.find((e) => e.write.kind === 'note' && e.write.decision === 'project' && !r.before.outbox.some((b) => b.id === e.id));
    await ports.backlog.enqueue(
      {
        ticketKey: t._id,
        ticketNumber: t.lgd.id,
        title: data.backlogTitle,
        description: t.lgd.description || t.lgd.title,
        area: area.area,
        raisedBy: t.lgd.raiseUser ?? 'unknown',
        ticketLink: ports.link(t),
        decidedBy: actor.person.name,
        requestId: noteEntry?.id ?? `${t._id}:project:${t.version}`,
      },
      requesterOf(actor),
    );
    ports.poster.reconcileSoon([t._id]);
    return {
      kind: 'card',
      card: await viewFor(r.ticket, actor, ports, {
        kind: 'info',
        text: `Project work. LGD will get the note, the message to the user and the resolve; "${data.backlogTitle}" goes to the ${area.area} backlog and ${area.contacts.length === 1 ? 'its contact is' : 'its contacts are'} told when it is there.`,
      }),
      outcome: 'done',
      ticket: r.ticket,
      detail: `area ${area.area}`,
    };
  },
};
