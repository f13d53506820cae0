import type { NoteAuthor } from './note-author.js';
import type { TriageDecision } from './process-state.js';

/** Note-text patterns that count as triage decisions (configurable; the seed says "Approved" / "Project"). */
export interface DecisionPatterns {
  approved: RegExp;
  project: RegExp;
}

/**
 * Whose notes may state a triage decision (TRIAGE_DECIDERS): `analysts`, any LGD analyst and the
 * app's service account; `team`, only the analysts the team knows (leads, mapped people) and the
 * service account.
 */
export const TRIAGE_DECIDERS = ['analysts', 'team'] as const;
export type TriageDeciders = (typeof TRIAGE_DECIDERS)[number];

/** Builds the patterns from configured prefixes: a note whose text starts with one counts. */
export function decisionPatterns(prefixes: { approved: readonly string[]; project: readonly string[] }): DecisionPatterns {
  const re = (words: readonly string[]): RegExp =>
    new RegExp(`^\\s*(?:${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})\\b`, 'i');
  return { approved: re(prefixes.approved), project: re(prefixes.project) };
}

/** The decision a note's text states, or null when it states none. */
export function decisionOfNote(text: string, patterns: DecisionPatterns): TriageDecision['kind'] | null {
  if (patterns.approved.test(text)) return 'approved';
  if (patterns.project.test(text)) return 'project';
  return null;
}

/**
 * Whether a note by this author can be a triage decision. The seed has the Operations Lead (a lead
 * developer, scrum master or rota'd lead) triage; customers never do. So: the app's own service
 * account (it writes the decisions made in Teams), and LGD analysts (all of them, or with `team`
 * only those the team knows); never the raise user, never an author LGD does not list as an analyst.
 */
export function mayDecide(author: NoteAuthor, deciders: TriageDeciders): boolean {
  if (author.kind === 'service') return true;
  if (author.kind !== 'analyst') return false;
  return deciders === 'analysts' || author.team;
}

/** A note as the decision rule sees it. */
export interface NoteFacts {
  text: string;
  createdAt: Date;
  /** Who decided, as the card names them (for the app's notes, the person in Teams). */
  createdBy: string | null;
  author: NoteAuthor;
}

/**
 * The latest decision among a ticket's notes written by those who may decide, and the app's own
 * decisions. Ties go to the decision made in Teams (it carries the person).
 */
export function latestDecision(
  notes: readonly NoteFacts[],
  teams: readonly TriageDecision[],
  patterns: DecisionPatterns,
  deciders: TriageDeciders = 'analysts',
): TriageDecision | null {
  let best: TriageDecision | null = null;
  const consider = (d: TriageDecision): void => {
    if (!best || d.at.getTime() > best.at.getTime() || (d.at.getTime() === best.at.getTime() && d.source === 'teams')) best = d;
  };
  for (const n of notes) {
    if (!mayDecide(n.author, deciders)) continue;
    const kind = decisionOfNote(n.text, patterns);
    if (kind) consider({ kind, at: n.createdAt, by: n.createdBy, source: 'lgd' });
  }
  teams.forEach(consider);
  return best;
}
