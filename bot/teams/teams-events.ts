import type { Logger } from '../logger.js';
import type { DocCollection } from '../store/doc-collection.js';
import type { AuditLog } from '../store/audit-log.js';
import type { EventLog, StoredEvent } from '../store/event-log.js';
import type { TicketRepository } from '../store/ticket-repository.js';
import type { Ticket } from '../domain/ticket.js';
import { describeState } from '../domain/commands.js';
import { messageCard } from './cards/message-card.js';
import type { CardPoster } from './card-poster.js';
import type { ProactiveSender } from './teams-ports.js';

interface CursorDoc {
  _id: string;
  seq: number;
}

export interface TeamsEventDeps {
  events: EventLog;
  cursor: DocCollection<CursorDoc>;
  tickets: TicketRepository;
  poster: CardPoster;
  sender: ProactiveSender;
  audit: AuditLog;
  link: (t: Ticket) => string;
  logger: Logger;
}

/**
 * Acts on what the worker saw happen: brings cards up to date, tells a person when LGD refused
 * what they asked, and records decisions made straight in LGD in the audit trail. Reads the
 * durable event log after its own stored cursor, so a restart misses nothing.
 */
export class TeamsEventProcessor {
  constructor(private readonly d: TeamsEventDeps) {}

  async processNew(): Promise<number> {
    const cur = (await this.d.cursor.findOne({ _id: 'teams' })) ?? { _id: 'teams', seq: 0 };
    const batch = await this.d.events.after(cur.seq, 500);
    if (batch.length === 0) {
      await this.d.poster.reconcile();
      return 0;
    }
    const touched = new Set<string>();
    for (const e of batch) {
      touched.add(e.ticketKey);
      try {
        await this.handle(e);
      } catch (err) {
        this.d.logger.warn({ err, event: e._id }, 'could not act on an event; moving on (cards are reconciled anyway)');
      }
    }
    await this.d.poster.reconcile([...touched]);
    await this.d.poster.reconcile();
    await this.d.cursor.replaceOne({ _id: 'teams' }, { seq: batch.at(-1)!._id }, { upsert: true });
    return batch.length;
  }

  private async handle(e: StoredEvent): Promise<void> {
    if (e.kind === 'write_refused') {
      const t = await this.d.tickets.get(e.ticketKey);
      const user = e.requestedBy;
      if (!user.aadObjectId || !t) return;
      await this.d.sender.sendToPerson(
        { aadObjectId: user.aadObjectId, teamsUserId: user.teamsUserId ?? '' },
        {
          card: messageCard({
            title: `LGD refused your change to LGD ${t.lgd.id}`,
            text: `LGD said: "${e.message}". The ticket shows what LGD holds now (${describeState(t.state)}).`,
            kind: 'error',
            actions: [{ title: `Open LGD ${t.lgd.id}`, url: this.d.link(t) }],
          }),
        },
      );
      return;
    }
    if (e.kind === 'state_changed' && e.source === 'lgd') {
      const t = await this.d.tickets.get(e.ticketKey);
      const decided = (e.to === 'approved_unassigned' || e.to === 'project') && t?.decision?.source === 'lgd';
      await this.d.audit.record({
        actor: { name: decided ? (t?.decision?.by ?? 'someone in LGD') : 'LGD', aadObjectId: null, email: null },
        action: `lgd:${e.to}`,
        ticketKey: e.ticketKey,
        ticketNumber: t?.lgd.id ?? null,
        outcome: 'done',
        source: 'lgd',
        detail: `${describeState(e.from)} → ${describeState(e.to)}`,
      });
    }
  }
}
