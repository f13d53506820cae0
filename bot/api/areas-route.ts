import type { AreasResponse } from '../../tab/src/api/contract.js';
import type { Route } from '../http/http-server.js';
import { sendJson } from './api-answer.js';
import type { TabApiDeps } from './tab-api-deps.js';

/** `GET /api/areas`: the known areas and their contacts, by name, for the Project dialog. */
export function areasRoute(d: TabApiDeps): Route {
  return {
    name: 'tab areas',
    method: 'get',
    path: '/api/areas',
    handler: async (_req, res) => {
      const areas = await d.ports.areas.list();
      sendJson(res, 200, { areas: areas.map((a) => ({ area: a.area, contacts: [...a.contacts] })) } satisfies AreasResponse);
    },
  };
}
