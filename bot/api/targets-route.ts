import { z } from 'zod';
import { LIMITS, type Target, type TargetsResponse } from '../../tab/src/api/contract.js';
import type { Route } from '../http/http-server.js';
import { parseOr400, sendJson } from './api-answer.js';
import type { TabApiDeps } from './tab-api-deps.js';

const querySchema = z.strictObject({
  q: z.string().max(LIMITS.targetsQuery, `at most ${LIMITS.targetsQuery} characters`).default(''),
  kind: z.enum(['group', 'user']).optional(),
  top: z.coerce.number().int().min(1).max(LIMITS.targetsTop).default(15),
});

/**
 * `GET /api/targets?q=&kind=group|user&top=15`: Reassign's typeahead from LGD's reference lists
 * (support groups by title, analysts by name, login or e-mail; `q` taken literally), groups first.
 */
export function targetsRoute(d: TabApiDeps): Route {
  return {
    name: 'tab targets',
    method: 'get',
    path: '/api/targets',
    handler: async (req, res) => {
      const q = parseOr400(res, querySchema, req.query, 'BadQuery');
      if (!q) return;
      const text = q.q.trim();
      const [groups, analysts] = await Promise.all([
        q.kind === 'user' ? [] : d.ports.reference.searchGroups(text, q.top),
        q.kind === 'group' ? [] : d.ports.reference.searchAnalysts(text, q.top),
      ]);
      const results: Target[] = [
        ...groups.map((g): Target => ({ value: `group:${g._id}`, kind: 'group', title: g.title, email: null })),
        ...analysts.map((a): Target => ({ value: `user:${a._id}`, kind: 'user', title: a.title, email: a.email?.toLowerCase() ?? null })),
      ].slice(0, q.top);
      sendJson(res, 200, { results } satisfies TargetsResponse);
    },
  };
}
