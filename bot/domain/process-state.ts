/**
 * Where a ticket stands in the team's support process (support-process.md), derived from LGD's
 * data and the team's triage decisions. Pure: no I/O, no clock.
 */

export const PROCESS_STATES = ['needs_triage', 'approved_unassigned', 'owned', 'project', 'reassigned', 'resolved'] as const;
export type ProcessState = (typeof PROCESS_STATES)[number];

/**
 * Where the team's work on a ticket has ended: resolved, reassigned away from the team, or decided
 * as project work. A card of such a ticket changes no more.
 */
export const FINAL_STATES: readonly ProcessState[] = ['resolved', 'reassigned', 'project'];

/** True when the state is one of FINAL_STATES. */
export const isFinalState = (state: string): boolean => (FINAL_STATES as readonly string[]).includes(state);

/** A triage decision: from a note in LGD (by someone who may decide, see triage-decision.ts) or made in Teams. */
export interface TriageDecision {
  kind: 'approved' | 'project';
  at: Date;
  /** Who decided (a person's display name), when known. */
  by: string | null;
  source: 'lgd' | 'teams';
}

/** The facts about a ticket that the state depends on. */
export interface TicketFacts {
  status: string;
  /** Current group title (null when none). */
  groupTitle: string | null;
  /** Current person (analyst key), null when the ticket sits with the group. */
  userKey: string | null;
  /** The latest triage decision, if any. */
  decision: TriageDecision | null;
  /**
   * True when the person on the ticket was already there when it reached the team's group (and no
   * assignment since changed that): it was assigned before triage, so it is not a triage outcome.
   */
  personFromArrival?: boolean;
}

export interface ProcessRules {
  /** The team's groups (LGD_GROUPS). */
  groups: readonly string[];
  /** LGD statuses that mean finished. */
  resolvedStatuses: readonly string[];
}

/** One collator for every comparison: `localeCompare` with options builds one per call (tens of microseconds, on every ticket of a sync). */
const accentCollator = new Intl.Collator(undefined, { sensitivity: 'accent' });

const same = (a: string, b: string): boolean => a === b || accentCollator.compare(a, b) === 0;

/** Whether a group title is one of the team's groups (case-insensitive). */
export const inTeamGroups = (groupTitle: string | null, rules: ProcessRules): boolean =>
  groupTitle !== null && rules.groups.some((g) => same(g, groupTitle));

/**
 * The process state: a Project decision is the outcome, resolved or not (the Project path
 * resolves the ticket itself); otherwise resolved beats everything; a ticket outside the team's
 * groups was reassigned away; a person on the ticket owns it when the ticket was Approved or the
 * person was assigned after the ticket reached the group (assigning to a person is itself a triage
 * outcome), but a person who was already there when it arrived is no triage: every ticket of the
 * group is triaged (support-process.md), and Approve then keeps that person as owner; an Approved
 * ticket with no person waits to be taken; anything else needs triage.
 */
export function deriveProcessState(t: TicketFacts, rules: ProcessRules): ProcessState {
  if (t.decision?.kind === 'project') return 'project';
  if (rules.resolvedStatuses.some((s) => same(s, t.status))) return 'resolved';
  if (!inTeamGroups(t.groupTitle, rules)) return 'reassigned';
  if (t.userKey && (t.decision?.kind === 'approved' || t.personFromArrival !== true)) return 'owned';
  if (t.decision?.kind === 'approved') return 'approved_unassigned';
  return 'needs_triage';
}
