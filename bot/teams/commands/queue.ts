import type { ProcessState } from '../../domain/process-state.js';
import type { Ticket } from '../../domain/ticket.js';
import type { TicketReads } from '../actions/action-handler.js';
import { listCard, type ListRow } from '../cards/list-card.js';
import { describeAge } from '../cards/team-time.js';
import type { ChatCommand } from './chat-command.js';

/** How many of each kind the queue shows. */
export const QUEUE_OLDEST = 5;

/** Most tickets of one state read to find the oldest (the least recently updated ones, when there are more). */
const QUEUE_SCAN = 1000;

/** The `limit` tickets in `state` raised longest ago, and how many there are. */
async function oldestIn(tickets: TicketReads, state: ProcessState, limit: number): Promise<{ count: number; oldest: Ticket[] }> {
  const count = await tickets.count([state]);
  // list() is newest-updated first: skipping to its end reads the least recently updated, where the oldest are.
  const scan = await tickets.list({ states: [state], skip: Math.max(0, count - QUEUE_SCAN), limit: QUEUE_SCAN });
  const oldest = scan.sort((a, b) => a.lgd.createdAt.getTime() - b.lgd.createdAt.getTime() || a.lgd.id - b.lgd.id).slice(0, limit);
  return { count, oldest };
}

const STATE_LABEL: Partial<Record<ProcessState, string>> = {
  needs_triage: 'Needs triage',
  approved_unassigned: 'Approved — waiting for an owner',
};

/** `queue`: what waits for triage and for an owner, oldest first, and who triages today. */
export const queue: ChatCommand = {
  name: 'queue',
  usage: 'queue',
  description: 'How many tickets need triage or wait for an owner, the oldest of each, and who triages today.',
  pattern: /^queue$/i,
  async handle(_m, _actor, _place, ports) {
    const now = ports.now();
    const [triage, approved, lead] = await Promise.all([
      oldestIn(ports.tickets, 'needs_triage', QUEUE_OLDEST),
      oldestIn(ports.tickets, 'approved_unassigned', QUEUE_OLDEST),
      ports.roles.leadToday(now),
    ]);
    const triager = lead ? (lead.person?.name ?? lead.name ?? lead.email) : 'nobody is on the rota today (leads can still triage)';
    const row = (state: ProcessState) => (t: Ticket): ListRow => ({
      title: `LGD ${t.lgd.id} · ${t.lgd.title}`,
      subtitle: `${STATE_LABEL[state] ?? state} · raised ${describeAge(t.lgd.createdAt, now)}`,
      url: ports.link(t),
    });
    const summary: ListRow = {
      title: 'Waiting now',
      facts: [
        { title: 'Needs triage', value: String(triage.count) },
        { title: 'Approved, no owner', value: String(approved.count) },
        { title: 'Triage today', value: triager },
      ],
    };
    return {
      card: listCard({
        title: 'Support queue',
        rows: [summary, ...triage.oldest.map(row('needs_triage')), ...approved.oldest.map(row('approved_unassigned'))],
        empty: '',
        footer: `The oldest ${QUEUE_OLDEST} of each, by when they were raised. Approved tickets are waiting for someone to take ownership.`,
      }),
    };
  },
};
