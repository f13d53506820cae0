/**
 * A team ticket as the app keeps it: LGD's facts, its notes, the outbox of writes the app owes
 * LGD, and the derived process state. Pure functions only.
 */
import type { LgdIncident, LgdNote } from '../lgd/lgd-types.js';
import { applyOpenEntries, decisionOfEntry, isOpen, type OutboxEntry } from './outbox.js';
import { deriveProcessState, type ProcessRules, type ProcessState, type TriageDecision } from './process-state.js';
import { latestDecision, type DecisionPatterns } from './triage-decision.js';

/** A note as stored with its ticket. */
export type StoredNote = Omit<LgdNote, 'incidentKey'>;

export interface Ticket {
  /** LGD record key (GUID). */
  _id: string;
  /** LGD's view of the ticket, as last synced. */
  lgd: Omit<LgdIncident, 'key'>;
  notes: StoredNote[];
  outbox: OutboxEntry[];
  /** The latest triage decision (from LGD notes or Teams). */
  decision: TriageDecision | null;
  state: ProcessState;
  stateChangedAt: Date;
  /** Who the team sees owning it (LGD's person, or a queued ownership). */
  owner: { key: string; title: string | null } | null;
  /** Current group as the team sees it. */
  groupTitle: string | null;
  firstSeenAt: Date;
  syncedAt: Date;
  /** Optimistic-concurrency counter: every write is conditional on it. */
  version: number;
}

export interface TicketRules extends ProcessRules {
  patterns: DecisionPatterns;
  /** The status a queued resolve shows. */
  resolvedStatus: string;
}

const VIA_TEAMS = /—\s*(.+?)\s+via Teams\b/;

/** The person an app-written note acted for ("Approved — Jane Smith via Teams" → Jane Smith). */
export function onBehalfOf(text: string): string | null {
  return VIA_TEAMS.exec(text)?.[1] ?? null;
}

/** Recomputes the derived fields (decision, owner, group, state) from LGD facts, notes and outbox. */
export function derive(t: Omit<Ticket, 'decision' | 'state' | 'owner' | 'groupTitle'> & Partial<Ticket>, rules: TicketRules, now: Date): Ticket {
  const teamsDecisions = t.outbox
    .filter((e) => e.status !== 'refused')
    .map(decisionOfEntry)
    .filter((d): d is TriageDecision => d !== null);
  const noteFacts = t.notes.map((n) => ({ text: n.text, createdAt: n.createdAt, createdBy: onBehalfOf(n.text) ?? n.createdBy }));
  const decision = latestDecision(noteFacts, teamsDecisions, rules.patterns);
  const facts = applyOpenEntries(
    { status: t.lgd.status, groupTitle: t.lgd.groupTitle, userKey: t.lgd.userKey, decision },
    t.outbox,
    rules.resolvedStatus,
  );
  const state = deriveProcessState(facts, rules);
  const queuedOwner = [...t.outbox].reverse().find((e) => isOpen(e) && e.write.kind === 'assign');
  let owner: Ticket['owner'] = facts.userKey ? { key: facts.userKey, title: t.lgd.userTitle } : null;
  if (queuedOwner && queuedOwner.write.kind === 'assign' && queuedOwner.write.userKey) {
    owner = { key: queuedOwner.write.userKey, title: queuedOwner.write.userTitle ?? null };
  }
  return {
    ...t,
    decision,
    owner,
    groupTitle: facts.groupTitle,
    state,
    stateChangedAt: t.state === state && t.stateChangedAt ? t.stateChangedAt : now,
  };
}

/** A ticket first seen in LGD. */
export function newTicket(inc: LgdIncident, notes: LgdNote[], rules: TicketRules, now: Date): Ticket {
  const { key, ...lgd } = inc;
  return derive(
    {
      _id: key,
      lgd,
      notes: notes.map(stripIncidentKey),
      outbox: [],
      firstSeenAt: now,
      syncedAt: now,
      stateChangedAt: now,
      version: 0,
    },
    rules,
    now,
  );
}

/** Merges notes by key, keeping them in creation order. */
export function mergeNotes(existing: readonly StoredNote[], incoming: readonly LgdNote[]): StoredNote[] {
  const byKey = new Map(existing.map((n) => [n.key, n]));
  for (const n of incoming) byKey.set(n.key, stripIncidentKey(n));
  return [...byKey.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

function stripIncidentKey(n: LgdNote): StoredNote {
  const { incidentKey: _drop, ...rest } = n;
  return rest;
}
