import { backlogList } from './backlog-list.js';
import type { ChatCommand } from './chat-command.js';
import { help, helpEntries } from './help.js';
import { mapPerson } from './map-person.js';
import { myTickets } from './my-tickets.js';
import { queue } from './queue.js';
import { rotaSet } from './rota-set.js';
import { rotaShow } from './rota-show.js';
import { showTicket } from './show-ticket.js';
import { triageHere } from './triage-here.js';

/** Every chat command, in match order (specific patterns first); `help` answers anything else too. */
export const CHAT_COMMANDS: readonly ChatCommand[] = [
  triageHere,
  rotaSet,
  rotaShow,
  mapPerson,
  myTickets,
  queue,
  showTicket,
  backlogList,
  help,
];

helpEntries.splice(0, helpEntries.length, ...CHAT_COMMANDS.map((c) => ({ command: c.usage, description: c.description })));
