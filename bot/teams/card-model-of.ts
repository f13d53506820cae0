import type { Ticket } from '../domain/ticket.js';
import { queuedForLgd } from '../domain/outbox.js';
import { lastUserUpdate } from '../domain/ticket-times.js';
import type { TicketCardModel } from './cards/card-model.js';

const DAY = 86_400_000;

/** Builds a ticket link from a template with `{key}` and `{id}`. */
export function ticketLinker(template: string): (t: Pick<Ticket, '_id' | 'lgd'>) => string {
  return (t) => template.replaceAll('{key}', encodeURIComponent(t._id)).replaceAll('{id}', String(t.lgd.id));
}

/** What a card shows of a ticket: LGD's facts as the team sees them, queued writes and the latest refusal. */
export function cardModelOf(t: Ticket, link: (t: Ticket) => string, now: Date): TicketCardModel {
  const last = t.outbox.at(-1);
  const refusal = last && last.status === 'refused' && last.finishedAt && now.getTime() - last.finishedAt.getTime() < DAY ? last.refusal : null;
  return {
    key: t._id,
    number: t.lgd.id,
    title: t.lgd.title,
    description: t.lgd.description,
    raisedBy: t.lgd.raiseUser,
    raisedAt: t.lgd.createdAt,
    priority: t.lgd.priority,
    category: t.lgd.category,
    status: t.lgd.status,
    state: t.state,
    group: t.groupTitle,
    owner: t.owner?.title ?? null,
    assignedInLgd: t.state === 'needs_triage' && t.owner ? (t.owner.title ?? 'someone') : null,
    decision: t.decision,
    queuedForLgd: queuedForLgd(t.outbox),
    refusal,
    lgdLink: link(t),
    lastUserUpdate: lastUserUpdate(t),
    version: t.version,
  };
}
