import type { TeamCalendar } from '../../domain/calendar.js';
import { isOverOwnedLimit, updateGuidelineText, userUpdatedToday } from '../../domain/guidelines.js';
import { daysFromTo } from '../../domain/iso-date.js';
import { lastUserUpdate } from '../../domain/ticket-times.js';
import { listCard, type ListRow } from '../cards/list-card.js';
import { messageCard } from '../cards/message-card.js';
import { describeAge, formatTeamTimeShort } from '../cards/team-time.js';
import type { Person } from '../teams-ports.js';
import type { ChatCommand } from './chat-command.js';

/** "today 10:32", "yesterday", "3 days ago" (calendar days in the team's zone), or "never". */
export function describeLastUpdate(at: Date | null, now: Date, calendar: TeamCalendar): string {
  if (!at) return 'never';
  const days = daysFromTo(calendar.todayIn(at), calendar.todayIn(now));
  if (days <= 0) return `today ${formatTeamTimeShort(at, now, calendar.timeZone)}`;
  return days === 1 ? 'yesterday' : `${days} days ago`;
}

/** The answer to someone the app cannot link to an LGD analyst (same advice as a card action gets). */
export function unmappedCard(person: Person): ReturnType<typeof messageCard> {
  const id = person.email ?? person.upn;
  return messageCard({
    title: 'You are not linked to an LGD analyst yet',
    text:
      `Your tickets are the ones LGD assigns to your analyst record, and the app could not find it${id ? ` for ${id}` : ''}. ` +
      `Ask a lead to say "@LGD Support map ${id ?? 'your e-mail'} to <your LGD login>".`,
    kind: 'warning',
  });
}

/** `my tickets` / `mine`: the tickets I own, and whether each user has heard from me today. */
export const myTickets: ChatCommand = {
  name: 'my tickets',
  usage: 'my tickets',
  description: 'The tickets you own, and when each user last heard from you (also: mine).',
  pattern: /^(my\s+tickets|mine)$/i,
  async handle(_m, actor, _place, ports) {
    const analyst = actor.person.analyst;
    if (!analyst) return { card: unmappedCard(actor.person) };
    const now = ports.now();
    const calendar = await ports.calendar.current();
    const owned = await ports.tickets.ownedBy(analyst.key);
    const rows: ListRow[] = owned.map((t) => {
      const last = lastUserUpdate(t);
      const when = describeLastUpdate(last, now, calendar);
      const today = userUpdatedToday(last, now, calendar);
      return {
        title: `LGD ${t.lgd.id} · ${t.lgd.title}`,
        subtitle: `Owned · ${t.lgd.status} · raised ${describeAge(t.lgd.createdAt, now)}`,
        facts: [{ title: 'Last user update', value: today ? when : `${when} · ⚠ not updated today` }],
        url: ports.link(t),
      };
    });
    const footer = isOverOwnedLimit(owned.length, ports.guidelines)
      ? `You own ${owned.length} tickets: the guideline is at most ${ports.guidelines.maxOwned} at a time. Speak to the Operations Lead if you have too many to manage.`
      : undefined;
    return {
      card: listCard({
        title: 'My tickets',
        subtitle: `Owned by ${analyst.title} in LGD. Update each user ${updateGuidelineText(ports.guidelines)}.`,
        rows,
        empty: 'You own no tickets. Say "queue" to see approved tickets waiting for an owner.',
        footer,
      }),
    };
  },
};
