import { listCard, type ListRow } from '../cards/list-card.js';
import { formatTeamTime } from '../cards/team-time.js';
import type { ChatCommand } from './chat-command.js';

/** `leads`: who the leads are, and who added them. */
export const leadsList: ChatCommand = {
  name: 'leads',
  usage: 'leads',
  description: 'The leads: they triage any day and manage leads and areas.',
  pattern: /^leads$/i,
  async handle(_m, _actor, _place, ports) {
    const leads = await ports.leads.list();
    const people = await ports.people.byEmails(leads.map((l) => l.email));
    const now = ports.now();
    const rows: ListRow[] = leads.map((l) => {
      const p = people.find((x) => x.email === l.email || x.upn === l.email);
      return {
        title: p?.name ? `${p.name} (${l.email})` : l.email,
        facts: [{ title: 'Added', value: `${formatTeamTime(l.addedAt, now, ports.timeZone)} by ${l.addedBy}` }],
      };
    });
    return {
      card: listCard({
        title: 'Leads',
        subtitle: 'Lead developers and scrum masters: they triage any day, set the rota and manage leads and areas.',
        rows,
        empty: 'There are no leads yet: whoever next installs the app in the team becomes the first.',
        footer: 'A lead can say "lead add <e-mail>" or "lead remove <e-mail>".',
      }),
    };
  },
};
