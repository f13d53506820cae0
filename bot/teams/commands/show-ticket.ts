import { viewFor } from '../actions/action-handler.js';
import type { ChatCommand } from './chat-command.js';

/** `ticket 123`: the ticket's card, as the person sees it, kept up to date in this chat. */
export const showTicket: ChatCommand = {
  name: 'ticket',
  usage: 'ticket 40123',
  description: "Show a team ticket's card here (with your buttons), kept up to date.",
  // "ticket" or "lgd" and the rest of the text, whatever it is: the handler reads the number (linear, and "ticket abc" gets an answer).
  pattern: /^(?:ticket|lgd)(?=[\s#]|$)(.*)$/is,
  async handle(m, actor, _place, ports) {
    const number = (m[1] ?? '').trim().replace(/^#\s*/, '');
    if (!/^\d{1,9}$/.test(number)) return { text: 'Say which ticket by its LGD number, for example "ticket 40123".' };
    const t = await ports.tickets.getByNumber(Number(number));
    if (!t) return { text: `LGD ${number} is not one of the team's tickets (or has not been synced yet).` };
    return { card: await viewFor(t, actor, ports), track: { ticketKey: t._id } };
  },
};
