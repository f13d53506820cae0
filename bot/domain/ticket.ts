/**
 * A team ticket as the app keeps it: LGD's facts, its notes, the outbox of writes the app owes
 * LGD, and the derived process state. Pure functions only.
 */
import type { IncidentFacts, IncidentNote } from './incident-facts.js';
import { classifyNoteAuthor, legacyNoteAuthor, type AuthorDirectory, type NoteAuthor } from './note-author.js';
import { applyCountingEntries, countsInTeamView, decisionOfEntry, isMadeOrOwed, settleEntries, type OutboxEntry } from './outbox.js';
import { deriveProcessState, inTeamGroups, type ProcessRules, type ProcessState, type TriageDecision } from './process-state.js';
import { latestDecision, type DecisionPatterns, type TriageDeciders } from './triage-decision.js';

/** A note as stored with its ticket; `author` is classified when it is synced (absent on notes stored before that). */
export type StoredNote = Omit<IncidentNote, 'incidentKey'> & { author?: NoteAuthor };

/** The person on a ticket when it (last) reached the team's groups: assigned before triage. */
export interface Arrival {
  /** When the app saw the ticket arrive (app clock). */
  at: Date;
  userKey: string | null;
  userTitle: string | null;
}

export interface Ticket {
  /** LGD record key (GUID). */
  _id: string;
  /** LGD's view of the ticket, as last synced. */
  lgd: Omit<IncidentFacts, 'key'>;
  notes: StoredNote[];
  outbox: OutboxEntry[];
  /** The latest triage decision (from LGD notes or Teams). */
  decision: TriageDecision | null;
  state: ProcessState;
  stateChangedAt: Date;
  /** Who the team sees owning it (LGD's person, or a queued ownership). */
  owner: { key: string; title: string | null } | null;
  /** Since when `owner` has been the person on it (the app's clock: a Teams assignment's request, else when the app saw it); absent on tickets stored before. */
  ownerSince?: Date | null;
  /** Current group as the team sees it. */
  groupTitle: string | null;
  firstSeenAt: Date;
  syncedAt: Date;
  /** When `lgd` was read from LGD (app clock, the instant the read started); absent on tickets stored before. */
  lgdReadAt?: Date | null;
  /** When the ticket's complete list of notes was last read from LGD. */
  notesReadAt?: Date | null;
  /** The person it had when it last reached the team's groups; null while it is outside them; absent on tickets stored before. */
  arrival?: Arrival | null;
  /** Optimistic-concurrency counter: every write is conditional on it. */
  version: number;
}

export interface TicketRules extends ProcessRules {
  patterns: DecisionPatterns;
  /** Whose notes count as triage decisions (TRIAGE_DECIDERS). */
  deciders: TriageDeciders;
  /** The status a queued resolve shows. */
  resolvedStatus: string;
}

/** Longest name taken from an app-written note; anything longer is not a name. */
const MAX_NAME = 120;
const MARK = 'via Teams';

/**
 * The person an app-written note acted for ("Approved — Jane Smith via Teams" → Jane Smith): the
 * text between the last "—" and the first " via Teams" after it on the same line. One pass over
 * the text (LGD's text is outside input: no backtracking pattern).
 */
export function onBehalfOf(text: string): string | null {
  let scanned = 0;
  let lineStart = 0;
  let dash = -1;
  for (let v = text.indexOf(MARK); v !== -1; v = text.indexOf(MARK, v + 1)) {
    for (; scanned < v; scanned++) {
      const c = text.charCodeAt(scanned);
      if (c === 10 || c === 13) lineStart = scanned + 1;
      else if (c === 0x2014) dash = scanned;
    }
    const before = text.charAt(v - 1);
    const after = text.charAt(v + MARK.length);
    if (v === 0 || !/\s/.test(before) || /\w/.test(after) || dash < lineStart) continue;
    const name = text.slice(dash + 1, v).trim();
    if (name !== '' && name.length <= MAX_NAME) return name;
  }
  return null;
}

/** Notes as synced, with their authors classified (left unclassified without a directory). */
export function storedNotes(notes: readonly IncidentNote[], raiseUser: string | null, authors?: AuthorDirectory): StoredNote[] {
  return notes.map((n) => {
    const { incidentKey: _drop, ...rest } = n;
    if (!authors) return rest;
    // Set on the copy, not spread into another: see derive.
    const stored: StoredNote = rest;
    stored.author = classifyNoteAuthor(n.createdBy, raiseUser, authors);
    return stored;
  });
}

const sameKey = (a: string | null, b: string | null): boolean => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/**
 * The arrival to keep: a ticket in the team's groups keeps the arrival it has; one that is (back)
 * in the groups after being outside records the person it has now; outside, none.
 */
function arrivalOf(t: Pick<Ticket, 'lgd' | 'arrival' | 'firstSeenAt'>, rules: ProcessRules, now: Date): Arrival | null {
  if (!inTeamGroups(t.lgd.groupTitle, rules)) return null;
  // Stored before arrivals were recorded: keep what the app did then (a person counted as a decision).
  if (t.arrival === undefined) return { at: t.firstSeenAt, userKey: null, userTitle: null };
  return t.arrival ?? { at: now, userKey: t.lgd.userKey, userTitle: t.lgd.userTitle };
}

/** Recomputes the derived fields (arrival, settled entries, decision, owner, group, state) from LGD facts, notes and outbox. */
export function derive(t: Omit<Ticket, 'decision' | 'state' | 'owner' | 'groupTitle'> & Partial<Ticket>, rules: TicketRules, now: Date): Ticket {
  const arrival = arrivalOf(t, rules, now);
  const outbox = settleEntries(
    t.outbox,
    {
      status: t.lgd.status,
      groupKey: t.lgd.groupKey,
      userKey: t.lgd.userKey,
      notes: t.notes,
      readAt: t.lgdReadAt ?? null,
      notesReadAt: t.notesReadAt ?? null,
    },
    rules.resolvedStatuses,
    now,
  );
  const teamsDecisions = outbox
    .filter((e) => e.status !== 'refused')
    .map(decisionOfEntry)
    .filter((d): d is TriageDecision => d !== null);
  const noteFacts = t.notes.map((n) => {
    const author = n.author ?? legacyNoteAuthor(n.createdBy, t.lgd.raiseUser);
    // Only the service account's notes speak for someone else ("— Jane via Teams").
    const by = author.kind === 'service' ? (onBehalfOf(n.text) ?? n.createdBy) : n.createdBy;
    return { text: n.text, createdAt: n.createdAt, createdBy: by, author };
  });
  const decision = latestDecision(noteFacts, teamsDecisions, rules.patterns, rules.deciders);
  const facts = applyCountingEntries({ status: t.lgd.status, groupTitle: t.lgd.groupTitle, userKey: t.lgd.userKey, decision }, outbox, rules.resolvedStatus);
  // A person assigned from Teams after the ticket arrived is a decision, even the same person again.
  const assignedSince = (a: Arrival): boolean =>
    outbox.some((e) => e.write.kind === 'assign' && !!e.write.userKey && isMadeOrOwed(e) && e.requestedAt.getTime() >= a.at.getTime());
  const personFromArrival = !!facts.userKey && !!arrival && sameKey(facts.userKey, arrival.userKey) && !assignedSince(arrival);
  const state = deriveProcessState({ status: facts.status, groupTitle: facts.groupTitle, userKey: facts.userKey, decision: facts.decision, personFromArrival }, rules);
  const queuedOwner = [...outbox].reverse().find((e) => countsInTeamView(e) && e.write.kind === 'assign');
  let owner: Ticket['owner'] = facts.userKey ? { key: facts.userKey, title: t.lgd.userTitle } : null;
  if (queuedOwner && queuedOwner.write.kind === 'assign' && queuedOwner.write.userKey) {
    owner = { key: queuedOwner.write.userKey, title: queuedOwner.write.userTitle ?? null };
  }
  // Object.assign, not `{ ...t, outbox, … }`: V8 builds a literal that begins with a spread and then
  // adds keys its source lacks (a new ticket's derived fields) on a slow path, microseconds a key and
  // a new hidden class each time (two thirds of a new ticket's derive); assign copies and extends fast.
  return Object.assign({}, t, {
    outbox,
    arrival,
    decision,
    owner,
    ownerSince: ownerSinceOf(t, owner, outbox, now),
    groupTitle: facts.groupTitle,
    state,
    stateChangedAt: t.state === state && t.stateChangedAt ? t.stateChangedAt : now,
  });
}

/**
 * Since when the person on the ticket has been on it: kept while the same person stays; for a new
 * one, when the Teams assignment to them was asked for, else now (the app sees it now). A ticket
 * stored before this was kept counts from its last change of state.
 */
function ownerSinceOf(t: Partial<Pick<Ticket, 'owner' | 'ownerSince' | 'stateChangedAt'>>, owner: Ticket['owner'], outbox: readonly OutboxEntry[], now: Date): Date | null {
  if (!owner) return null;
  if (t.owner && sameKey(t.owner.key, owner.key)) return t.ownerSince ?? t.stateChangedAt ?? now;
  const asked = [...outbox].reverse().find((e) => e.write.kind === 'assign' && isMadeOrOwed(e) && sameKey(e.write.userKey ?? null, owner.key));
  return asked?.requestedAt ?? now;
}

/** When a sync read LGD (app clock), and the note authors it knew then. */
export interface LgdRead {
  /** When the incident was read; default `now`. */
  readAt?: Date;
  /** When the ticket's complete notes (those given) were read; null when they are not complete. */
  notesReadAt?: Date | null;
  authors?: AuthorDirectory;
}

/** A ticket first seen in LGD: if it is in the team's groups, it arrives now with the person it has. */
export function newTicket(inc: IncidentFacts, notes: IncidentNote[], rules: TicketRules, now: Date, read: LgdRead = {}): Ticket {
  const { key, ...lgd } = inc;
  return derive(
    {
      _id: key,
      lgd,
      notes: storedNotes(notes, inc.raiseUser, read.authors).sort(byCreation),
      outbox: [],
      firstSeenAt: now,
      syncedAt: now,
      stateChangedAt: now,
      lgdReadAt: read.readAt ?? now,
      notesReadAt: read.notesReadAt ?? null,
      arrival: inTeamGroups(inc.groupTitle, rules) ? { at: now, userKey: inc.userKey, userTitle: inc.userTitle } : null,
      version: 0,
    },
    rules,
    now,
  );
}

const byCreation = (a: StoredNote, b: StoredNote): number => a.createdAt.getTime() - b.createdAt.getTime();

/** Merges notes by key, keeping them in creation order; a note seen again keeps its author unless classified anew. */
export function mergeNotes(existing: readonly StoredNote[], incoming: readonly StoredNote[]): StoredNote[] {
  const byKey = new Map(existing.map((n) => [n.key, n]));
  for (const n of incoming) {
    const had = byKey.get(n.key);
    byKey.set(n.key, n.author || !had?.author ? n : { ...n, author: had.author });
  }
  return [...byKey.values()].sort(byCreation);
}
