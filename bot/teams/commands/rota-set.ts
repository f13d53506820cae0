import { todayIn } from '../../domain/iso-date.js';
import { parseRotaCommand } from '../../domain/rota-command.js';
import { RotaEditor } from '../../rota/rota-editor.js';
import { rotaSummary } from '../../rota/rota-summary.js';
import type { ChatCommand } from './chat-command.js';

/** `rota set <date or range> lead <email>` / `… support <emails>`: a triager sets the Operations Lead or the developers on support. */
export const rotaSet: ChatCommand = {
  name: 'rota set',
  usage: 'rota set 2026-12-01..2026-12-05 lead ann@example.org',
  description: 'Set the Operations Lead ("lead ann@example.org") or the developers on support ("support bob@example.org, cy@example.org") for a day, a range, this week or next week (triagers only).',
  pattern: /^rota\s+set\b.*$/i,
  async handle(m, actor, _place, ports) {
    if (!actor.canTriage) return { text: "Only today's Operations Lead or a lead developer / scrum master can change the rota. Nothing was changed." };
    const today = todayIn(ports.timeZone, ports.now());
    const parsed = parseRotaCommand(m[0], today);
    const editor = new RotaEditor({ rota: ports.rota, people: ports.people, leads: ports.leads, calendar: ports.calendar, now: ports.now });
    const outcome = parsed.ok
      ? await editor.write(
          { from: parsed.from, to: parsed.to, parts: [{ weekday: null, field: '', setting: 'lead' in parsed ? { lead: parsed.lead } : { support: parsed.support } }] },
          actor.person.name,
        )
      : null;
    await ports.audit.record({
      actor: { name: actor.person.name, aadObjectId: actor.user.aadObjectId ?? null, email: actor.person.email },
      action: 'rota set',
      ticketKey: null,
      ticketNumber: null,
      outcome: !parsed.ok ? 'invalid' : outcome?.ok ? 'done' : 'refused',
      source: 'teams',
      detail: m[0].slice(0, 200),
    });
    if (!parsed.ok) return { text: parsed.message };
    if (!outcome?.ok) return { text: outcome?.refusal.message ?? 'Nothing was changed.' };
    ports.kick();
    // Only weekends or holidays in the range: the summary says nothing was set, and why.
    if (outcome.days.length === 0) return { text: rotaSummary('Set', outcome) };
    if ('lead' in parsed) {
      const lead = outcome.days[0]?.lead;
      const name = lead?.name ?? parsed.lead;
      return { text: `Rota: ${name} is the Operations Lead. ${rotaSummary('Set', outcome)}` };
    }
    const who = outcome.days[0]?.support?.map((p) => p.name ?? p.email) ?? [];
    const list = who.length === 0 ? 'nobody is on support' : `on support: ${who.join(', ')}`;
    return { text: `Rota: ${list}. ${rotaSummary('Set', outcome)}` };
  },
};
