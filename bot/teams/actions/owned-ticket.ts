import { describeState } from '../../domain/commands.js';
import { mayResolve } from '../../domain/permissions.js';
import type { Ticket } from '../../domain/ticket.js';
import { isResult, loadTicket, viewFor, type ActionPorts, type ActionResult, type Actor } from './action-handler.js';

/** What only the ticket's owner does from a card, in the words a refusal uses. */
export interface OwnerOnly {
  /** After "so …" when the ticket has moved on: "it cannot be resolved now". */
  movedOn: string;
  /** After "Only the ticket's owner (Name) …": "resolves it from here". */
  ownerOnly: string;
}

/** Resolve and its form. */
export const RESOLVING: OwnerOnly = { movedOn: 'it cannot be resolved now', ownerOnly: 'resolves it from here' };
/** Update the user and its form. */
export const UPDATING_THE_USER: OwnerOnly = { movedOn: 'its user is not updated from here now', ownerOnly: 'updates its user from here' };
/** This will take longer, and its form. */
export const RAISING_LONG_WORK: OwnerOnly = { movedOn: 'it cannot be raised as long work now', ownerOnly: 'raises it as long work' };

/**
 * The ticket a card names, when the actor owns it; otherwise the card to answer with: not one of the
 * team's tickets, moved on (say where it is: an owner's stale card), or someone else's.
 */
export async function loadOwnedTicket(ticketKey: string, actor: Actor, ports: ActionPorts, what: OwnerOnly): Promise<Ticket | ActionResult> {
  const t = await loadTicket(ticketKey, ports);
  if (isResult(t) || mayResolve(t, actor.person.analyst?.key)) return t;
  const text =
    t.state !== 'owned' && t.state !== 'approved_unassigned'
      ? `LGD ${t.lgd.id} is ${describeState(t.state)}, so ${what.movedOn}. Nothing was changed.`
      : `Only the ticket's owner${t.owner?.title ? ` (${t.owner.title})` : ''} ${what.ownerOnly}. Nothing was changed.`;
  return { kind: 'card', card: await viewFor(t, actor, ports, { kind: 'warning', text }), outcome: 'not_allowed', ticket: t };
}
