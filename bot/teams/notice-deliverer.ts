import { backoffMs } from '../domain/outbox.js';
import type { Logger } from '../logger.js';
import type { AuditLog } from '../store/audit-log.js';
import type { NewNotice, NoticeRepository, PersonNotice } from '../store/notice-repository.js';
import type { TicketRepository } from '../store/ticket-repository.js';
import { messageCard } from './cards/message-card.js';
import type { AdaptiveCard } from './cards/card-model.js';
import type { ProactiveSender } from './teams-ports.js';

/** How long one attempt holds a notice before another pass may take it over. */
const CLAIM_MS = 120_000;

/** Most notices sent per pass (Teams' pacing makes each take a moment). */
const BATCH = 25;

export interface NoticeDelivererDeps {
  notices: NoticeRepository;
  sender: ProactiveSender;
  tickets: TicketRepository;
  audit: AuditLog;
  logger: Logger;
  clock?: () => Date;
  random?: () => number;
}

/** What one pass did, by notice id. */
export interface NoticeReport {
  sent: string[];
  retrying: string[];
  unreachable: string[];
}

/**
 * Tells people what is owed to them (LGD refused their change, a Project decision on their
 * ticket, a backlog item for their area), from the store: a failed send is retried with backoff
 * until Teams takes it; a person Teams cannot reach (the app is not installed for them, or they
 * blocked it) is recorded in the log and the audit trail, told by someone else when the notice
 * names a fallback, and not retried.
 */
export class NoticeDeliverer {
  private readonly clock: () => Date;

  constructor(private readonly d: NoticeDelivererDeps) {
    this.clock = d.clock ?? (() => new Date());
  }

  /** Queues a notice (idempotent by id); the worker's next pass sends it. */
  async enqueue(n: NewNotice): Promise<boolean> {
    return (await this.d.notices.enqueue(n)).queued;
  }

  /** Tries every due notice once. */
  async deliverDue(now: Date = this.clock()): Promise<NoticeReport> {
    const report: NoticeReport = { sent: [], retrying: [], unreachable: [] };
    for (const n of await this.d.notices.claimDue(now, CLAIM_MS, BATCH)) report[await this.deliverOne(n, now)].push(n._id);
    return report;
  }

  private async deliverOne(n: PersonNotice, now: Date): Promise<keyof NoticeReport> {
    const log = this.d.logger.child({ notice: n._id, to: n.to.name, ticket: n.ticketNumber });
    let activityId: string | null;
    try {
      activityId = await this.d.sender.sendToPerson({ aadObjectId: n.to.aadObjectId, teamsUserId: n.to.teamsUserId }, { card: (n.card as AdaptiveCard | undefined) ?? messageCard(n.message) });
    } catch (err) {
      const at = new Date(now.getTime() + backoffMs(n.attempts, this.d.random));
      await this.d.notices.retryAt(n._id, at, err instanceof Error ? err.message : String(err));
      log.warn({ err, attempts: n.attempts, nextAttemptAt: at }, `could not tell ${n.to.name} (${n.about}); will try again`);
      return 'retrying';
    }
    if (activityId === null) {
      await this.unreachable(n, log);
      return 'unreachable';
    }
    await this.d.notices.markSent(n._id);
    log.info({ attempts: n.attempts }, `told ${n.to.name}: ${n.about}`);
    if (n.refusal) await this.markRefusalTold(n.refusal, log);
    return 'sent';
  }

  /** Records that the person cannot be reached, and passes the message to the fallback when there is one. */
  private async unreachable(n: PersonNotice, log: Logger): Promise<void> {
    const reason = 'not reachable in Teams: the app is not installed for them, or they blocked it';
    // The fallback is queued first: should marking fail, the notice is tried again and nothing is lost.
    if (n.fallback) {
      await this.d.notices.enqueue({ _id: n.fallback.id, to: n.fallback.to, message: n.fallback.message, about: n.fallback.about, ticketKey: n.ticketKey, ticketNumber: n.ticketNumber });
    }
    await this.d.notices.markUnreachable(n._id, reason);
    log.warn(`cannot tell ${n.to.name} (${n.about}): ${reason}; not retried${n.fallback ? `; ${n.fallback.to.name} is told instead` : ''}`);
    try {
      await this.d.audit.record({
        actor: { name: n.to.name, aadObjectId: n.to.aadObjectId ?? null, email: null },
        action: 'notify',
        ticketKey: n.ticketKey,
        ticketNumber: n.ticketNumber,
        outcome: 'unreachable',
        source: 'teams',
        detail: `${n.about}: ${reason}${n.fallback ? `; ${n.fallback.to.name} is told instead` : ''}`.slice(0, 500),
      });
    } catch (err) {
      log.error({ err }, 'could not write the audit trail for a person who cannot be reached');
    }
  }

  /** Marks a refused outbox entry as told, so it is never told twice. */
  private async markRefusalTold(r: { ticketKey: string; entryId: string }, log: Logger): Promise<void> {
    try {
      await this.d.tickets.mutate(r.ticketKey, (t) =>
        t.outbox.some((e) => e.id === r.entryId && !e.refusalNotified)
          ? { ...t, outbox: t.outbox.map((e) => (e.id === r.entryId ? { ...e, refusalNotified: true } : e)) }
          : null,
      );
    } catch (err) {
      // The notice itself is recorded as sent, so it is not sent twice; only the flag is missing.
      log.error({ err, entry: r.entryId }, 'told the person of a refusal but could not mark the outbox entry');
    }
  }
}
