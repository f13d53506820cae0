import { messageCard } from '../cards/message-card.js';
import { nextWorkingDay, todayIn } from '../rota.js';
import type { RotaDay } from '../teams-ports.js';
import type { ChatCommand, CommandPorts } from './chat-command.js';

const NOBODY = 'nobody yet — a lead can set it with `rota set …`';

/** "Fri 2026-11-27": an ISO date with its weekday. */
function withWeekday(date: string): string {
  const day = new Intl.DateTimeFormat('en-GB', { weekday: 'short', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
  return `${day} ${date}`;
}

/** The lead of a rota day by name (the rota's, else the directory's) and e-mail. */
async function leadOf(day: RotaDay | null, ports: CommandPorts): Promise<string> {
  if (!day) return NOBODY;
  const name = day.lead.name ?? (await ports.people.byEmails([day.lead.email]))[0]?.name ?? null;
  return name ? `${name} (${day.lead.email})` : day.lead.email;
}

/** `rota`: today's and the next working day's Operations Lead. */
export const rotaShow: ChatCommand = {
  name: 'rota',
  usage: 'rota',
  description: "Who is the Operations Lead today and on the next working day.",
  pattern: /^rota$/i,
  async handle(_m, _actor, _place, ports) {
    const today = todayIn(ports.timeZone, ports.now());
    const next = nextWorkingDay(today);
    const [todayDay, nextDay] = await Promise.all([ports.rota.leadOn(today), ports.rota.leadOn(next)]);
    return {
      card: messageCard({
        title: 'Operations Lead rota',
        text: "The Operations Lead triages the day's tickets; lead developers and scrum masters can triage any day.",
        facts: [
          { title: `Today, ${withWeekday(today)}`, value: await leadOf(todayDay, ports) },
          { title: `Next working day, ${withWeekday(next)}`, value: await leadOf(nextDay, ports) },
        ],
      }),
    };
  },
};
