import { viewFor } from '../actions/action-handler.js';
import type { ChatCommand } from './chat-command.js';

/** `ticket 123`: the ticket's card, as the person sees it, kept up to date in this chat. */
export const showTicket: ChatCommand = {
  name: 'ticket',
  usage: 'ticket 40123',
  description: "Show a team ticket's card here (with your buttons), kept up to date.",
  pattern: /^(?:ticket|lgd)\s*#?\s*(\d{1,9})$/i,
  async handle(m, actor, _place, ports) {
    const t = await ports.tickets.getByNumber(Number(m[1]));
    if (!t) return { text: `LGD ${m[1]} is not one of the team's tickets (or has not been synced yet).` };
    return { card: await viewFor(t, actor, ports), track: { ticketKey: t._id } };
  },
};
