import { z } from 'zod';
import type { InsightsResponse } from '../../tab/src/api/contract.js';
import { LIMITS } from '../../tab/src/api/contract.js';
import type { TeamCalendar } from '../domain/calendar.js';
import type { Guidelines } from '../domain/guidelines.js';
import type { InsightsRepository } from '../store/insights-repository.js';
import { parseOr400 } from './api-answer.js';
import type { ApiRoute } from './guard-api-routes.js';
import { personOf } from './request-identity.js';

/** What the insights route reads. */
export interface InsightsRouteDeps {
  insights: Pick<InsightsRepository, 'weeks'>;
  calendar: { current(): Promise<TeamCalendar> };
  guidelines: Guidelines;
  now: () => Date;
}

/** Weeks shown when none are asked for. */
const DEFAULT_WEEKS = 12;

const query = z
  .object({
    weeks: z
      .string()
      .max(3)
      .regex(/^\d+$/, 'must be a whole number of weeks')
      .transform(Number)
      .pipe(z.number().int().min(1).max(LIMITS.insightsWeeks))
      .optional(),
  })
  .strict();

/** `GET /api/insights?weeks=12`: the process's own figures per week, computed in the store from the event log. */
export function insightsRoute(d: InsightsRouteDeps): ApiRoute {
  return {
    name: 'read insights',
    method: 'get',
    path: '/api/insights',
    handler: async (req, res) => {
      personOf(req);
      const q = parseOr400(res, query, req.query, 'BadQuery');
      if (!q) return;
      const now = d.now();
      const calendar = await d.calendar.current();
      const weeks = await d.insights.weeks({ weeks: q.weeks ?? DEFAULT_WEEKS, now, calendar, maxOwned: d.guidelines.maxOwned });
      const answer: InsightsResponse = {
        weeks,
        computedAt: now.toISOString(),
        timeZone: calendar.timeZone,
        longWorkDays: d.guidelines.longWorkDays,
        maxOwnedTickets: d.guidelines.maxOwned,
      };
      res.setHeader('cache-control', 'no-store');
      res.send(200, answer);
    },
  };
}
