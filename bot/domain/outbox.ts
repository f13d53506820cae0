/**
 * The outbox: LGD writes the app has accepted, and those LGD confirmed that the app's stored view
 * of LGD does not show yet. Each entry lives inside its ticket's document, so accepting a command
 * is one atomic update. Pure types and rules: which entries LGD is still owed (`owesLgd`), which
 * still count in the team's view (`countsInTeamView`), and what they do to the ticket's facts.
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
  /** Unique id; its first 8 characters are the reference written into internal note texts. */
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
  /** When the first attempt was sent (app clock): a lost answer is looked for in LGD from then on. */
  firstSentAt?: Date | null;
  /**
   * When an LGD view read after delivery showed the write applied or moved past it (see
   * `settleEntries`); until then a delivered entry still counts in the team's view.
   */
  settledAt?: Date | null;
}

/** Statuses of entries still owed to LGD: a write must still be sent, or looked for and sent. */
export const OPEN_STATUSES: readonly OutboxStatus[] = ['pending', 'in_flight', 'unknown'];

/** An entry still owed to LGD: the deliverer's work, and what cards and the API call "queued for LGD". */
export const owesLgd = (e: OutboxEntry): boolean => OPEN_STATUSES.includes(e.status);

/** Delivered (LGD confirmed it) but no LGD view read since has shown it settled. */
export const isSettling = (e: OutboxEntry): boolean => e.status === 'delivered' && !e.settledAt;

/**
 * An entry whose effect still counts in the team's view: owed to LGD, or delivered and settling
 * (read-your-writes: a write LGD confirmed keeps counting until the stored view of LGD is new
 * enough to show it). Refused and dry-run entries never count.
 */
export const countsInTeamView = (e: OutboxEntry): boolean => owesLgd(e) || isSettling(e);

/** An entry LGD has (delivered) or is still owed: refused and dry-run entries were never made. */
export const isMadeOrOwed = (e: OutboxEntry): boolean => owesLgd(e) || e.status === 'delivered';

/** How many of a ticket's writes LGD is still owed: what cards and the API call "queued for LGD". */
export const queuedForLgd = (outbox: readonly OutboxEntry[]): number => outbox.filter(owesLgd).length;

/** The short reference written into an internal note so a write whose answer was lost can be found. */
export const outboxRef = (entryId: string): string => `ref ${entryId.replace(/-/g, '').slice(0, 8)}`;

/** The triage decision an entry states, if any (for the decision rule). */
export function decisionOfEntry(e: OutboxEntry): TriageDecision | null {
  if (e.write.kind !== 'note' || !e.write.decision) return null;
  return { kind: e.write.decision, at: e.requestedAt, by: e.requestedBy.name, source: 'teams' };
}

/**
 * The facts as the team sees them: LGD's, with every entry that still counts applied in order (a
 * queued or just-delivered ownership shows at once; so does a resolve).
 */
export function applyCountingEntries(lgd: TicketFacts, entries: readonly OutboxEntry[], resolvedStatus: string): TicketFacts {
  let f = lgd;
  for (const e of entries) {
    if (!countsInTeamView(e)) continue;
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

/** What the app last read of a ticket in LGD, and when (app clock, the instant each read started). */
export interface LgdView {
  status: string;
  groupKey: string | null;
  userKey: string | null;
  notes: readonly { text: string; createdAt: Date }[];
  /** When the incident's fields were read; null when not known. */
  readAt: Date | null;
  /** When the ticket's complete list of notes was read; null when never. */
  notesReadAt: Date | null;
}

/**
 * How far LGD's clock (its note CreationDate, minute-grained, in a zone the app may misread by an
 * hour around a clock change) may be behind the app's when a note written by the app is looked for.
 */
export const NOTE_CLOCK_SLACK_MS = 65 * 60_000;

/** Collapses whitespace, so a note LGD stored with other line breaks still compares equal. */
const flat = (s: string): string => s.replace(/\s+/g, ' ').trim();

/**
 * Whether a note LGD holds carries the text of an end-user update: the same text, alone or
 * followed by a sign-off (" — name, team"). No reference is written into what customers read.
 */
export function noteCarries(noteText: string, entryText: string): boolean {
  const n = flat(noteText);
  const t = flat(entryText);
  return t !== '' && (n === t || n.startsWith(`${t} — `));
}

const sameKey = (a: string | null | undefined, b: string | null | undefined): boolean => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/**
 * Whether LGD's view shows an entry's write applied. An assignment: LGD's group and person are the
 * ones written. A resolve: a finished status. An internal note: a note with its reference. An
 * end-user update (no reference in what customers read): more notes with its text, created since
 * the write was first sent (less NOTE_CLOCK_SLACK_MS), than other delivered entries with the same
 * text sent in that time, so sending the same words twice is told apart from a repeat.
 */
export function appliedIn(e: OutboxEntry, view: LgdView, outbox: readonly OutboxEntry[], resolvedStatuses: readonly string[]): boolean {
  const w = e.write;
  switch (w.kind) {
    case 'assign': {
      const groupOk = !w.groupKey || sameKey(view.groupKey, w.groupKey);
      const userOk = w.userKey ? sameKey(view.userKey, w.userKey) : !w.groupKey || view.userKey === null;
      return groupOk && userOk;
    }
    case 'resolve':
      return resolvedStatuses.some((s) => s.toLowerCase() === view.status.toLowerCase());
    case 'note': {
      const ref = outboxRef(e.id);
      return view.notes.some((n) => n.text.includes(ref));
    }
    case 'end_user_update': {
      const since = (e.firstSentAt ?? e.requestedAt).getTime() - NOTE_CLOCK_SLACK_MS;
      const found = view.notes.filter((n) => n.createdAt.getTime() >= since && noteCarries(n.text, w.text)).length;
      const others = outbox.filter(
        (o) =>
          o.id !== e.id &&
          o.status === 'delivered' &&
          o.write.kind === 'end_user_update' &&
          flat(o.write.text) === flat(w.text) &&
          (o.firstSentAt ?? o.requestedAt).getTime() >= since,
      ).length;
      return found > others;
    }
  }
}

const readsNotes = (e: OutboxEntry): boolean => e.write.kind === 'note' || e.write.kind === 'end_user_update';

/**
 * Settles delivered entries against what the app last read of LGD. The rule (read-your-writes):
 * a delivered entry keeps counting in the team's view until
 * 1. the stored view shows it applied (`appliedIn`), or
 * 2. the stored view was read after LGD confirmed the write (for a note, the ticket's complete
 *    list of notes), and does not show it: someone changed the ticket after us, and LGD wins; or
 * 3. a later entry of the same kind (assignment, resolve) has settled: LGD's view is past this one.
 * Instants are compared on the app's clock only (when LGD's answer was recorded vs. when a read
 * started): LGD's LastUpdate is minute-grained and on LGD's clock, so it cannot order a read
 * against the app's own write; and the stored view never goes back to an older read (see
 * TicketRepository.applyLgd), so a sync pass that read LGD before the write cannot undo it.
 */
export function settleEntries(outbox: readonly OutboxEntry[], view: LgdView, resolvedStatuses: readonly string[], now: Date): OutboxEntry[] {
  const out = [...outbox];
  const passed = new Set<OutboxWrite['kind']>();
  for (let i = out.length - 1; i >= 0; i--) {
    const e = out[i] as OutboxEntry;
    if (e.status !== 'delivered') continue;
    const supersedes = e.write.kind === 'assign' || e.write.kind === 'resolve';
    if (e.settledAt) {
      if (supersedes) passed.add(e.write.kind);
      continue;
    }
    const read = readsNotes(e) ? view.notesReadAt : view.readAt;
    const readAfter = read !== null && e.finishedAt !== null && read.getTime() > e.finishedAt.getTime();
    if (passed.has(e.write.kind) || readAfter || appliedIn(e, view, outbox, resolvedStatuses)) {
      out[i] = { ...e, settledAt: now };
      if (supersedes) passed.add(e.write.kind);
    }
  }
  return out;
}

/** Delay before the next attempt: exponential from 2 s, capped at 10 minutes, with jitter. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(600_000, 2000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.75 + random() * 0.5));
}
