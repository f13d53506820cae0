import { link as mdLink, md, mention } from '../cards/markdown.js';
import { isResult, loadTicket, ticketActionData, viewFor, type ActionHandler } from './action-handler.js';

/** A Teams deep link to a channel message's thread. */
export function threadLink(channelId: string, messageId: string, tenantId: string | null): string {
  const q = new URLSearchParams({ parentMessageId: messageId, ...(tenantId ? { tenantId } : {}) });
  return `https://teams.microsoft.com/l/message/${encodeURIComponent(channelId)}/${encodeURIComponent(messageId)}?${q.toString()}`;
}

/**
 * discuss: the seed encourages talking to the team about how to fix a ticket. Opens the reply
 * thread of the ticket's card in the ops channel, mentioning the owner, or returns to it.
 */
export const discuss: ActionHandler = {
  verb: 'discuss',
  schema: ticketActionData,
  writes: false,
  async handle(data, actor, ports) {
    const t = await loadTicket(data.ticketKey, ports);
    if (isResult(t)) return t;
    const card = await ports.poster.ensureOpsCard(t);
    if (!card) {
      return { kind: 'card', card: await viewFor(t, actor, ports, { kind: 'warning', text: 'The bot has no ops channel yet: add it to the team first.' }), outcome: 'refused', ticket: t };
    }
    const conv = await ports.conversations.get(card.conversationId);
    const link = threadLink(card.conversationId, card.activityId, conv?.tenantId ?? null);
    if (!card.discussStartedAt) {
      const owner = t.owner ? await ports.people.byAnalystKey(t.owner.key) : null;
      const who = owner ? mention(owner.name) : (t.owner?.title ?? 'Team');
      await ports.sender.replyInThread(
        card.conversationId,
        card.activityId,
        md`${who}, ${actor.person.name} would like to talk about LGD ${t.lgd.id} (${t.lgd.title}). Ideas on how to fix it welcome here.`,
        owner ? [{ id: owner.teamsUserId, name: owner.name }] : [],
      );
      await ports.cards.startDiscussion(card._id, ports.now());
    }
    return {
      kind: 'card',
      card: await viewFor(t, actor, ports, { kind: 'info', text: md`The discussion is in the ticket's thread in the ops channel: ${mdLink('go to the discussion', link)}.` }),
      outcome: 'done',
      ticket: t,
    };
  },
};
