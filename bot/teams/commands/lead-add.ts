import { parseEmail } from '../../domain/email-address.js';
import type { ChatCommand } from './chat-command.js';
import { recordCommand } from './record-command.js';
import { requireLead } from './require-lead.js';

const PREFIX = /^lead\s+add\b\s*/i;

/** `lead add <email>`: a lead makes someone else a lead (triage any day, manage leads and areas). */
export const leadAdd: ChatCommand = {
  name: 'lead add',
  usage: 'lead add bob@example.org',
  description: 'Make someone a lead: they may triage any day and manage leads and areas (leads only).',
  pattern: /^lead\s+add\b/i,
  async handle(m, actor, _place, ports) {
    const refused = await requireLead(ports, actor, 'lead add', 'add leads');
    if (refused) return refused;
    const email = parseEmail(m.input.replace(PREFIX, ''));
    if (!email.ok) {
      await recordCommand(ports, actor, 'lead add', 'invalid', m.input);
      return { text: `${email.message} Say "lead add <e-mail>". Nothing was changed.` };
    }
    const added = await ports.leads.add(email.value, actor.person.name);
    await recordCommand(ports, actor, 'lead add', added ? 'done' : 'refused', added ? email.value : `${email.value} is already a lead`);
    if (!added) return { text: `${email.value} is already a lead. Nothing was changed.` };
    // Their cards get the triage buttons: the worker refreshes the cards' user lists.
    ports.kick();
    const known = (await ports.people.byEmails([email.value]))[0];
    return { text: `${known?.name ? `${known.name} (${email.value})` : email.value} is now a lead: they may triage any day and manage leads and areas.` };
  },
};
