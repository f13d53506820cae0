import type { ChatCommand } from './chat-command.js';

/** `@bot triage here`: triage cards go to this channel from now on. */
export const triageHere: ChatCommand = {
  name: 'triage here',
  usage: 'triage here',
  description: 'In a channel of the team: post triage cards here from now on (triagers only).',
  pattern: /^triage\s+here$/i,
  async handle(_m, actor, place, ports) {
    if (place.kind !== 'channel' || !place.teamId) return { text: 'Say "triage here" in a channel of the team, mentioning me.' };
    if (!actor.canTriage) return { text: "Only today's Operations Lead or a lead developer / scrum master can move triage. Nothing was changed." };
    await ports.conversations.setOpsChannel(place.teamId, place.conversationId, actor.person.name);
    await ports.audit.record({
      actor: { name: actor.person.name, aadObjectId: actor.user.aadObjectId ?? null, email: actor.person.email },
      action: 'triage here',
      ticketKey: null,
      ticketNumber: null,
      outcome: 'done',
      source: 'teams',
      detail: place.conversationId,
    });
    ports.kick();
    return { text: `Triage cards will be posted in this channel from now on (moved by ${actor.person.name}).` };
  },
};
