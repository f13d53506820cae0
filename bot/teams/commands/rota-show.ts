import type { PersonRef, RotaDayView } from '../../../tab/src/api/contract.js';
import { addDays, withWeekday } from '../../domain/iso-date.js';
import type { TeamCalendar } from '../../domain/calendar.js';
import { RotaEditor } from '../../rota/rota-editor.js';
import { adaptiveCard, factSet, text } from '../cards/card-elements.js';
import type { ChatCommand } from './chat-command.js';

const NOBODY = 'nobody yet — a lead can set it with `rota set …`';

/** Days the week ahead shows, today included. */
const WEEK_AHEAD_DAYS = 7;

/** "Fri 2026-12-25 (Christmas Day)": a day with its weekday, and its holiday's name when it has one. */
function dayTitle(date: string, calendar: TeamCalendar): string {
  const holiday = calendar.holidayName(date);
  return holiday ? `${withWeekday(date)} (${holiday})` : withWeekday(date);
}

/** "Ann Lead (ann@example.org)": someone on the rota by name and e-mail. */
const named = (p: PersonRef): string => (p.name && p.name !== p.email ? `${p.name} (${p.email ?? ''})` : (p.email ?? p.name));

/** What the week ahead says of one day: who leads and who is on support, or why nobody works. */
function dayLine(day: RotaDayView): string {
  if (day.off) return day.off.kind === 'weekend' ? 'weekend' : `${day.off.name} — ${day.off.kind === 'bank_holiday' ? 'bank holiday' : 'team day off'}, not a working day`;
  const lead = day.lead ? named(day.lead) : 'nobody (a gap)';
  const support = day.support === null ? 'not set (support rota not in use)' : day.support.length === 0 ? 'nobody' : day.support.map((p) => p.name || p.email).join(', ');
  return `Lead: ${lead} · Support: ${support}`;
}

/** `rota`: today's and the next working day's Operations Lead, the holidays in between, and the week ahead with who is on support. */
export const rotaShow: ChatCommand = {
  name: 'rota',
  usage: 'rota',
  description: 'Who is the Operations Lead today and on the next working day, and the week ahead with who is on support.',
  pattern: /^rota$/i,
  async handle(_m, _actor, _place, ports) {
    const calendar = await ports.calendar.current();
    const today = calendar.todayIn(ports.now());
    const editor = new RotaEditor({ rota: ports.rota, people: ports.people, leads: ports.leads, calendar: { current: () => Promise.resolve(calendar) }, now: ports.now });
    const view = await editor.view(today, addDays(today, WEEK_AHEAD_DAYS - 1));
    const next = view.nextWorkingDay;
    const between = calendar.daysNotWorked(addDays(today, 1), addDays(next.date, -1));
    const leadOf = (day: RotaDayView): string => (day.lead ? named(day.lead) : NOBODY);
    return {
      card: adaptiveCard([
        text('Operations Lead rota', { size: 'medium', weight: 'bolder' }),
        text("The Operations Lead triages the day's tickets; lead developers and scrum masters can triage any day.", { spacing: 'small' }),
        factSet([
          { title: `Today, ${dayTitle(today, calendar)}`, value: leadOf(view.today) },
          ...(between.length > 0 ? [{ title: 'Not working days before then', value: between.map((d) => `${withWeekday(d.date)} ${d.name}`).join('; ') }] : []),
          { title: `Next working day, ${dayTitle(next.date, calendar)}`, value: leadOf(next) },
        ]),
        text('The week ahead', { weight: 'bolder', spacing: 'medium' }),
        factSet(view.days.map((d) => ({ title: dayTitle(d.date, calendar), value: dayLine(d) }))),
      ]),
    };
  },
};
