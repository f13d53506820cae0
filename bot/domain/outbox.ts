/**
 * The outbox: LGD writes the app has accepted but LGD may not have applied yet. Each entry
 * lives inside its ticket's document, so accepting a command is one atomic update. Pure types and
 * rules: what an entry does to the ticket's facts until LGD confirms or refuses it.
 */
import type { TicketFacts, TriageDecision } from './process-state.js';

/** Who asked for a write: the person in Teams the service account acts for. */
export interface Requester {
  name: string;
  /** Entra object id and Teams user id, to tell them what LGD said. */
  aadObjectId?: string;
  teamsUserId?: string;
}

export type OutboxWrite =
  | { kind: 'note'; text: string; decision?: TriageDecision['kind'] }
  | { kind: 'assign'; groupKey?: string; groupTitle?: string; userKey?: string; userTitle?: string; description: string }
  | { kind: 'resolve'; categoryKey: string; description: string }
  | { kind: 'end_user_update'; text: string };

/**
 * pending: waiting to be sent; in_flight: claimed by a deliverer until `claimedUntil`;
 * unknown: sent, no answer came (it may have been applied: check before repeating);
 * delivered: LGD confirmed; refused: LGD said no (final); dry_run: logged, not sent.
 */
export type OutboxStatus = 'pending' | 'in_flight' | 'unknown' | 'delivered' | 'refused' | 'dry_run';

export interface OutboxEntry {
  /** Unique id; its first 8 characters are the reference written into note texts. */
  id: string;
  write: OutboxWrite;
  requestedBy: Requester;
  requestedAt: Date;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  claimedUntil: Date | null;
  lastError: string | null;
  finishedAt: Date | null;
  /** Set when status is refused: LGD's own words. */
  refusal: string | null;
  /** True once the person who asked has been told of a refusal. */
  refusalNotified?: boolean;
}

/** Entries still owed to LGD: their effects show until LGD confirms or refuses. */
export const OPEN_STATUSES: readonly OutboxStatus[] = ['pending', 'in_flight', 'unknown'];

export const isOpen = (e: OutboxEntry): boolean => OPEN_STATUSES.includes(e.status);

/** The short reference written into a note so a write whose answer was lost can be found. */
export const outboxRef = (entryId: string): string => `ref ${entryId.replace(/-/g, '').slice(0, 8)}`;

/** The triage decision an entry states, if any (for the decision rule). */
export function decisionOfEntry(e: OutboxEntry): TriageDecision | null {
  if (e.write.kind !== 'note' || !e.write.decision) return null;
  return { kind: e.write.decision, at: e.requestedAt, by: e.requestedBy.name, source: 'teams' };
}

/**
 * The facts as the team sees them: LGD's, with every open entry applied in order (a queued
 * ownership shows at once; a queued resolve shows the ticket resolved).
 */
export function applyOpenEntries(lgd: TicketFacts, entries: readonly OutboxEntry[], resolvedStatus: string): TicketFacts {
  let f = lgd;
  for (const e of entries) {
    if (!isOpen(e)) continue;
    const w = e.write;
    if (w.kind === 'assign') {
      f = {
        ...f,
        groupTitle: w.groupTitle ?? f.groupTitle,
        userKey: w.userKey ?? (w.groupKey ? null : f.userKey),
      };
    } else if (w.kind === 'resolve') {
      f = { ...f, status: resolvedStatus };
    }
  }
  return f;
}

/** Delay before the next attempt: exponential from 2 s, capped at 10 minutes, with jitter. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(600_000, 2000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.75 + random() * 0.5));
}
