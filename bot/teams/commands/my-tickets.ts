import type { Ticket } from '../../domain/ticket.js';
import { OPEN_STATUSES } from '../../domain/outbox.js';
import { listCard, type ListRow } from '../cards/list-card.js';
import { messageCard } from '../cards/message-card.js';
import { describeAge, formatTeamTimeShort } from '../cards/team-time.js';
import { todayIn } from '../rota.js';
import type { Person } from '../teams-ports.js';
import type { ChatCommand } from './chat-command.js';

const DAY_MS = 86_400_000;

/** Outbox statuses that count as a user update: LGD has it, or it is on its way. */
const UPDATE_STATUSES: readonly string[] = ['delivered', ...OPEN_STATUSES];

/** When the ticket's raise user last heard from the team: a delivered or queued end-user update, or an LGD note they were notified of. */
export function lastUserUpdate(t: Ticket): Date | null {
  const times = [
    ...t.outbox.filter((e) => e.write.kind === 'end_user_update' && UPDATE_STATUSES.includes(e.status)).map((e) => e.requestedAt),
    ...t.notes.filter((n) => n.notifyRaiseUser).map((n) => n.createdAt),
  ];
  return times.reduce<Date | null>((latest, d) => (latest === null || d > latest ? d : latest), null);
}

/** "today 10:32", "yesterday", "3 days ago" (calendar days in the team's zone), or "never". */
export function describeLastUpdate(at: Date | null, now: Date, timeZone: string): string {
  if (!at) return 'never';
  const days = Math.round((Date.parse(todayIn(timeZone, now)) - Date.parse(todayIn(timeZone, at))) / DAY_MS);
  if (days <= 0) return `today ${formatTeamTimeShort(at, now, timeZone)}`;
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
    const owned = await ports.tickets.ownedBy(analyst.key);
    const rows: ListRow[] = owned.map((t) => {
      const last = lastUserUpdate(t);
      const when = describeLastUpdate(last, now, ports.timeZone);
      const today = last !== null && todayIn(ports.timeZone, last) === todayIn(ports.timeZone, now);
      return {
        title: `LGD ${t.lgd.id} · ${t.lgd.title}`,
        subtitle: `Owned · ${t.lgd.status} · raised ${describeAge(t.lgd.createdAt, now)}`,
        facts: [{ title: 'Last user update', value: today ? when : `${when} · ⚠ not updated today` }],
        url: ports.link(t),
      };
    });
    const footer =
      owned.length > ports.ownedLimit
        ? `You own ${owned.length} tickets: the guideline is at most ${ports.ownedLimit} at a time. Speak to the Operations Lead if you have too many to manage.`
        : undefined;
    return {
      card: listCard({
        title: 'My tickets',
        subtitle: `Owned by ${analyst.title} in LGD. Update each user at least once a day.`,
        rows,
        empty: 'You own no tickets. Say "queue" to see approved tickets waiting for an owner.',
        footer,
      }),
    };
  },
};
