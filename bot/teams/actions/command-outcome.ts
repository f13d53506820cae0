import type { CommandOutcome } from '../../sync/command-service.js';
import type { AdaptiveCard } from '../cards/card-model.js';
import { viewFor, type ActionPorts, type ActionResult, type Actor } from './action-handler.js';

/**
 * Shapes a command's outcome as the answer to a card action: accepted → the next card (the worker,
 * kicked by the command, brings the shared card up to date); refused → the current card saying why.
 */
export async function commandOutcome(
  r: CommandOutcome,
  actor: Actor,
  ports: ActionPorts,
  accepted: () => Promise<AdaptiveCard>,
): Promise<ActionResult> {
  if (r.ok) return { kind: 'card', card: await accepted(), outcome: 'done', ticket: r.ticket };
  if (!r.ticket) return { kind: 'error', status: 404, code: 'TicketNotFound', message: r.message, outcome: 'invalid' };
  return {
    kind: 'card',
    card: await viewFor(r.ticket, actor, ports, { kind: 'warning', text: `${r.message} Nothing was changed.` }),
    outcome: r.code === 'INVALID_INPUT' ? 'invalid' : 'refused',
    ticket: r.ticket,
    detail: r.message,
  };
}
