import { parseDayOffDate } from '../../domain/day-off.js';
import { withWeekday } from '../../domain/iso-date.js';
import type { ChatCommand } from './chat-command.js';
import { recordCommand } from './record-command.js';
import { requireLead } from './require-lead.js';

const PREFIX = /^day\s+off\s+remove\b\s*/i;

/** `day off remove <date>`: a lead takes a day off back: it is a working day again. */
export const dayOffRemove: ChatCommand = {
  name: 'day off remove',
  usage: 'day off remove 2026-12-24',
  description: 'Make a day off a working day again (leads only).',
  pattern: /^day\s+off\s+remove\b/i,
  async handle(m, actor, _place, ports) {
    const refused = await requireLead(ports, actor, 'day off remove', 'change the days off');
    if (refused) return refused;
    const date = parseDayOffDate(m.input.replace(PREFIX, ''));
    if (!date.ok) {
      await recordCommand(ports, actor, 'day off remove', 'invalid', m.input);
      return { text: `${date.message} Say "day off remove <date>". Nothing was changed.` };
    }
    const removed = await ports.daysOff.remove(date.value);
    if (!removed) {
      await recordCommand(ports, actor, 'day off remove', 'refused', `no day off on ${date.value}`);
      return { text: `${withWeekday(date.value)} is not one of the team's days off; say "days off" to see them. Nothing was changed.` };
    }
    await recordCommand(ports, actor, 'day off remove', 'done', `${removed.date} ${removed.name}`);
    return { text: `${withWeekday(removed.date)} (${removed.name}) is no longer a day off.` };
  },
};
