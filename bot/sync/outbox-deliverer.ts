import type { Logger } from '../logger.js';
import { LgdRefused, LgdUnavailable, LgdBadResponse } from '../lgd/client/lgd-errors.js';
import type { LgdPort } from '../lgd/lgd-port.js';
import type { AuthorDirectory } from '../domain/note-author.js';
import { appliedIn, backoffMs, OPEN_STATUSES, outboxRef, owesLgd, type OutboxEntry } from '../domain/outbox.js';
import type { Ticket } from '../domain/ticket.js';
import type { TicketRecords } from '../store/ticket-journal.js';
import type { TicketRepository } from '../store/ticket-repository.js';

export interface OutboxDelivererDeps {
  lgd: LgdPort;
  tickets: TicketRepository;
  resolvedStatuses: readonly string[];
  /** Who may write notes that count as decisions, to classify the notes re-read after a write. */
  authors: () => Promise<AuthorDirectory>;
  /** Log the writes and make none. */
  dryRun: boolean;
  /** How long a claimed entry stays claimed before it is treated as "sent, no answer". */
  claimMs?: number;
  /**
   * How long after a write whose outcome is unknown was sent LGD may still be working on it: it is
   * looked for only then (and sent again only when not found). Default 120 s (LGD_WRITE_SETTLE_SECONDS).
   */
  settleMs?: number;
  logger: Logger;
  clock?: () => Date;
  random?: () => number;
}

/** What one delivery pass did. */
export interface DeliveryReport {
  delivered: number;
  refused: number;
  retrying: number;
  foundApplied: number;
  dryRun: number;
}

type Outcome = 'delivered' | 'refused' | 'retry' | 'unknown' | 'found_applied' | 'dry_run';

/** The settle time when none is configured: ASP.NET gives a request 110 s by default before it abandons it. */
const DEFAULT_SETTLE_MS = 120_000;

/**
 * Delivers the outbox entries LGD is still owed (`owesLgd`), one ticket's entries in order. LGD
 * writes are not idempotent: an entry whose earlier attempt got no answer (or whose deliverer died
 * mid-send) is first looked for in LGD (`appliedIn`: an internal note by the reference written into
 * it, a message to the user by its text since it was first sent, an assignment or resolve by the
 * ticket's current assignment and status) and is only repeated when it is not there. Because LGD
 * may still be working on a write whose answer never came (a hung write, a gateway's 502 / 504),
 * that look waits until the settle time has passed since the write was sent; every resend of such
 * an entry is preceded by a look of its own.
 */
export class OutboxDeliverer {
  private readonly clock: () => Date;

  private readonly settleMs: number;
  private readonly claimMs: number;

  constructor(private readonly d: OutboxDelivererDeps) {
    this.clock = d.clock ?? (() => new Date());
    this.settleMs = d.settleMs ?? DEFAULT_SETTLE_MS;
    this.claimMs = d.claimMs ?? 60_000;
  }

  /** When a write sent under a claim that ends at `claimedUntil` may be looked for (claims are taken as the write is sent). */
  private settledAfterClaim(claimedUntil: Date | null, now: Date): Date {
    const sentAt = (claimedUntil?.getTime() ?? now.getTime()) - this.claimMs;
    return new Date(Math.max(now.getTime(), sentAt + this.settleMs));
  }

  async deliverDue(): Promise<DeliveryReport> {
    const report: DeliveryReport = { delivered: 0, refused: 0, retrying: 0, foundApplied: 0, dryRun: 0 };
    const tickets = await this.d.tickets.withOutbox(OPEN_STATUSES);
    for (const t of tickets) {
      for (const entry of t.outbox) {
        if (!owesLgd(entry)) continue;
        const outcome = await this.deliverOne(t._id, entry.id);
        if (outcome === 'delivered') report.delivered++;
        else if (outcome === 'refused') report.refused++;
        else if (outcome === 'found_applied') report.foundApplied++;
        else if (outcome === 'dry_run') report.dryRun++;
        else if (outcome === 'retry' || outcome === 'unknown') {
          report.retrying++;
          break; // keep this ticket's writes in order: later entries wait for this one
        } else break;
      }
    }
    return report;
  }

  /**
   * Frees the entries a process proven gone had claimed (the store's exclusive lock at start: no
   * other process can be delivering): each becomes "sent, no answer", due once the settle time has
   * passed since it was claimed (LGD may still be working on what the dead process sent), so it is
   * looked for in LGD and sent only when not there, without waiting for its claim to run out.
   * Returns how many were freed. Only for a process that knows it is the store's one user.
   */
  async releaseAbandonedClaims(): Promise<number> {
    let freed = 0;
    for (const t of await this.d.tickets.withOutbox(['in_flight'])) {
      const done = await this.d.tickets.mutate(t._id, (cur, now) => {
        if (!cur.outbox.some((e) => e.status === 'in_flight')) return null;
        return {
          ...cur,
          outbox: cur.outbox.map((e) =>
            e.status === 'in_flight'
              ? {
                  ...e,
                  status: 'unknown' as const,
                  claimedUntil: null,
                  nextAttemptAt: this.settledAfterClaim(e.claimedUntil, now),
                  lastError: 'the process sending it stopped before LGD answered (killed or crashed): looked for in LGD before it is sent again',
                }
              : e,
          ),
        };
      });
      if (done) freed += done.before.outbox.filter((e) => e.status === 'in_flight').length;
    }
    if (freed > 0) this.d.logger.warn({ entries: freed, settleMs: this.settleMs }, `${freed} LGD write(s) were being sent by a process that is gone: each is looked for in LGD once LGD has had time to finish it, and sent only when not there`);
    return freed;
  }

  /** Claims one entry, checks or sends it, and records the outcome; null when not due or not ours. */
  private async deliverOne(ticketKey: string, entryId: string): Promise<Outcome | null> {
    let mustCheck = false;
    let settling = false;
    const claimed = await this.d.tickets.mutate(ticketKey, (t, now) => {
      mustCheck = false;
      settling = false;
      const e = t.outbox.find((x) => x.id === entryId);
      if (!e) return null;
      const expiredClaim = e.status === 'in_flight' && (e.claimedUntil?.getTime() ?? 0) <= now.getTime();
      if (e.status === 'in_flight' && !expiredClaim) return null;
      if (e.nextAttemptAt.getTime() > now.getTime() && !expiredClaim) return null;
      if (expiredClaim) {
        // Its deliverer stopped waiting (or stopped) mid-send: LGD may still be working on the write.
        const settleAt = this.settledAfterClaim(e.claimedUntil, now);
        if (settleAt.getTime() > now.getTime()) {
          settling = true;
          return withEntry(t, entryId, { status: 'unknown', claimedUntil: null, nextAttemptAt: settleAt, lastError: 'its deliverer stopped waiting for LGD\'s answer: looked for in LGD once LGD has had time to finish it' });
        }
      }
      mustCheck = e.status === 'unknown' || expiredClaim;
      return withEntry(t, entryId, { status: 'in_flight', claimedUntil: new Date(now.getTime() + this.claimMs), attempts: e.attempts + 1, firstSentAt: e.firstSentAt ?? now });
    });
    if (!claimed) return null;
    if (settling) return 'unknown';
    const entry = claimed.after.outbox.find((x) => x.id === entryId) as OutboxEntry;
    const log = this.d.logger.child({ ticket: claimed.after.lgd.id, entry: entry.id, write: entry.write.kind, attempt: entry.attempts });

    let sentAt: Date | null = null;
    try {
      if (mustCheck && (await this.alreadyApplied(claimed.after, entry))) {
        log.info('an earlier attempt had reached LGD; not repeating it');
        await this.finish(ticketKey, entryId, { status: 'delivered' });
        await this.refresh(ticketKey);
        return 'found_applied';
      }
      if (this.d.dryRun) {
        log.info({ dryRun: true, write: entry.write }, 'DRY RUN: would write to LGD');
        await this.finish(ticketKey, entryId, { status: 'dry_run' });
        return 'dry_run';
      }
      sentAt = this.clock();
      await this.send(claimed.after, entry);
      log.info('delivered to LGD');
      await this.finish(ticketKey, entryId, { status: 'delivered' });
      await this.refresh(ticketKey);
      return 'delivered';
    } catch (err) {
      return this.failed(ticketKey, entry, err, log, mustCheck, sentAt);
    }
  }

  /** Records a failed attempt; `sentAt` is when the write itself went out, null when it failed before (e.g. while looking for an earlier one). */
  private async failed(ticketKey: string, entry: OutboxEntry, err: unknown, log: Logger, wasUnknown: boolean, sentAt: Date | null): Promise<Outcome> {
    if (err instanceof LgdRefused) {
      log.warn({ lgd: err.lgdMessage }, 'LGD refused the write');
      // The refusal and the event that owes the person LGD's words are one write.
      const before = await this.finish(ticketKey, entry.id, { status: 'refused', refusal: err.lgdMessage }, {
        events: [{ kind: 'write_refused', ticketKey, entryId: entry.id, message: err.lgdMessage, requestedBy: entry.requestedBy }],
      });
      // LGD said no, so what it holds is the truth: re-read it and show that.
      await this.refresh(ticketKey);
      const after = await this.d.tickets.get(ticketKey);
      if (before && after && before.before.state !== after.state) {
        await this.d.tickets.record(ticketKey, { events: [{ kind: 'state_changed', ticketKey, from: before.before.state, to: after.state, source: 'lgd' }] });
      }
      return 'refused';
    }
    // Still unknown if it was before (the check itself failed) or this attempt got no answer.
    const unknown = wasUnknown || ((err instanceof LgdUnavailable || err instanceof LgdBadResponse) && err.outcomeUnknown);
    const now = this.clock();
    // LGD's own Retry-After (a 429 or 503) wins over a shorter backoff, which would only meet more refusals.
    let next = now.getTime() + Math.max(backoffMs(entry.attempts, this.d.random), err instanceof LgdUnavailable ? (err.retryAfterMs ?? 0) : 0);
    // No answer, or a gateway's 502 / 504: LGD may still be working on it, and a look now could miss
    // a write that lands later. (A 200 with an unreadable body is LGD's own answer: it has finished.)
    const mayStillLand = sentAt !== null && err instanceof LgdUnavailable && err.outcomeUnknown;
    if (mayStillLand) next = Math.max(next, sentAt.getTime() + this.settleMs);
    const retryInMs = next - now.getTime();
    log.warn(
      { err, unknown, retryInMs },
      mayStillLand ? 'no answer from LGD: will look for the write once LGD has had time to finish it, and repeat it only when not there' : unknown ? 'no answer from LGD: will check before repeating' : 'LGD write failed: will retry',
    );
    await this.d.tickets.mutate(ticketKey, (t) =>
      withEntry(t, entry.id, {
        status: unknown ? 'unknown' : 'pending',
        claimedUntil: null,
        nextAttemptAt: new Date(next),
        lastError: err instanceof Error ? err.message : String(err),
      }),
    );
    return unknown ? 'unknown' : 'retry';
  }

  private finish(ticketKey: string, entryId: string, patch: Partial<OutboxEntry>, records?: TicketRecords) {
    const now = this.clock();
    return this.d.tickets.mutate(ticketKey, (t) => withEntry(t, entryId, { ...patch, claimedUntil: null, finishedAt: now }), records && (() => records));
  }

  /**
   * Re-reads the ticket from LGD after a write, so the team sees LGD's own state at once (and the
   * write settles: the read starts after LGD confirmed it). When this fails, the write keeps
   * counting in the team's view until a later read (see settleEntries).
   */
  private async refresh(ticketKey: string): Promise<void> {
    try {
      const readAt = this.clock();
      const [inc, notes, authors] = await Promise.all([this.d.lgd.openIncident(ticketKey), this.d.lgd.listNotes({ incidentKey: ticketKey }), this.d.authors()]);
      // What changes here is the deliverer's to announce (a refusal's new state), not the read's.
      await this.d.tickets.applyLgd(inc, notes, { readAt, notesReadAt: readAt, authors }, { announce: false });
    } catch (err) {
      this.d.logger.warn({ err, ticketKey }, 'refresh after write failed; the write keeps showing until the next sync reads the ticket');
    }
  }

  private send(t: Ticket, e: OutboxEntry): Promise<unknown> {
    const by = e.requestedBy.name;
    const ref = outboxRef(e.id);
    const w = e.write;
    switch (w.kind) {
      case 'note':
        return this.d.lgd.addNote(t._id, { text: w.text, onBehalfOf: by, ref });
      case 'end_user_update':
        // What the user reads carries no reference: a lost answer is found by its text (appliedIn).
        return this.d.lgd.updateEndUser(t._id, { text: w.text, onBehalfOf: by });
      case 'assign': {
        const target = w.groupKey ? { groupKey: w.groupKey, userKey: w.userKey } : w.userKey ? { userKey: w.userKey } : null;
        if (!target) throw new LgdRefused('an assignment needs a group or a person');
        return this.d.lgd.addAssignment(t._id, { ...target, description: w.description, onBehalfOf: by, ref });
      }
      case 'resolve':
        return this.d.lgd.resolve(t._id, { categoryKey: w.categoryKey, description: w.description, onBehalfOf: by });
    }
  }

  /** Whether a write whose answer was lost reached LGD after all, looked for in a fresh read of LGD. */
  private async alreadyApplied(t: Ticket, e: OutboxEntry): Promise<boolean> {
    const w = e.write;
    const view =
      w.kind === 'note' || w.kind === 'end_user_update'
        ? { ...t.lgd, notes: await this.d.lgd.listNotes({ incidentKey: t._id }) }
        : { ...(await this.d.lgd.openIncident(t._id)), notes: [] };
    return appliedIn(e, { ...view, readAt: null, notesReadAt: null }, t.outbox, this.d.resolvedStatuses);
  }
}

function withEntry(t: Ticket, entryId: string, patch: Partial<OutboxEntry>): Ticket {
  return { ...t, outbox: t.outbox.map((e) => (e.id === entryId ? { ...e, ...patch } : e)) };
}
