import type { Logger } from '../logger.js';
import type { EventCursor, EventCursorRepository } from '../store/event-cursor-repository.js';
import type { AuditLog } from '../store/audit-log.js';
import type { EventLog, StoredEvent } from '../store/event-log.js';
import type { TicketRepository } from '../store/ticket-repository.js';
import type { Ticket } from '../domain/ticket.js';
import { describeState } from '../domain/commands.js';
import type { CardPoster } from './card-poster.js';
import type { NoticeDeliverer } from './notice-deliverer.js';
import type { CardJobRunner } from './card-job-runner.js';

/** This reader's name in the event cursors. */
/** Events the duties record for the team's insights: not changes a card shows. */
const DUTY_RECORDS: ReadonlySet<StoredEvent['kind']> = new Set(['long_work_raised', 'long_work_agreed', 'handed_back']);

const READER = 'teams';

/** Passes one event may fail before it is given up, loudly (log and audit), so one bad event cannot stop the rest for good. */
export const EVENT_ATTEMPTS = 10;

export interface TeamsEventDeps {
  events: EventLog;
  cursors: EventCursorRepository;
  tickets: TicketRepository;
  poster: CardPoster;
  notices: NoticeDeliverer;
  /** Card work actions left to the worker (a discussion to open). */
  cardJobs?: Pick<CardJobRunner, 'runDue'>;
  audit: AuditLog;
  link: (t: Ticket) => string;
  logger: Logger;
}

/**
 * Acts on what the worker saw happen: brings cards up to date, queues telling a person when LGD
 * refused what they asked, and records decisions made straight in LGD in the audit trail; then
 * sends what is owed to people. Reads the durable event log after its own stored cursor, which
 * moves past an event only once it was acted on, so a restart or a failure loses nothing.
 */
export class TeamsEventProcessor {
  constructor(private readonly d: TeamsEventDeps) {}

  /** One pass: new events (bringing the cards up to date), then the card jobs and the notices due. Returns how many events were acted on. */
  async processNew(): Promise<number> {
    const n = await this.processEvents();
    await this.d.cardJobs?.runDue();
    await this.d.notices.deliverDue();
    return n;
  }

  private async processEvents(): Promise<number> {
    const cur = await this.d.cursors.get(READER);
    const batch = await this.d.events.after(cur.seq, 500);
    if (batch.length === 0) {
      await this.d.poster.reconcile();
      return 0;
    }
    const touched = new Set<string>();
    let seq = cur.seq;
    let failing: EventCursor['failing'];
    for (const e of batch) {
      // The duties' own records (long work raised or agreed, handed back) change nothing a ticket card shows.
      if (!DUTY_RECORDS.has(e.kind)) touched.add(e.ticketKey);
      try {
        await this.handle(e);
      } catch (err) {
        const attempts = cur.failing?.seq === e._id ? cur.failing.attempts + 1 : 1;
        if (attempts < EVENT_ATTEMPTS) {
          this.d.logger.warn({ err, event: e._id, kind: e.kind, attempts }, 'could not act on an event; it is tried again next pass, and later events wait for it');
          failing = { seq: e._id, attempts };
          break;
        }
        this.d.logger.error({ err, event: e._id, kind: e.kind, attempts }, `could not act on an event after ${attempts} passes; giving it up`);
        await this.recordGivenUp(e, attempts);
      }
      seq = e._id;
    }
    await this.d.poster.reconcile([...touched]);
    await this.d.poster.reconcile();
    await this.d.cursors.save(READER, seq, failing);
    return batch.filter((e) => e._id <= seq).length;
  }

  private async handle(e: StoredEvent): Promise<void> {
    if (e.kind === 'write_refused') return this.refused(e);
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

  /** LGD refused a write: the person who asked is owed LGD's words (queued, so a failed send is retried). */
  private async refused(e: Extract<StoredEvent, { kind: 'write_refused' }>): Promise<void> {
    const t = await this.d.tickets.get(e.ticketKey);
    if (t?.outbox.find((x) => x.id === e.entryId)?.refusalNotified) return;
    const user = e.requestedBy;
    const about = `LGD refused ${user.name}'s change to ${t ? `LGD ${t.lgd.id}` : 'a ticket'}`;
    if (!user.teamsUserId && !user.aadObjectId) {
      this.d.logger.warn({ event: e._id, entry: e.entryId }, `${about}, and nothing says who they are in Teams: they cannot be told`);
      await this.d.audit.record({
        actor: { name: user.name, aadObjectId: null, email: null },
        action: 'notify',
        ticketKey: e.ticketKey,
        ticketNumber: t?.lgd.id ?? null,
        outcome: 'unreachable',
        source: 'teams',
        detail: `${about}: no Teams identity to tell them`,
      });
      return;
    }
    await this.d.notices.enqueue({
      _id: `refusal:${e.entryId}`,
      to: { name: user.name, aadObjectId: user.aadObjectId, teamsUserId: user.teamsUserId ?? '' },
      about,
      ticketKey: e.ticketKey,
      ticketNumber: t?.lgd.id ?? null,
      refusal: { ticketKey: e.ticketKey, entryId: e.entryId },
      message: {
        title: t ? `LGD refused your change to LGD ${t.lgd.id}` : 'LGD refused your change',
        text: `LGD said: "${e.message}".${t ? ` The ticket shows what LGD holds now (${describeState(t.state)}).` : ''}`,
        kind: 'error',
        ...(t ? { actions: [{ title: `Open LGD ${t.lgd.id}`, url: this.d.link(t) }] } : {}),
      },
    });
  }

  /** An event given up after EVENT_ATTEMPTS passes is recorded, never dropped in silence. */
  private async recordGivenUp(e: StoredEvent, attempts: number): Promise<void> {
    try {
      await this.d.audit.record({
        actor: { name: 'LGD Support', aadObjectId: null, email: null },
        action: `event:${e.kind}`,
        ticketKey: e.ticketKey,
        ticketNumber: null,
        outcome: 'refused',
        source: 'teams',
        detail: `could not act on event ${e._id} after ${attempts} passes; see the log`,
      });
    } catch (err) {
      this.d.logger.error({ err, event: e._id }, 'could not record a given-up event in the audit trail');
    }
  }
}
