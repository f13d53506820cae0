import { z } from 'zod';
import type { BacklogQueue } from '../backlog/backlog-outbox.js';
import type { BuiltinBacklog } from '../backlog/builtin-backlog.js';
import type { BuiltinBacklogItem } from '../store/backlog-item-repository.js';
import type { BacklogRequest } from '../store/backlog-request-repository.js';
import type { Route } from '../http/http-server.js';

const querySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

/** The backlog is small (a few "Project" tickets a week): the route merges at most this many of each source. */
const MAX_READ = 5000;

/** One backlog entry in the read API: a request (with its delivery state) and/or a built-in item. */
export interface BacklogEntryView {
  requestId: string;
  ticketKey: string;
  ticketNumber: number;
  title: string;
  area: string;
  raisedBy: string;
  decidedBy: string;
  ticketLink: string;
  /** pending: waiting for the backlog (retrying); created: in the backlog; failed: refused. */
  status: BacklogRequest['status'];
  externalId: string | null;
  url: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  requestedBy: string | null;
  createdAt: string;
}

function fromRequest(r: BacklogRequest): BacklogEntryView {
  const { item } = r;
  return {
    requestId: r._id,
    ticketKey: item.ticketKey,
    ticketNumber: item.ticketNumber,
    title: item.title,
    area: item.area,
    raisedBy: item.raisedBy,
    decidedBy: item.decidedBy,
    ticketLink: item.ticketLink,
    status: r.status,
    externalId: r.result?.externalId ?? null,
    url: r.result?.url ?? null,
    attempts: r.attempts,
    nextAttemptAt: r.status === 'pending' ? r.nextAttemptAt.toISOString() : null,
    lastError: r.lastError,
    requestedBy: r.requestedBy.name,
    createdAt: r.createdAt.toISOString(),
  };
}

function fromItem(i: BuiltinBacklogItem): BacklogEntryView {
  return {
    requestId: i._id,
    ticketKey: i.ticketKey,
    ticketNumber: i.ticketNumber,
    title: i.title,
    area: i.area,
    raisedBy: i.raisedBy,
    decidedBy: i.decidedBy,
    ticketLink: i.ticketLink,
    status: 'created',
    externalId: i.externalId,
    url: null,
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    requestedBy: null,
    createdAt: i.createdAt.toISOString(),
  };
}

/**
 * `GET /api/backlog?page=1&pageSize=50`: the built-in backlog's items and every backlog request's
 * state (so items still pending for Azure DevOps show too), one entry per request, newest first.
 */
export function backlogRoute(deps: { builtin: BuiltinBacklog; requests: BacklogQueue }): Route {
  return {
    name: 'list backlog',
    method: 'get',
    path: '/api/backlog',
    handler: async (req, res) => {
      const q = querySchema.safeParse(req.query ?? {});
      if (!q.success) {
        const issue = q.error.issues[0];
        res.send(400, { code: 'BadQuery', message: `${issue?.path.join('.') || 'query'}: ${issue?.message ?? 'invalid'}.` });
        return;
      }
      const { page, pageSize } = q.data;
      const [requests, items] = await Promise.all([deps.requests.list({ limit: MAX_READ }), deps.builtin.list({ limit: MAX_READ })]);
      const byId = new Map<string, BacklogEntryView>();
      for (const i of items) byId.set(i._id, fromItem(i));
      for (const r of requests) {
        const built = byId.get(r._id);
        // The request knows the delivery; the item is what the built-in backlog holds.
        byId.set(r._id, { ...fromRequest(r), externalId: r.result?.externalId ?? built?.externalId ?? null });
      }
      const all = [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.requestId.localeCompare(b.requestId));
      res.send(200, { page, pageSize, total: all.length, items: all.slice((page - 1) * pageSize, page * pageSize) });
    },
  };
}
