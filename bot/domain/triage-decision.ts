import type { TriageDecision } from './process-state.js';

/** Note-text patterns that count as triage decisions (configurable; the seed says "Approved" / "Project"). */
export interface DecisionPatterns {
  approved: RegExp;
  project: RegExp;
}

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

/** A note as the decision rule sees it. */
export interface NoteFacts {
  text: string;
  createdAt: Date;
  createdBy: string | null;
}

/**
 * The latest decision among a ticket's notes and the app's own decisions; whoever typed the
 * note, as the seed says. Ties go to the decision made in Teams (it carries the person).
 */
export function latestDecision(
  notes: readonly NoteFacts[],
  teams: readonly TriageDecision[],
  patterns: DecisionPatterns,
): TriageDecision | null {
  let best: TriageDecision | null = null;
  const consider = (d: TriageDecision): void => {
    if (!best || d.at.getTime() > best.at.getTime() || (d.at.getTime() === best.at.getTime() && d.source === 'teams')) best = d;
  };
  for (const n of notes) {
    const kind = decisionOfNote(n.text, patterns);
    if (kind) consider({ kind, at: n.createdAt, by: n.createdBy, source: 'lgd' });
  }
  teams.forEach(consider);
  return best;
}
