import { describe, expect, it } from 'vitest';
import { BACKLOG_TITLE_MAX, checkProject, decideProject, PROJECT_STATES, USER_MESSAGE_MAX } from '../../bot/domain/commands.js';
import { PROCESS_STATES, type ProcessState } from '../../bot/domain/process-state.js';
import type { Ticket } from '../../bot/domain/ticket.js';

const NOW = new Date('2026-11-27T10:00:00Z');

function ticket(state: ProcessState): Ticket {
  return {
    _id: 'k-1',
    lgd: {
      id: 4711,
      title: 'Payroll export',
      description: '',
      status: 'Active',
      groupTitle: 'LGSS-IT-Digital',
      groupKey: 'g-1',
      userTitle: state === 'owned' ? 'Olive Owner' : null,
      userKey: state === 'owned' ? 'a-olive' : null,
      raiseUser: 'Pat User',
      priority: null,
      category: null,
      createdAt: NOW,
      lastUpdate: NOW,
    },
    notes: [],
    outbox: [],
    decision: null,
    state,
    stateChangedAt: NOW,
    owner: state === 'owned' ? { key: 'a-olive', title: 'Olive Owner' } : null,
    groupTitle: 'LGSS-IT-Digital',
    firstSeenAt: NOW,
    syncedAt: NOW,
    version: 3,
  };
}

const input = { message: ' This is new work. ', backlogTitle: '  New   report ', area: ' Adult  Social Care ' };
const ctx = { by: { name: 'Ann Lead' }, now: NOW, newId: (() => { let n = 0; return () => `id-${++n}`; })() };

describe('checkProject', () => {
  it('allows Project before triage and once the work turns out bigger (approved or owned), nowhere else', () => {
    expect([...PROJECT_STATES].sort()).toEqual(['approved_unassigned', 'needs_triage', 'owned']);
    for (const s of PROCESS_STATES) {
      const r = checkProject(ticket(s));
      expect(r.ok, s).toBe(PROJECT_STATES.includes(s));
      if (!r.ok) expect(r).toMatchObject({ code: 'WRONG_STATE', message: expect.stringMatching(/^Ticket 4711 is .+, so it cannot be decided as project work now\.$/) });
    }
  });

  it('tidies the input, and refuses an empty or over-long message, an empty or over-long title and a bad area name', () => {
    expect(checkProject(ticket('owned'), input)).toEqual({ ok: true, input: { message: 'This is new work.', backlogTitle: 'New report', area: 'Adult Social Care' } });
    expect(checkProject(ticket('owned'), { ...input, area: '  ' })).toMatchObject({ ok: true, input: { area: null } });
    expect(checkProject(ticket('owned'), { ...input, area: null })).toMatchObject({ ok: true, input: { area: null } });
    const refusal = (over: Partial<typeof input>) => checkProject(ticket('needs_triage'), { ...input, ...over });
    expect(refusal({ message: '  ' })).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: 'Write the message to the user: LGD sends it to them.' });
    expect(refusal({ message: 'x'.repeat(USER_MESSAGE_MAX + 1) })).toMatchObject({ ok: false, message: `The message to the user is ${USER_MESSAGE_MAX + 1} characters; keep it to ${USER_MESSAGE_MAX} at most.` });
    expect(refusal({ backlogTitle: ' ' })).toMatchObject({ ok: false, message: 'Give the backlog item a title.' });
    expect(refusal({ backlogTitle: 't'.repeat(BACKLOG_TITLE_MAX + 1) })).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(refusal({ area: 'a'.repeat(101) })).toMatchObject({ ok: false, message: 'An area name has at most 100 characters.' });
  });
});

describe('decideProject', () => {
  it.each(['needs_triage', 'approved_unassigned', 'owned'] as const)('on a ticket that is %s queues the note, the message and the resolve', (state) => {
    const r = decideProject(ticket(state), { ...input, categoryKey: 'cat-project' }, ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.entries.map((e) => e.write)).toEqual([
      { kind: 'note', text: 'Project', decision: 'project' },
      { kind: 'end_user_update', text: 'This is new work.' },
      { kind: 'resolve', categoryKey: 'cat-project', description: 'Project work: moved to the Adult Social Care backlog as "New report".' },
    ]);
  });

  it('says "the backlog" when no area was named, and refuses where checkProject does', () => {
    const r = decideProject(ticket('needs_triage'), { ...input, area: null, categoryKey: 'c' }, ctx);
    expect(r.ok && r.entries[2]?.write).toEqual({ kind: 'resolve', categoryKey: 'c', description: 'Project work: moved to the backlog as "New report".' });
    expect(decideProject(ticket('resolved'), { ...input, categoryKey: 'c' }, ctx)).toMatchObject({ ok: false, code: 'WRONG_STATE' });
    expect(decideProject(ticket('owned'), { ...input, message: '', categoryKey: 'c' }, ctx)).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });
});
