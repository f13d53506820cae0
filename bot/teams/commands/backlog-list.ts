import { listCard, type ListRow } from '../cards/list-card.js';
import { shorten } from '../cards/card-elements.js';
import type { BacklogRequest } from '../../store/backlog-request-repository.js';
import type { ChatCommand } from './chat-command.js';

/** Requests read: the card shows the first 15 and counts the rest. */
const BACKLOG_READ = 100;

/** Longest refusal reason a row shows. */
const REASON_MAX = 200;

/** Where a backlog request stands, in words. */
export function backlogStatus(r: BacklogRequest): string {
  if (r.status === 'created') return 'in the backlog';
  if (r.status === 'pending') return 'waiting for Azure DevOps';
  return `could not be created: ${shorten(r.lastError ?? 'no reason was given', REASON_MAX)}`;
}

/** `backlog`: the tickets judged to be project work and where their backlog items stand. */
export const backlogList: ChatCommand = {
  name: 'backlog',
  usage: 'backlog',
  description: 'Project work moved to the backlog, newest first, and whether each item was made.',
  pattern: /^backlog$/i,
  async handle(_m, _actor, _place, ports) {
    const requests = await ports.backlog.list({ limit: BACKLOG_READ });
    const rows: ListRow[] = requests.map((r) => {
      const facts = [{ title: 'Status', value: backlogStatus(r) }];
      if (r.result) facts.push({ title: 'Backlog item', value: r.result.externalId });
      return { title: r.item.title, subtitle: `LGD ${r.item.ticketNumber} · ${r.item.area}`, facts, url: r.result?.url ?? undefined };
    });
    return {
      card: listCard({
        title: 'Backlog',
        subtitle: 'Tickets marked Project, newest first.',
        rows,
        empty: 'Nothing has gone to the backlog yet. Tickets a lead marks Project appear here.',
      }),
    };
  },
};
