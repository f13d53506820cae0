import { z } from 'zod';
import { checkProject, decideProject, type ProjectInput } from '../../domain/commands.js';
import { parseEmails } from '../../domain/email-address.js';
import type { Ticket } from '../../domain/ticket.js';
import { backlogRequestOf } from '../../backlog/backlog-request.js';
import type { Area } from '../../store/area-repository.js';
import type { NewNotice } from '../../store/notice-repository.js';
import { projectFormCard, type ProjectFormPrefill } from '../cards/project-form-card.js';
import { cardModelOf } from '../card-model-of.js';
import { isResult, loadTicket, notTriager, requesterOf, ticketActionData, viewFor, type ActionHandler, type ActionPorts, type ActionResult, type Actor } from './action-handler.js';
import { defaultProjectMessage } from './project-form.js';

const schema = ticketActionData.extend({
  message: z.string().max(20_000).optional().default(''),
  area: z.string().trim().max(200).optional().default(''),
  otherArea: z.string().trim().max(200).optional().default(''),
  contacts: z.string().max(10_000).optional().default(''),
  backlogTitle: z.string().trim().max(1000).optional().default(''),
});

type ProjectData = z.infer<typeof schema>;

/** What the backlog item is filed under when no area was named. */
const NO_AREA = 'No area';

/** The resolution category a Project decision uses. */
async function projectCategory(ports: ActionPorts): Promise<{ _id: string; title: string } | null> {
  const all = await ports.reference.resolutionCategories();
  const wanted = ports.projectCategory?.toLowerCase();
  return all.find((c) => c.title.toLowerCase() === wanted) ?? all.find((c) => /project/i.test(c.title)) ?? all[0] ?? null;
}

/** The area named (chosen from the list, or typed), the known one it is, and everyone to tell; or the form's error. */
async function whoToTell(data: ProjectData, ports: ActionPorts): Promise<{ name: string | null; known: Area | null; tell: string[] } | { error: string }> {
  const chosen = data.area;
  const typed = data.otherArea;
  if (chosen && typed && chosen.toLowerCase() !== typed.toLowerCase()) return { error: 'Choose an area from the list or name another one, not both.' };
  const name = chosen || typed || null;
  const known = name ? await ports.areas.get(name) : null;
  const contacts = parseEmails(data.contacts, { allowEmpty: true });
  if (!contacts.ok) return { error: `Also tell: ${contacts.message}` };
  return { name, known, tell: [...new Set([...(known?.contacts ?? []), ...contacts.value])] };
}

/**
 * The owner of a ticket that was owned before the decision: the message they are owed (sent by the
 * worker, never inside this request) and what the card says about it; null when nobody is to be told.
 */
async function tellOwner(before: Ticket, noteId: string, actor: Actor, area: string | null, ports: ActionPorts): Promise<{ text: string; notice?: NewNotice } | null> {
  if (before.state !== 'owned' || !before.owner) return null;
  const ownerName = before.owner.title ?? 'The owner';
  const person = await ports.people.byAnalystKey(before.owner.key);
  if (person && person._id === actor.person._id) return null;
  if (!person) return { text: `${ownerName} owned it, and I cannot find them in Teams: please tell them.` };
  const notice: NewNotice = {
    _id: `project-owner:${noteId}`,
    to: { name: person.name, aadObjectId: person._id, teamsUserId: person.teamsUserId },
    about: `LGD ${before.lgd.id}, which they own, decided as project work`,
    ticketKey: before._id,
    ticketNumber: before.lgd.id,
    message: {
      title: `LGD ${before.lgd.id} is now project work`,
      text:
        `${actor.person.name} decided that LGD ${before.lgd.id} (${before.lgd.title}), which you own, is project work rather than support: ` +
        `it goes to the ${area ?? 'project'} backlog, and the ticket is resolved in LGD with a message to the user. There is nothing more to do on it as support.`,
      kind: 'info',
      actions: [{ title: `Open LGD ${before.lgd.id}`, url: ports.link(before) }],
    },
  };
  return { text: `${person.name}, who owned it, is told.`, notice };
}

/**
 * project: the lead's decision that the ticket is project work, before triage or once the work
 * turned out bigger. Queues the note, the message to the user and the resolve through the outbox;
 * queues the backlog item (retried in the background), whose area contacts and named people are
 * told once it exists; the owner of an owned ticket is told. With no area known and nobody named
 * it goes on, saying on the card and in the audit trail that nobody was told.
 */
export const project: ActionHandler<ProjectData> = {
  verb: 'project',
  schema,
  writes: true,
  async handle(data, actor, ports) {
    const t = await loadTicket(data.ticketKey, ports);
    if (isResult(t)) return t;
    if (!actor.canTriage) return notTriager(t, actor, ports);

    const again = async (error: string, ticket: Ticket = t): Promise<ActionResult> => {
      const team = await ports.poster.teamContext();
      const prefill: ProjectFormPrefill = { message: data.message, area: data.area, otherArea: data.otherArea, contacts: data.contacts, backlogTitle: data.backlogTitle, error };
      return {
        kind: 'card',
        card: projectFormCard(cardModelOf(ticket, ports.link, team.now), team, {
          areas: await ports.areas.list(),
          defaultMessage: defaultProjectMessage(ticket.lgd.id, actor.person.name),
          prefill,
        }),
        outcome: 'invalid',
        ticket,
        detail: error,
      };
    };

    const check = checkProject(t, { message: data.message, backlogTitle: data.backlogTitle, area: data.area || data.otherArea || null });
    if (!check.ok && check.code === 'WRONG_STATE') {
      return { kind: 'card', card: await viewFor(t, actor, ports, { kind: 'warning', text: `${check.message} Nothing was changed.` }), outcome: 'refused', ticket: t, detail: check.message };
    }
    if (!check.ok) return again(check.message);
    const input = check.input as ProjectInput;
    const who = await whoToTell(data, ports);
    if ('error' in who) return again(who.error);
    const area = who.known?.area ?? input.area;
    const category = await projectCategory(ports);
    if (!category) return again('LGD offers no resolution categories, so the ticket cannot be resolved from here.');

    // The decision, the backlog item, the owner's message and the audit record: one write.
    // What the card says of the owner, as the committed attempt found it.
    const ownerTold: { text: string | null } = { text: null };
    const r = await ports.commands.run(
      t,
      requesterOf(actor),
      (tk, ctx) => decideProject(tk, { ...input, area, categoryKey: category._id }, ctx),
      async (before, after) => {
        const noteEntry = after.outbox.find((e) => e.write.kind === 'note' && e.write.decision === 'project' && !before.outbox.some((b) => b.id === e.id));
        const requestId = noteEntry?.id ?? `${t._id}:project:${before.version}`;
        const item = {
          ticketKey: t._id,
          ticketNumber: t.lgd.id,
          title: input.backlogTitle,
          description: t.lgd.description || t.lgd.title,
          area: area ?? NO_AREA,
          raisedBy: t.lgd.raiseUser ?? 'unknown',
          ticketLink: ports.link(t),
          decidedBy: actor.person.name,
          requestId,
        };
        const told = await tellOwner(before, requestId, actor, area, ports);
        ownerTold.text = told?.text ?? null;
        const detail = `${area ? `area ${area}` : 'no area'}; ${who.tell.length === 0 ? 'nobody told' : `tell ${who.tell.join(', ')}`}${before.state === 'owned' ? `; was owned by ${before.owner?.title ?? 'someone'}${told ? '' : ' (the decider)'}` : ''}`;
        return { backlog: [backlogRequestOf(item, requesterOf(actor), ports.now(), who.tell)], notices: told?.notice ? [told.notice] : [], detail };
      },
    );
    if (!r.ok) {
      if (!r.ticket) return { kind: 'error', status: 404, code: 'TicketNotFound', message: r.message, outcome: 'invalid' };
      if (r.code === 'INVALID_INPUT') return again(r.message, r.ticket);
      return { kind: 'card', card: await viewFor(r.ticket, actor, ports, { kind: 'warning', text: `${r.message} Nothing was changed.` }), outcome: 'refused', ticket: r.ticket, detail: r.message };
    }

    const where = area ? `the ${area} backlog` : 'the backlog';
    const told =
      who.tell.length === 0
        ? 'Nobody was told: no known area and no one named. Tell the area’s Programme Delivery Manager / Digital Services Architect yourself.'
        : `${who.tell.join(', ')} ${who.tell.length === 1 ? 'is' : 'are'} told when it is there.`;
    return {
      kind: 'card',
      card: await viewFor(r.ticket, actor, ports, {
        kind: who.tell.length === 0 ? 'warning' : 'info',
        text: `Project work. LGD will get the note, the message to the user and the resolve; "${input.backlogTitle}" goes to ${where}. ${told}${ownerTold.text ? ` ${ownerTold.text}` : ''}`,
      }),
      outcome: 'done',
      ticket: r.ticket,
    };
  },
};
