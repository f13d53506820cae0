import { z } from 'zod';
import type { Route } from '../http/http-server.js';
import { PROCESS_STATES } from '../domain/process-state.js';
import type { Ticket } from '../domain/ticket.js';
import { queuedForLgd } from '../domain/outbox.js';
import type { TicketRepository } from '../store/ticket-repository.js';
import type { StatusRepository } from '../store/status-repository.js';

const querySchema = z.object({
  state: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : []))
    .pipe(z.array(z.enum(PROCESS_STATES))),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

/** The JSON shape of a ticket in the read API. */
export function ticketView(t: Ticket) {
  return {
    key: t._id,
    number: t.lgd.id,
    title: t.lgd.title,
    group: t.groupTitle,
    owner: t.owner?.title ?? null,
    status: t.lgd.status,
    state: t.state,
    priority: t.lgd.priority,
    raisedBy: t.lgd.raiseUser,
    raisedAt: t.lgd.createdAt.toISOString(),
    lastUpdate: t.lgd.lastUpdate.toISOString(),
    decision: t.decision && { kind: t.decision.kind, by: t.decision.by, at: t.decision.at.toISOString(), source: t.decision.source },
    queuedForLgd: queuedForLgd(t.outbox),
  };
}

/**
 * `GET /api/tickets?state=needs_triage,owned&page=1&pageSize=50`: the team's tickets, newest change
 * first. `complete` is false until a first sync with LGD has completed (`firstSync` then says how
 * far it is), so a client does not take a partial list for the whole.
 */
export function ticketsRoute(tickets: TicketRepository, status: StatusRepository): Route {
  return {
    name: 'list tickets',
    method: 'get',
    path: '/api/tickets',
    handler: async (req, res) => {
      const q = querySchema.safeParse(req.query ?? {});
      if (!q.success) {
        const issue = q.error.issues[0];
        res.send(400, {
          code: 'BadQuery',
          message: `${issue?.path.join('.') || 'query'}: ${issue?.message ?? 'invalid'}. States are ${PROCESS_STATES.join(', ')}.`,
        });
        return;
      }
      const { state, page, pageSize } = q.data;
      const [items, total, sync] = await Promise.all([
        tickets.list({ states: state, skip: (page - 1) * pageSize, limit: pageSize }),
        tickets.count(state),
        status.firstSync(),
      ]);
      const firstSync = sync.complete ? null : { done: sync.done, of: sync.of, startedAt: sync.startedAt?.toISOString() ?? null };
      res.send(200, { page, pageSize, total, complete: sync.complete, firstSync, items: items.map(ticketView) });
    },
  };
}
