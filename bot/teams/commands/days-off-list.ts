import { addDays, withWeekday } from '../../domain/iso-date.js';
import { listCard, type ListRow } from '../cards/list-card.js';
import type { ChatCommand } from './chat-command.js';

/** How far ahead `days off` looks, in days. */
const AHEAD_DAYS = 365;

/** `days off`: the weekdays the team does not work in the coming year: bank holidays and the team's own days off. */
export const daysOffList: ChatCommand = {
  name: 'days off',
  usage: 'days off',
  description: 'The bank holidays and team days off in the coming year: days that are not working days.',
  pattern: /^days\s+off$/i,
  async handle(_m, _actor, _place, ports) {
    const calendar = await ports.calendar.current();
    const today = calendar.todayIn(ports.now());
    const days = calendar.daysNotWorked(today, addDays(today, AHEAD_DAYS));
    const rows: ListRow[] = days.map((d) => ({ title: `${withWeekday(d.date)} · ${d.name}`, subtitle: d.kind === 'bank_holiday' ? 'Bank holiday' : 'Team day off' }));
    return {
      card: listCard({
        title: 'Days off',
        subtitle: 'Weekdays that are not working days: the next working day, and days counted for the guidelines, skip them.',
        rows,
        empty: 'No bank holidays or days off in the coming year.',
        footer: 'A lead can say "day off <date> <name>" or "day off remove <date>".',
      }),
    };
  },
};
