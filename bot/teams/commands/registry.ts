import { areaRemove } from './area-remove.js';
import { areaSet } from './area-set.js';
import { areasList } from './areas-list.js';
import { backlogList } from './backlog-list.js';
import { dayOffAdd } from './day-off-add.js';
import { dayOffRemove } from './day-off-remove.js';
import { daysOffList } from './days-off-list.js';
import type { ChatCommand } from './chat-command.js';
import { help, helpEntries } from './help.js';
import { leadAdd } from './lead-add.js';
import { leadRemove } from './lead-remove.js';
import { leadsList } from './leads-list.js';
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
  leadsList,
  leadAdd,
  leadRemove,
  areasList,
  areaSet,
  areaRemove,
  daysOffList,
  dayOffRemove,
  dayOffAdd,
  help,
];

helpEntries.splice(0, helpEntries.length, ...CHAT_COMMANDS.map((c) => ({ command: c.usage, description: c.description })));
