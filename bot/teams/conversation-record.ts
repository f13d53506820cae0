import { TurnContext, type Activity } from 'botbuilder';
import { normaliseConversationId } from '../store/conversation-repository.js';
import type { ConversationRecord } from './teams-ports.js';

/** The record the bot keeps for the conversation an incoming activity belongs to. */
export function conversationRecordFrom(activity: Partial<Activity>): Omit<ConversationRecord, 'updatedAt'> {
  const conversation = activity.conversation;
  if (!conversation?.id) throw new TypeError('activity.conversation.id is required');
  const id = normaliseConversationId(conversation.id);
  const channelData = (activity.channelData ?? {}) as { team?: { id?: string }; tenant?: { id?: string } };
  const type = conversation.conversationType;
  const kind: ConversationRecord['kind'] = type === 'channel' ? 'channel' : type === 'groupChat' ? 'groupChat' : 'personal';
  const reference = TurnContext.getConversationReference(activity);
  return {
    _id: id,
    kind,
    tenantId: conversation.tenantId ?? channelData.tenant?.id ?? null,
    teamId: channelData.team?.id ?? null,
    userAadObjectId: kind === 'personal' ? (activity.from?.aadObjectId ?? null) : null,
    userTeamsId: kind === 'personal' ? (activity.from?.id ?? null) : null,
    reference: { ...reference, conversation: { ...conversation, id } },
  };
}
