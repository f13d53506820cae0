import type { Route } from '../http/http-server.js';
import { sendApiError } from './api-answer.js';
import type { LiveFeed, LiveSource } from './live-feed.js';
import { currentQueue, lgdStatusOf, RECENT_RESOLVED_DAYS } from './queue-route.js';
import { personOf } from './request-identity.js';
import type { TabApiDeps } from './tab-api-deps.js';
import { LIMITS } from '../../tab/src/api/contract.js';
import { addDays } from '../domain/iso-date.js';

/** What the live feed reads: the queue's tickets (keys, versions, states) and LGD's status, from the store. */
export function liveSource(d: Pick<TabApiDeps, 'tickets' | 'status' | 'ports' | 'events'>): LiveSource {
  return {
    async tickets() {
      const today = d.ports.now().toISOString().slice(0, 10);
      const dates = Array.from({ length: RECENT_RESOLVED_DAYS + 1 }, (_, i) => addDays(today, -i));
      return d.tickets.queueMarks(dates, LIMITS.queueRows);
    },
    async stateOf(key) {
      return (await d.tickets.get(key))?.state ?? null;
    },
    async lgd() {
      return lgdStatusOf(await d.status.list());
    },
  };
}

/**
 * `GET /api/events`: server-sent events of changes (`hello` first with the queue's etag, then
 * `ticket` and `lgd`), read by the tab with fetch; at most a few streams per person, a cap per
 * process (503 `Busy` beyond it: the tab polls instead), each ended after 15 minutes.
 */
export function eventsRoute(d: TabApiDeps, feed: LiveFeed): Route {
  return {
    name: 'tab events',
    method: 'get',
    path: '/api/events',
    handler: async (req, res) => {
      const person = personOf(req);
      if (!feed.hasRoom()) {
        res.setHeader('retry-after', '60');
        return sendApiError(res, 'Busy', 'Too many live connections to this server just now: the tab checks for changes every few seconds instead.');
      }
      const queue = await currentQueue(d, RECENT_RESOLVED_DAYS);
      feed.open(res, person._id, { serverTime: d.ports.now().toISOString(), queueEtag: queue.etag });
    },
  };
}
