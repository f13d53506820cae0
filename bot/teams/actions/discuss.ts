import { link as mdLink, md } from '../cards/markdown.js';
import { isResult, loadTicket, ticketActionData, viewFor, type ActionHandler } from './action-handler.js';

/** A Teams deep link to a channel message's thread. */
export function threadLink(channelId: string, messageId: string, tenantId: string | null): string {
  const q = new URLSearchParams({ parentMessageId: messageId, ...(tenantId ? { tenantId } : {}) });
  return `https://teams.microsoft.com/l/message/${encodeURIComponent(channelId)}/${encodeURIComponent(messageId)}?${q.toString()}`;
}

/**
 * discuss: the seed encourages talking to the team about how to fix a ticket. Opens the reply
 * thread of the ticket's card in the ops channel, mentioning the owner, or returns to it. The reply
 * (and the card, for a ticket that has none there yet) is a card job the worker does: the answer
 * comes from the store alone.
 */
export const discuss: ActionHandler = {
  verb: 'discuss',
  schema: ticketActionData,
  writes: false,
  async handle(data, actor, ports) {
    const t = await loadTicket(data.ticketKey, ports);
    if (isResult(t)) return t;
    if (!(await ports.conversations.opsTeam())) {
      return { kind: 'card', card: await viewFor(t, actor, ports, { kind: 'warning', text: 'The bot has no ops channel yet: add it to the team first.' }), outcome: 'refused', ticket: t };
    }
    const card = await ports.cards.opsCardOf(t._id);
    if (!card?.discussStartedAt) {
      await ports.commands.record(t, { jobs: [{ _id: `discuss:${t._id}`, kind: 'discuss', ticketKey: t._id, requestedBy: { name: actor.person.name } }] });
    }
    const conv = card ? await ports.conversations.get(card.conversationId) : null;
    const text = card
      ? md`The discussion is in the ticket's thread in the ops channel: ${mdLink('go to the discussion', threadLink(card.conversationId, card.activityId, conv?.tenantId ?? null))}.`
      : md`The discussion opens in the ticket's thread in the ops channel in a moment.`;
    return { kind: 'card', card: await viewFor(t, actor, ports, { kind: 'info', text }), outcome: 'done', ticket: t };
  },
};
