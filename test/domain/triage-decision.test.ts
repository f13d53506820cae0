/**
 * "Triaging is done by a lead developer, scrum master or other rota'd Operations Lead", who adds
 * a note "Approved" or "Project" (support-process.md). Decisions come from the team, never from
 * the customer who raised the ticket.
 */
import { describe, expect, it } from 'vitest';
import { authorDirectory, classifyNoteAuthor, legacyNoteAuthor } from '../../bot/domain/note-author.js';
import { mayDecide } from '../../bot/domain/triage-decision.js';
import { derive } from '../../bot/domain/ticket.js';
import { T0, directory, incident, note, rules, seen } from './ticket-fixtures.js';

describe('who wrote a note', () => {
  it('knows the app by its service account, analysts by LGD\'s list, and the customer by the raise user', () => {
    expect(classifyNoteAuthor('Teams Service', 'Pat Customer', directory)).toEqual({ kind: 'service', team: false });
    expect(classifyNoteAuthor('svc.teams', 'Pat Customer', directory).kind).toBe('service');
    expect(classifyNoteAuthor('  jane   DOE ', 'Pat Customer', directory)).toEqual({ kind: 'analyst', team: false });
    expect(classifyNoteAuthor('Ann Lead', 'Pat Customer', directory)).toEqual({ kind: 'analyst', team: true });
    expect(classifyNoteAuthor('Pat Customer', 'Pat Customer', directory)).toEqual({ kind: 'raise_user', team: false });
    expect(classifyNoteAuthor('Bob Somebody', 'Pat Customer', directory)).toEqual({ kind: 'other', team: false });
    expect(classifyNoteAuthor(null, 'Pat Customer', directory).kind).toBe('other');
    expect(classifyNoteAuthor('', null, directory).kind).toBe('other');
  });

  it('takes an analyst who raised the ticket for the customer they are there', () => {
    expect(classifyNoteAuthor('Jane Doe', 'Jane Doe', directory).kind).toBe('raise_user');
  });

  it('reads notes stored before authors were classified as the app did then, except the raise user', () => {
    expect(legacyNoteAuthor('Pat Customer', 'Pat Customer').kind).toBe('raise_user');
    expect(legacyNoteAuthor('Bob', 'Pat Customer').kind).toBe('analyst');
  });
});

describe('which notes are triage decisions', () => {
  it('an analyst may decide; the app decides for the person in Teams; a customer and a stranger never', () => {
    expect(mayDecide({ kind: 'analyst', team: false }, 'analysts')).toBe(true);
    expect(mayDecide({ kind: 'service', team: false }, 'analysts')).toBe(true);
    expect(mayDecide({ kind: 'raise_user', team: true }, 'analysts')).toBe(false);
    expect(mayDecide({ kind: 'other', team: false }, 'analysts')).toBe(false);
  });

  it('with TRIAGE_DECIDERS=team, only the analysts the team knows (and the app)', () => {
    expect(mayDecide({ kind: 'analyst', team: false }, 'team')).toBe(false);
    expect(mayDecide({ kind: 'analyst', team: true }, 'team')).toBe(true);
    expect(mayDecide({ kind: 'service', team: false }, 'team')).toBe(true);
  });
});

describe('a ticket\'s decision', () => {
  it('a customer\'s "Project deadline is Friday, please hurry" does not make it project work', () => {
    const t = seen(incident(), [note('Project deadline is Friday, please hurry', 'Pat Customer', -30)]);
    expect(t).toMatchObject({ state: 'needs_triage', decision: null });
  });

  it('a customer typing "Approved — Bob via Teams" does not approve it', () => {
    const t = seen(incident(), [note('Approved — Bob via Teams', 'Pat Customer', -30)]);
    expect(t).toMatchObject({ state: 'needs_triage', decision: null });
  });

  it('nor does someone LGD does not list as an analyst', () => {
    expect(seen(incident(), [note('Approved', 'Portal Integration', -30)]).decision).toBeNull();
  });

  it('an analyst\'s "Approved" approves it, and names the analyst', () => {
    const t = seen(incident(), [note('Approved: a broken form', 'Jane Doe', -30)]);
    expect(t).toMatchObject({ state: 'approved_unassigned', decision: { kind: 'approved', by: 'Jane Doe', source: 'lgd' } });
  });

  it('the app\'s own "Project — Ann Lead via Teams" decides, naming Ann, not the service account', () => {
    const t = seen(incident(), [note('Project — Ann Lead via Teams (ref 1a2b3c4d)', 'Teams Service', -30)]);
    expect(t).toMatchObject({ state: 'project', decision: { kind: 'project', by: 'Ann Lead', source: 'lgd' } });
  });

  it('a customer\'s later note does not overturn the analyst\'s decision', () => {
    const t = seen(incident(), [note('Approved', 'Jane Doe', -30), note('Project is urgent!!', 'Pat Customer', -10)]);
    expect(t.decision).toMatchObject({ kind: 'approved', by: 'Jane Doe' });
  });

  it('with TRIAGE_DECIDERS=team, an analyst outside the team does not decide; a lead does', () => {
    const team = { ...rules, deciders: 'team' as const };
    expect(seen(incident(), [note('Approved', 'Jane Doe', -30)], team).decision).toBeNull();
    expect(seen(incident(), [note('Approved', 'Ann Lead', -30)], team).decision).toMatchObject({ kind: 'approved', by: 'Ann Lead' });
  });

  it('a note without a classified author (stored before) still counts unless the customer wrote it', () => {
    const t = seen(incident(), []);
    const legacy = (text: string, createdBy: string) => ({ key: text, title: text, text, createdAt: T0, createdBy, notifyRaiseUser: false });
    expect(derive({ ...t, notes: [legacy('Approved', 'Old Analyst')] }, rules, T0).decision).toMatchObject({ kind: 'approved' });
    expect(derive({ ...t, notes: [legacy('Approved', 'Pat Customer')] }, rules, T0).decision).toBeNull();
  });

  it('the directory matches titles whatever their spacing and case', () => {
    const d = authorDirectory({ service: [' SVC.Teams '], analysts: ['Ann  Lead'], team: [] });
    expect(classifyNoteAuthor('svc.teams', null, d).kind).toBe('service');
    expect(classifyNoteAuthor('ann lead', null, d).kind).toBe('analyst');
  });
});
