import { listCard, type ListRow } from '../cards/list-card.js';
import type { ChatCommand } from './chat-command.js';

/** `areas`: the areas the Project form offers, and who is told about each one's Project work. */
export const areasList: ChatCommand = {
  name: 'areas',
  usage: 'areas',
  description: 'The areas and who is told about their Project work.',
  pattern: /^areas$/i,
  async handle(_m, _actor, _place, ports) {
    const areas = await ports.areas.list();
    const rows: ListRow[] = areas.map((a) => ({ title: a.area, facts: [{ title: 'Told', value: a.contacts.join(', ') || 'nobody' }] }));
    return {
      card: listCard({
        title: 'Areas',
        subtitle: 'When a ticket is decided as Project work, its area\'s contacts (Programme Delivery Manager / Digital Services Architect) are told.',
        rows,
        empty: 'No areas yet. Project still works: the form asks whom to tell.',
        footer: 'A lead can say "area set <name> contacts <e-mails>" or "area remove <name>".',
      }),
    };
  },
};
