import { describe, expect, it } from 'vitest';
import { deriveProcessState, isFinalState, PROCESS_STATES, type TicketFacts } from '../../bot/domain/process-state.js';
import { decisionOfNote, decisionPatterns, latestDecision } from '../../bot/domain/triage-decision.js';

const rules = { groups: ['LGSS-IT-Digital'], resolvedStatuses: ['Resolved', 'Closed'] };
const base: TicketFacts = { status: 'Active', groupTitle: 'LGSS-IT-Digital', userKey: null, decision: null };
const at = (s: string): Date => new Date(s);

describe('deriveProcessState', () => {
  it('follows the seed: triage, approve, own, project, reassign, resolve', () => {
    expect(deriveProcessState(base, rules)).toBe('needs_triage');
    const approved = { ...base, decision: { kind: 'approved' as const, at: at('2026-01-01'), by: 'Ann', source: 'lgd' as const } };
    expect(deriveProcessState(approved, rules)).toBe('approved_unassigned');
    expect(deriveProcessState({ ...approved, userKey: 'k1' }, rules)).toBe('owned');
    expect(deriveProcessState({ ...base, userKey: 'k1' }, rules)).toBe('owned');
    const project = { ...base, decision: { kind: 'project' as const, at: at('2026-01-01'), by: 'Ann', source: 'teams' as const } };
    expect(deriveProcessState(project, rules)).toBe('project');
    expect(deriveProcessState({ ...project, userKey: 'k1' }, rules)).toBe('project');
    // The Project path resolves the ticket itself: it stays a Project outcome.
    expect(deriveProcessState({ ...project, status: 'Resolved' }, rules)).toBe('project');
    expect(deriveProcessState({ ...base, groupTitle: 'Service Desk' }, rules)).toBe('reassigned');
    expect(deriveProcessState({ ...base, groupTitle: null }, rules)).toBe('reassigned');
    expect(deriveProcessState({ ...approved, userKey: 'k1', status: 'Resolved' }, rules)).toBe('resolved');
    expect(deriveProcessState({ ...base, groupTitle: 'Elsewhere', status: 'closed' }, rules)).toBe('resolved');
  });

  it('matches group titles without regard to case', () => {
    expect(deriveProcessState({ ...base, groupTitle: 'lgss-it-digital' }, rules)).toBe('needs_triage');
    // Case, not accents: a group spelt with an accent is another group.
    expect(deriveProcessState({ ...base, groupTitle: 'Service Désk' }, { ...rules, groups: ['service desk'] })).toBe('reassigned');
    expect(deriveProcessState({ ...base, groupTitle: 'SERVICE DÉSK' }, { ...rules, groups: ['service désk'] })).toBe('needs_triage');
    expect(deriveProcessState({ ...base, status: 'RESOLVED' }, rules)).toBe('resolved');
    expect(deriveProcessState({ ...base, status: 'Résolved' }, rules)).toBe('needs_triage');
  });
});

describe('triage decisions from notes', () => {
  const p = decisionPatterns({ approved: ['Approved'], project: ['Project'] });

  it('counts a note starting with Approved or Project, in any case', () => {
    expect(decisionOfNote('Approved', p)).toBe('approved');
    expect(decisionOfNote('  approved — Ann via Teams', p)).toBe('approved');
    expect(decisionOfNote('PROJECT: belongs to the portal backlog', p)).toBe('project');
    expect(decisionOfNote('Not approved yet', p)).toBeNull();
    expect(decisionOfNote('Approvedness', p)).toBeNull();
    expect(decisionOfNote('Projection of costs', p)).toBeNull();
  });

  it('takes configured words', () => {
    const custom = decisionPatterns({ approved: ['Approved', 'Support work'], project: ['Project', 'Backlog'] });
    expect(decisionOfNote('support work: fix the form', custom)).toBe('approved');
    expect(decisionOfNote('Backlog (see board)', custom)).toBe('project');
  });

  it('lets the latest decision of those who may decide win', () => {
    const analyst = { kind: 'analyst', team: false } as const;
    const notes = [
      { text: 'Approved', createdAt: at('2026-03-01T09:00:00Z'), createdBy: 'Ann', author: analyst },
      { text: 'Project — this is a new feature', createdAt: at('2026-03-01T10:00:00Z'), createdBy: 'Bob', author: analyst },
      { text: 'Called the user', createdAt: at('2026-03-01T11:00:00Z'), createdBy: 'Cy', author: analyst },
    ];
    expect(latestDecision(notes, [], p)).toMatchObject({ kind: 'project', by: 'Bob', source: 'lgd' });
    const teams = [{ kind: 'approved' as const, at: at('2026-03-01T12:00:00Z'), by: 'Dee', source: 'teams' as const }];
    expect(latestDecision(notes, teams, p)).toMatchObject({ kind: 'approved', by: 'Dee', source: 'teams' });
    expect(latestDecision([notes[2]!], [], p)).toBeNull();
  });
});

describe("where the team's work on a ticket ends", () => {
  it('is resolved, reassigned away or decided as project work; every other state still needs someone', () => {
    expect(PROCESS_STATES.filter(isFinalState)).toEqual(['project', 'reassigned', 'resolved']);
  });
});
