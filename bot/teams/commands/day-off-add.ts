import { dayOffRefusal, parseDayOff } from '../../domain/day-off.js';
import { withWeekday } from '../../domain/iso-date.js';
import type { ChatCommand } from './chat-command.js';
import { recordCommand } from './record-command.js';
import { requireLead } from './require-lead.js';

const PREFIX = /^day\s+off\b\s*/i;
const USAGE = 'Say "day off <date> <name>", e.g. "day off 2026-12-24 Christmas Eve".';

/** `day off <date> <name>`: a lead adds a day the team does not work (or renames one): it stops counting as a working day. */
export const dayOffAdd: ChatCommand = {
  name: 'day off',
  usage: 'day off 2026-12-24 Christmas Eve',
  description: 'Add a day the team does not work, besides weekends and bank holidays (leads only).',
  pattern: /^day\s+off\b/i,
  async handle(m, actor, _place, ports) {
    const refused = await requireLead(ports, actor, 'day off', 'change the days off');
    if (refused) return refused;
    const parsed = parseDayOff(m.input.replace(PREFIX, ''));
    if (!parsed.ok) {
      await recordCommand(ports, actor, 'day off', 'invalid', m.input);
      return { text: `${parsed.message} ${USAGE} Nothing was changed.` };
    }
    const calendar = await ports.calendar.current();
    const { date, name } = parsed.value;
    const problem = dayOffRefusal(date, calendar.todayIn(ports.now()), calendar);
    if (problem) {
      await recordCommand(ports, actor, 'day off', 'refused', `${date} ${name}: ${problem}`);
      return { text: `${problem} Nothing was changed.` };
    }
    const { added } = await ports.daysOff.set(date, name, actor.person.name);
    await recordCommand(ports, actor, 'day off', 'done', `${date} ${name}${added ? '' : ' (renamed)'}`);
    return { text: `${withWeekday(date)} is ${added ? 'now' : 'still'} a day off: ${name}. It does not count as a working day.` };
  },
};
