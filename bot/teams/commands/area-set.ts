import { parseAreaName } from '../../domain/area-name.js';
import { parseEmails } from '../../domain/email-address.js';
import type { ChatCommand } from './chat-command.js';
import { recordCommand } from './record-command.js';
import { requireLead } from './require-lead.js';

const PREFIX = /^area\s+set\b\s*/i;
const USAGE = 'Say "area set <name> contacts <e-mails>", e.g. "area set Adult Social Care contacts pdm@example.org, dsa@example.org".';

/** Splits "<name> contacts <e-mails>" at its last " contacts " (mentions removed, spaces single): no backtracking. */
function split(rest: string): { name: string; contacts: string } | null {
  const at = rest.toLowerCase().lastIndexOf(' contacts ');
  return at < 0 ? null : { name: rest.slice(0, at), contacts: rest.slice(at + ' contacts '.length) };
}

/** `area set <name> contacts <e-mails>`: a lead adds an area or replaces its contacts (told about its Project work). */
export const areaSet: ChatCommand = {
  name: 'area set',
  usage: 'area set Adult Social Care contacts pdm@example.org, dsa@example.org',
  description: "Add an area, or replace its contacts: the people told about its Project work (leads only).",
  pattern: /^area\s+set\b/i,
  async handle(m, actor, _place, ports) {
    const refused = await requireLead(ports, actor, 'area set', 'change the areas');
    if (refused) return refused;
    const parts = split(m.input.replace(PREFIX, ''));
    const name = parts ? parseAreaName(parts.name) : null;
    const contacts = parts ? parseEmails(parts.contacts) : null;
    const problem = !parts ? USAGE : !name?.ok ? `${name?.message} ${USAGE}` : !contacts?.ok ? `${contacts?.message} ${USAGE}` : null;
    if (problem || !name?.ok || !contacts?.ok) {
      await recordCommand(ports, actor, 'area set', 'invalid', m.input);
      return { text: `${problem} Nothing was changed.` };
    }
    const area = await ports.areas.set(name.value, contacts.value);
    await recordCommand(ports, actor, 'area set', 'done', `${area.area}: ${area.contacts.join(', ')}${area.created ? ' (new area)' : ''}`);
    return { text: `${area.created ? 'New area' : 'Area'} ${area.area}: ${area.contacts.join(', ')} ${area.contacts.length === 1 ? 'is' : 'are'} told about its Project work.` };
  },
};
