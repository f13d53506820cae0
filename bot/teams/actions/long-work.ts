import { z } from 'zod';
import { longWorkText } from '../../domain/guidelines.js';
import { ownedSince } from '../../domain/ticket-times.js';
import { operationsLeadOn } from '../../duties/operations-lead.js';
import { longWorkCard } from '../cards/long-work-card.js';
import { LONG_WORK_REASON_MAX, longWorkFormCard } from '../cards/long-work-form-card.js';
import { cardModelOf } from '../card-model-of.js';
import { dutyRowOf } from '../duty-row-of.js';
import { isResult, ticketActionData, viewFor, type ActionHandler, type ActionResult } from './action-handler.js';
import { loadOwnedTicket, RAISING_LONG_WORK } from './owned-ticket.js';

const schema = ticketActionData.extend({ reason: z.string().max(20_000).optional().default('') });

/** longWork: the owner raises work that will take longer than the guideline with the day's Operations Lead (the leads on a rota gap). */
export const longWork: ActionHandler<z.infer<typeof schema>> = {
  verb: 'longWork',
  schema,
  writes: false,
  async handle(data, actor, ports) {
    const t = await loadOwnedTicket(data.ticketKey, actor, ports, RAISING_LONG_WORK);
    if (isResult(t)) return t;
    const guideline = longWorkText(ports.guidelines);
    const team = await ports.poster.teamContext();
    const again = (error: string): ActionResult => ({
      kind: 'card',
      card: longWorkFormCard(cardModelOf(t, ports.link, team.now), { guideline, reason: data.reason, error }),
      outcome: 'invalid',
      ticket: t,
      detail: error,
    });
    const reason = data.reason.replace(/\s+/g, ' ').trim();
    if (!reason) return again('Give a short reason for the Operations Lead.');
    if (reason.length > LONG_WORK_REASON_MAX) return again(`The reason is ${reason.length} characters; keep it to ${LONG_WORK_REASON_MAX} at most.`);
    if (!ports.calendar || !ports.rota || !ports.leads) throw new Error('raising long work needs the calendar, the rota and the leads in the action ports');
    const calendar = await ports.calendar.current();
    const day = calendar.todayIn(team.now);
    const lead = await operationsLeadOn(day, { rota: ports.rota, people: ports.people, leads: ports.leads });
    if (lead.to.length === 0) return again('Nobody can be told: the rota has no Operations Lead today and no lead has met the app in Teams. Talk to the Operations Lead directly.');
    const since = ownedSince(t)?.toISOString() ?? 'unowned';
    const card = longWorkCard({ row: dutyRowOf(t, ports.link, team.now, calendar), owner: actor.person.name, why: reason, guideline, gap: lead.gap });
    const notices = lead.to.map((to) => ({
      _id: `duty:long_work|${t._id}|${since}:${to.aadObjectId ?? to.teamsUserId}`,
      to,
      about: `long work on LGD ${t.lgd.id}, raised by ${actor.person.name}`,
      message: { title: `LGD ${t.lgd.id} will take ${guideline}`, text: `${actor.person.name}: ${reason}`, kind: 'warning' as const },
      card,
      ticketKey: t._id,
      ticketNumber: t.lgd.id,
    }));
    const recorded = await ports.commands.record(t, {
      events: [{ kind: 'long_work_raised', ticketKey: t._id, by: actor.person.name, reason, auto: false }],
      notices,
      detail: `raised with ${lead.name}: ${reason}`,
    });
    if (!recorded) return { kind: 'error', status: 404, code: 'TicketNotFound', message: 'This card names a ticket the app no longer holds; nothing was changed.', outcome: 'invalid' };
    return { kind: 'card', card: await viewFor(t, actor, ports, { kind: 'info', text: `Raised with ${lead.name}. They will agree, discuss it with you or make it a Project.` }), outcome: 'done', ticket: t };
  },
};
