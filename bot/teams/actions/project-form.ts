import { checkProject } from '../../domain/commands.js';
import { projectFormCard } from '../cards/project-form-card.js';
import { cardModelOf } from '../card-model-of.js';
import { isResult, loadTicket, notTriager, ticketActionData, viewFor, type ActionHandler } from './action-handler.js';

/**
 * The message the lead starts from; they can edit it. It has no sign-off: the one sign-off the
 * user reads ("— name, team") is added when the message is written to LGD. (`_signedBy` is kept
 * for callers written when the sign-off was part of the text.)
 */
export function defaultProjectMessage(number: number, _signedBy?: string): string {
  return (
    `Thank you for your request (LGD ${number}). We have looked at it and it needs more than a support fix: ` +
    `it is new work, so we have passed it to the team that plans projects for your area, who will contact you to discuss it. ` +
    `We are closing this support ticket.`
  );
}

/** projectForm: the Project form (message to the user, area, who to tell, backlog title), before triage or once the work turns out bigger. */
export const projectForm: ActionHandler = {
  verb: 'projectForm',
  schema: ticketActionData,
  writes: false,
  async handle(data, actor, ports) {
    const t = await loadTicket(data.ticketKey, ports);
    if (isResult(t)) return t;
    if (!actor.canTriage) return notTriager(t, actor, ports);
    const check = checkProject(t);
    if (!check.ok) return { kind: 'card', card: await viewFor(t, actor, ports, { kind: 'warning', text: check.message }), outcome: 'refused', ticket: t, detail: check.message };
    const team = await ports.poster.teamContext();
    const areas = await ports.areas.list();
    const categories = await ports.reference.categoriesAvailability();
    const categoriesUnavailable = categories.count > 0 ? undefined : { lgdAnswer: categories.problem?.lgdAnswer ?? null };
    return {
      kind: 'card',
      card: projectFormCard(cardModelOf(t, ports.link, team.now), team, { areas, defaultMessage: defaultProjectMessage(t.lgd.id, actor.person.name), categoriesUnavailable }),
      outcome: 'done',
      ticket: t,
    };
  },
};
