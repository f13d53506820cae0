import { parseAreaName } from '../../domain/area-name.js';
import type { ChatCommand } from './chat-command.js';
import { recordCommand } from './record-command.js';
import { requireLead } from './require-lead.js';

const PREFIX = /^area\s+remove\b\s*/i;

/** `area remove <name>`: a lead removes an area (Project decisions already made keep their contacts). */
export const areaRemove: ChatCommand = {
  name: 'area remove',
  usage: 'area remove Adult Social Care',
  description: 'Remove an area from the Project form (leads only).',
  pattern: /^area\s+remove\b/i,
  async handle(m, actor, _place, ports) {
    const refused = await requireLead(ports, actor, 'area remove', 'change the areas');
    if (refused) return refused;
    const name = parseAreaName(m.input.replace(PREFIX, ''));
    if (!name.ok) {
      await recordCommand(ports, actor, 'area remove', 'invalid', m.input);
      return { text: `${name.message} Say "area remove <name>". Nothing was changed.` };
    }
    const removed = await ports.areas.remove(name.value);
    if (!removed) {
      await recordCommand(ports, actor, 'area remove', 'refused', `no area ${name.value}`);
      return { text: `There is no area called "${name.value}"; say "areas" to see them. Nothing was changed.` };
    }
    await recordCommand(ports, actor, 'area remove', 'done', `${removed.area} (contacts were ${removed.contacts.join(', ') || 'none'})`);
    return { text: `Area ${removed.area} removed.` };
  },
};
