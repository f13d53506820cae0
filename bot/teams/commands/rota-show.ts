import { addDays, withWeekday } from '../../domain/iso-date.js';
import type { TeamCalendar } from '../../domain/calendar.js';
import { messageCard } from '../cards/message-card.js';
import type { RotaDay } from '../teams-ports.js';
import type { ChatCommand, CommandPorts } from './chat-command.js';

const NOBODY = 'nobody yet — a lead can set it with `rota set …`';

/** "Fri 2026-12-25 (Christmas Day)": a day with its weekday, and its holiday's name when it has one. */
function dayTitle(date: string, calendar: TeamCalendar): string {
  const holiday = calendar.holidayName(date);
  return holiday ? `${withWeekday(date)} (${holiday})` : withWeekday(date);
}

/** The lead of a rota day by name (the rota's, else the directory's) and e-mail. */
async function leadOf(day: RotaDay | null, ports: CommandPorts): Promise<string> {
  const lead = day?.lead;
  if (!lead) return NOBODY;
  const name = lead.name ?? (await ports.people.byEmails([lead.email]))[0]?.name ?? null;
  return name ? `${name} (${lead.email})` : lead.email;
}

/** `rota`: today's and the next working day's Operations Lead, and the holidays in between. */
export const rotaShow: ChatCommand = {
  name: 'rota',
  usage: 'rota',
  description: "Who is the Operations Lead today and on the next working day.",
  pattern: /^rota$/i,
  async handle(_m, _actor, _place, ports) {
    const calendar = await ports.calendar.current();
    const today = calendar.todayIn(ports.now());
    const next = calendar.nextWorkingDay(today);
    const [todayDay, nextDay] = await Promise.all([ports.rota.leadOn(today), ports.rota.leadOn(next)]);
    const between = calendar.daysNotWorked(addDays(today, 1), addDays(next, -1));
    return {
      card: messageCard({
        title: 'Operations Lead rota',
        text: "The Operations Lead triages the day's tickets; lead developers and scrum masters can triage any day.",
        facts: [
          { title: `Today, ${dayTitle(today, calendar)}`, value: await leadOf(todayDay, ports) },
          ...(between.length > 0 ? [{ title: 'Not working days before then', value: between.map((d) => `${withWeekday(d.date)} ${d.name}`).join('; ') }] : []),
          { title: `Next working day, ${dayTitle(next, calendar)}`, value: await leadOf(nextDay, ports) },
        ],
      }),
    };
  },
};
