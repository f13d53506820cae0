import { LIMITS, type ProjectDefaults } from '../../tab/src/api/contract.js';
import { describeState, PROJECT_STATES } from '../domain/commands.js';
import type { Route } from '../http/http-server.js';
import { defaultProjectMessage } from '../teams/actions/project-form.js';
import { sendApiError, sendJson } from './api-answer.js';
import { queueFacts, queueRow } from './queue-rows.js';
import { personOf } from './request-identity.js';
import type { TabApiDeps } from './tab-api-deps.js';
import { TICKET_KEY } from './ticket-action-route.js';

/**
 * `GET /api/tickets/{key}/project-defaults`: what the Project dialog starts with (the card form's
 * default message, the ticket's title as the backlog title, the known areas); triagers only.
 */
export function projectDefaultsRoute(d: TabApiDeps): Route {
  return {
    name: 'tab project defaults',
    method: 'get',
    path: '/api/tickets/:key/project-defaults',
    handler: async (req, res) => {
      const person = personOf(req);
      const key = (req.params as Record<string, string | undefined>).key ?? '';
      const ticket = TICKET_KEY.test(key) ? await d.tickets.get(key) : null;
      if (!ticket) return sendApiError(res, 'TicketNotFound', 'That is not one of the team’s tickets.');
      if (!(await d.ports.roles.canTriage(person, d.ports.now()))) {
        return sendApiError(res, 'NotAllowed', 'Only today’s Operations Lead or a lead developer / scrum master can decide that a ticket is project work.');
      }
      if (!PROJECT_STATES.includes(ticket.state)) {
        const row = queueRow(ticket, await queueFacts(d.ports, d.events, [ticket]));
        return sendApiError(res, 'TicketMovedOn', `LGD ${ticket.lgd.id} is ${describeState(ticket.state)}, so it cannot be decided as project work now.`, row ? { row } : {});
      }
      const areas = await d.ports.areas.list();
      sendJson(res, 200, {
        message: defaultProjectMessage(ticket.lgd.id, person.name),
        backlogTitle: ticket.lgd.title.slice(0, LIMITS.backlogTitle),
        areas: areas.map((a) => ({ area: a.area, contacts: [...a.contacts] })),
      } satisfies ProjectDefaults);
    },
  };
}
