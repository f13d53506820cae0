import { todayIn } from '../../domain/iso-date.js';
import { parseRotaCommand } from '../../domain/rota-command.js';
import type { ChatCommand } from './chat-command.js';

/** `rota set <date or range> lead <email>`: a triager sets the Operations Lead rota. */
export const rotaSet: ChatCommand = {
  name: 'rota set',
  usage: 'rota set 2026-12-01..2026-12-05 lead ann@example.org',
  description: 'Set the Operations Lead for a day or a range (triagers only).',
  pattern: /^rota\s+set\b.*$/i,
  async handle(m, actor, _place, ports) {
    if (!actor.canTriage) return { text: "Only today's Operations Lead or a lead developer / scrum master can change the rota. Nothing was changed." };
    const today = todayIn(ports.timeZone, ports.now());
    const parsed = parseRotaCommand(m[0], today);
    const outcome = parsed.ok ? 'done' : 'invalid';
    await ports.audit.record({
      actor: { name: actor.person.name, aadObjectId: actor.user.aadObjectId ?? null, email: actor.person.email },
      action: 'rota set',
      ticketKey: null,
      ticketNumber: null,
      outcome,
      source: 'teams',
      detail: m[0].slice(0, 200),
    });
    if (!parsed.ok) return { text: parsed.message };
    const known = (await ports.people.byEmails([parsed.lead]))[0];
    const days = await ports.rota.set(parsed.from, parsed.to, { email: parsed.lead, name: known?.name ?? null }, actor.person.name);
    ports.kick();
    const span = parsed.from === parsed.to ? parsed.from : `${parsed.from} to ${parsed.to}`;
    return { text: `Rota: ${known?.name ?? parsed.lead} is the Operations Lead for ${span} (${days.length} day${days.length === 1 ? '' : 's'}).` };
  },
};
