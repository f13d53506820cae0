import { parseEmail } from '../../domain/email-address.js';
import { leadRemovalRefusal } from '../../domain/permissions.js';
import type { ChatCommand } from './chat-command.js';
import { recordCommand } from './record-command.js';
import { requireLead } from './require-lead.js';

const PREFIX = /^lead\s+remove\b\s*/i;

/** `lead remove <email>`: a lead removes a lead; the last lead stays, so the team is never locked out. */
export const leadRemove: ChatCommand = {
  name: 'lead remove',
  usage: 'lead remove bob@example.org',
  description: 'Stop someone being a lead; the last lead cannot be removed (leads only).',
  pattern: /^lead\s+remove\b/i,
  async handle(m, actor, _place, ports) {
    const refused = await requireLead(ports, actor, 'lead remove', 'remove leads');
    if (refused) return refused;
    const email = parseEmail(m.input.replace(PREFIX, ''));
    if (!email.ok) {
      await recordCommand(ports, actor, 'lead remove', 'invalid', m.input);
      return { text: `${email.message} Say "lead remove <e-mail>". Nothing was changed.` };
    }
    const why = leadRemovalRefusal(await ports.leads.emails(), email.value);
    // The store repeats the last-lead rule atomically, in case two leads remove each other at once.
    const outcome = why ? null : await ports.leads.remove(email.value);
    if (outcome !== 'removed') {
      const reason = why ?? leadRemovalRefusal(await ports.leads.emails(), email.value) ?? `${email.value} could not be removed.`;
      await recordCommand(ports, actor, 'lead remove', 'refused', reason);
      return { text: `${reason} Nothing was changed.` };
    }
    await recordCommand(ports, actor, 'lead remove', 'done', email.value);
    ports.kick();
    return { text: `${email.value} is no longer a lead.` };
  },
};
