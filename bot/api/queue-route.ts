import { z } from 'zod';
import { LIMITS, type LgdStatus, type QueueResponse, type QueueRow } from '../../tab/src/api/contract.js';
import { addDays } from '../domain/iso-date.js';
import { stateSince } from '../domain/ticket-times.js';
import type { Route } from '../http/http-server.js';
import type { DegradedPart } from '../store/status-repository.js';
import { etagOf, parseOr400, sendWithEtag } from './api-answer.js';
import { inDisplayOrder, queueFacts, queueRow } from './queue-rows.js';
import type { TabApiDeps } from './tab-api-deps.js';

/** How many days of resolved tickets the queue shows unless asked otherwise. */
export const RECENT_RESOLVED_DAYS = 7;

const querySchema = z.strictObject({
  resolvedDays: z.coerce.number().int().min(0).max(LIMITS.resolvedDays).default(RECENT_RESOLVED_DAYS),
});

/** LGD as the sync worker last found it, from the stored status (the same facts as /healthz). */
export function lgdStatusOf(parts: readonly DegradedPart[]): LgdStatus {
  const lgd = parts.find((p) => p.part === 'lgd');
  if (!lgd) return { state: 'ok', since: null, message: null };
  return { state: lgd.code === 'LGD_UNAVAILABLE' ? 'unreachable' : 'refusing', since: lgd.since.toISOString(), message: lgd.message };
}

/** The queue as it is now, without `generatedAt` (what the etag covers), and its etag. */
export async function currentQueue(d: Pick<TabApiDeps, 'ports' | 'tickets' | 'status' | 'events'>, resolvedDays: number): Promise<Omit<QueueResponse, 'generatedAt'>> {
  const now = d.ports.now();
  // Closed on one of these UTC dates: one more than asked, so a day's edge in the team's zone is covered; the rows are then cut by time.
  const dates = Array.from({ length: resolvedDays + 1 }, (_, i) => addDays(now.toISOString().slice(0, 10), -i));
  const [{ open, closed }, parts, sync] = await Promise.all([d.tickets.queue(resolvedDays === 0 ? [] : dates, LIMITS.queueRows), d.status.list(), d.status.firstSync()]);
  const cutoff = now.getTime() - resolvedDays * 86_400_000;
  const recent = closed.filter((t) => stateSince(t).getTime() >= cutoff);
  const facts = await queueFacts(d.ports, d.events, open);
  const rows = inDisplayOrder([...open, ...recent].map((t) => queueRow(t, facts)).filter((r): r is QueueRow => r !== null));
  // Over the cap: the oldest resolved rows go first (they are last in display order).
  const truncated = rows.length > LIMITS.queueRows;
  const shown = truncated ? rows.slice(0, LIMITS.queueRows) : rows;
  const lgd = lgdStatusOf(parts);
  const firstSync = sync.complete ? null : { done: sync.done ?? 0, of: sync.of, startedAt: sync.startedAt?.toISOString() ?? null };
  const body = { complete: sync.complete, firstSync, lgd, resolvedDays, rows: shown, truncated };
  return { etag: etagOf('q', body), ...body };
}

/**
 * `GET /api/queue?resolvedDays=7`: the team's open tickets, Project decisions and recently resolved
 * tickets, in display order, with each row's warnings; `ETag` / `If-None-Match` → 304.
 */
export function queueRoute(d: TabApiDeps): Route {
  return {
    name: 'tab queue',
    method: 'get',
    path: '/api/queue',
    handler: async (req, res) => {
      const q = parseOr400(res, querySchema, req.query, 'BadQuery');
      if (!q) return;
      const queue = await currentQueue(d, q.resolvedDays);
      sendWithEtag(req, res, queue.etag, { ...queue, generatedAt: d.ports.now().toISOString() } satisfies QueueResponse);
    },
  };
}
