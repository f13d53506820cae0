import type { ChatCommand } from './chat-command.js';
import { help, helpEntries } from './help.js';
import { mapPerson } from './map-person.js';
import { rotaSet } from './rota-set.js';
import { triageHere } from './triage-here.js';

/** Every chat command, in match order; `help` answers anything else too. */
export const CHAT_COMMANDS: readonly ChatCommand[] = [triageHere, rotaSet, mapPerson, help];

helpEntries.splice(0, helpEntries.length, ...CHAT_COMMANDS.map((c) => ({ command: c.usage, description: c.description })));
