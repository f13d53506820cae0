import { describe, expect, it } from 'vitest';
import { PROCESS_STATES, type ProcessState } from '../../../bot/domain/process-state.js';
import { VERBS, type TicketCardModel } from '../../../bot/teams/cards/card-model.js';
import { ticketCard, ticketCardHash } from '../../../bot/teams/cards/ticket-card.js';
import { buttons, executeActions, facts, model, NOW, sizeOf, team, textBlock, texts, VIEWERS, type ViewerKind } from './card-fixtures.js';
import { checkCard } from './parse-card.js';

const OWNED = { state: 'owned', owner: 'Olive Owner', decision: { kind: 'approved', by: 'Ann Lead', at: new Date('2026-11-26T09:32:00Z'), source: 'teams' } } as const;

function modelIn(state: ProcessState): TicketCardModel {
  if (state === 'owned') return model(OWNED);
  if (state === 'reassigned') return model({ state, group: 'Service Desk' });
  return model({ state });
}

const data = { ticketKey: 'lgd-4711', v: 7 };

describe('ticketCard: every state for every kind of viewer', () => {
  const cases = PROCESS_STATES.flatMap((state) => (Object.keys(VIEWERS) as ViewerKind[]).map((kind) => [state, kind] as const));

  it.each(cases)('%s seen by %s parses with no errors and no warnings', (state, kind) => {
    const card = ticketCard(modelIn(state), VIEWERS[kind], team());
    expect(card.version).toBe('1.5');
    expect(checkCard(card).problems).toEqual([]);
  });

  it.each(cases)('%s seen by %s: every Action.Execute has a known verb and { ticketKey, v }', (state, kind) => {
    const actions = executeActions(ticketCard(modelIn(state), VIEWERS[kind], team()));
    for (const a of actions) {
      expect(VERBS).toContain(a.verb);
      expect(a.data).toEqual(data);
    }
  });

  it.each(cases)('%s seen by %s ends with "Open in LGD"', (state, kind) => {
    const last = buttons(ticketCard(modelIn(state), VIEWERS[kind], team())).at(-1);
    expect(last).toEqual({ type: 'Action.OpenUrl', title: 'Open in LGD', url: 'https://lgd.example.org/ticket/4711' });
  });
});

describe('ticketCard: what people see', () => {
  const titles = (state: ProcessState, kind: ViewerKind) => buttons(ticketCard(modelIn(state), VIEWERS[kind], team())).map((b) => b.title);

  it('a triager sees Approve, Project, Reassign and Open in LGD on a ticket that needs triage', () => {
    const b = buttons(ticketCard(model(), VIEWERS.triager, team()));
    expect(b).toEqual([
      { type: 'Action.Execute', title: 'Approve', verb: 'approve', data, style: 'positive' },
      { type: 'Action.Execute', title: 'Project', verb: 'projectForm', data },
      { type: 'Action.Execute', title: 'Reassign', verb: 'reassignForm', data },
      { type: 'Action.OpenUrl', title: 'Open in LGD', url: 'https://lgd.example.org/ticket/4711' },
    ]);
    expect(texts(ticketCard(model(), VIEWERS.triager, team())).some((t) => t.startsWith('Triage today'))).toBe(false);
  });

  it('a developer sees no triage buttons on a ticket that needs triage, and who triages today', () => {
    const card = ticketCard(model(), VIEWERS.developer, team());
    expect(buttons(card).map((b) => b.title)).toEqual(['Open in LGD']);
    expect(texts(card)).toContain('Triage today: Ann Lead');
  });

  it('says so when nobody is on the triage rota today', () => {
    const card = ticketCard(model(), VIEWERS.developer, team({ triagerToday: null }));
    expect(texts(card)).toContain('Nobody is on the triage rota today');
    expect(texts(card).some((t) => t.startsWith('Triage today'))).toBe(false);
  });

  it('the shared card has a refresh for the given users and no triage buttons', () => {
    const card = ticketCard(model(), null, team({ refreshUserIds: ['29:bob', '29:ann', '29:bob'] }));
    expect(card.refresh).toEqual({ action: { type: 'Action.Execute', verb: 'refresh', data }, userIds: ['29:ann', '29:bob'] });
    expect(buttons(card).map((b) => b.title)).toEqual(['Open in LGD']);
    expect(texts(card)).toContain('Triage today: Ann Lead');
  });

  it('the shared card has no refresh when nobody is listed, and at most 60 users', () => {
    expect(ticketCard(model(), null, team({ refreshUserIds: [] }))).not.toHaveProperty('refresh');
    const many = Array.from({ length: 75 }, (_, i) => `29:user-${String(i).padStart(2, '0')}`);
    const card = ticketCard(model(), null, team({ refreshUserIds: many }));
    expect((card.refresh as { userIds: string[] }).userIds).toHaveLength(60);
    expect(checkCard(card).problems).toEqual([]);
  });

  it('anyone may take an approved ticket; triagers may also decide Project (the work turned out bigger) or reassign it', () => {
    expect(titles('approved_unassigned', 'shared')).toEqual(['Take ownership', 'Open in LGD']);
    expect(titles('approved_unassigned', 'developer')).toEqual(['Take ownership', 'Open in LGD']);
    expect(titles('approved_unassigned', 'triager')).toEqual(['Take ownership', 'Project', 'Reassign', 'Open in LGD']);
    expect(buttons(ticketCard(model({ state: 'approved_unassigned' }), VIEWERS.triager, team()))[1]).toEqual({ type: 'Action.Execute', title: 'Project', verb: 'projectForm', data });
    const take = buttons(ticketCard(model({ state: 'approved_unassigned' }), null, team()))[0];
    expect(take).toEqual({ type: 'Action.Execute', title: 'Take ownership', verb: 'takeOwnership', data, style: 'positive' });
    expect(texts(ticketCard(model({ state: 'approved_unassigned' }), null, team()))).toContain('Approved — waiting for an owner');
  });

  it('an owned card shows the owner; only the owner may resolve; everyone may discuss; triagers may decide Project; the owner (handing back) and triagers may reassign', () => {
    const card = ticketCard(model(OWNED), VIEWERS.owner, team());
    expect(texts(card)).toContain('Owned by Olive Owner');
    expect(facts(card).Owner).toBe('Olive Owner');
    expect(buttons(card).slice(0, 4)).toEqual([
      { type: 'Action.Execute', title: 'Update the user', verb: 'updateUserForm', data },
      { type: 'Action.Execute', title: 'This will take more than three working days', verb: 'longWorkForm', data },
      { type: 'Action.Execute', title: 'Resolve', verb: 'resolveForm', data, style: 'positive' },
      { type: 'Action.Execute', title: 'Discuss', verb: 'discuss', data },
    ]);
    expect(titles('owned', 'owner')).toEqual(['Update the user', 'This will take more than three working days', 'Resolve', 'Discuss', 'Reassign', 'Open in LGD']);
    expect(texts(ticketCard(model({ ...OWNED, lastUserUpdate: null }), VIEWERS.owner, team()))).toContain('The user last heard from the team: never');
    // The button names the team's own guideline, not the seed's number.
    const five = ticketCard(model(OWNED), VIEWERS.owner, { ...team(), guidelines: { maxOwned: 3, updateEveryWorkingDays: 1, longWorkDays: 5 } });
    expect(buttons(five).map((b) => b.title)).toContain('This will take more than five working days');
    expect(titles('owned', 'developer')).toEqual(['Discuss', 'Open in LGD']);
    expect(titles('owned', 'shared')).toEqual(['Discuss', 'Open in LGD']);
    expect(titles('owned', 'triager')).toEqual(['Discuss', 'Project', 'Reassign', 'Open in LGD']);
    expect(titles('owned', 'triager')).not.toContain('Resolve');
  });

  it.each(['project', 'reassigned', 'resolved'] as const)('a %s ticket offers only Open in LGD, to anyone', (state) => {
    for (const kind of Object.keys(VIEWERS) as ViewerKind[]) expect(titles(state, kind)).toEqual(['Open in LGD']);
  });

  it('each state has its own line and colour', () => {
    const line = (m: TicketCardModel) => texts(ticketCard(m, null, team()))[2];
    expect(line(model())).toBe('Needs triage');
    expect(textBlock(ticketCard(model(), null, team()), 'Needs triage')?.color).toBe('warning');
    expect(textBlock(ticketCard(model({ state: 'approved_unassigned' }), null, team()), 'Approved — waiting')?.color).toBe('good');
    expect(textBlock(ticketCard(model(OWNED), null, team()), 'Owned by')?.color).toBe('accent');
    expect(line(model({ state: 'project' }))).toBe('Project work — moved to a backlog');
    expect(line(model({ state: 'reassigned', group: 'Service Desk' }))).toBe('Reassigned to Service Desk');
    expect(line(model({ state: 'resolved' }))).toBe('Resolved');
  });

  it('shows the header, the facts and the description', () => {
    const card = ticketCard(model(), null, team());
    expect(texts(card).slice(0, 2)).toEqual(['LGD 4711', 'Payroll export fails for Northamptonshire schools']);
    expect(facts(card)).toEqual({
      'Raised by': 'Sam User',
      Raised: 'Mon 23 Nov 14:05 (2 days ago)',
      Priority: 'P3',
      Category: 'Application / Payroll',
      Group: 'LGSS-IT-Digital',
      Owner: 'Nobody yet',
      'LGD status': 'Open',
    });
    const description = textBlock(card, 'nightly payroll');
    expect(description).toMatchObject({ wrap: true, maxLines: 4 });
  });

  it('says who decided, where and when', () => {
    expect(texts(ticketCard(model(OWNED), null, team()))).toContain('Approved by Ann Lead via Teams · 09:32');
    const inLgd = model({ state: 'project', decision: { kind: 'project', by: 'Bea Lead', at: new Date('2026-11-24T16:00:00Z'), source: 'lgd' } });
    expect(texts(ticketCard(inLgd, null, team()))).toContain('Marked as project work by Bea Lead in LGD · Tue 24 Nov 16:00');
    expect(texts(ticketCard(model(), null, team())).some((t) => t.includes(' by ') && t.includes(' · '))).toBe(false);
  });

  it('shows writes queued for LGD and LGD refusals', () => {
    const plain = texts(ticketCard(model(), null, team()));
    expect(plain.some((t) => t.startsWith('Queued for LGD'))).toBe(false);
    expect(plain.some((t) => t.startsWith('LGD refused'))).toBe(false);
    const card = ticketCard(model({ queuedForLgd: 1, refusal: 'The ticket is locked by another user.' }), null, team());
    expect(texts(card)).toContain('Queued for LGD — not confirmed by LGD yet');
    expect(textBlock(card, 'LGD refused the last change: The ticket is locked by another user.')?.color).toBe('attention');
    expect(texts(ticketCard(model({ queuedForLgd: 3 }), null, team()))).toContain('Queued for LGD — not confirmed by LGD yet (3 changes)');
  });

  it('shows a notice in the colour of its kind', () => {
    const colour = { info: 'accent', warning: 'warning', error: 'attention' } as const;
    for (const kind of ['info', 'warning', 'error'] as const) {
      const card = ticketCard(model(), VIEWERS.triager, team(), { kind, text: `A ${kind} notice` });
      expect(textBlock(card, `A ${kind} notice`)?.color).toBe(colour[kind]);
      expect(checkCard(card).problems).toEqual([]);
    }
  });
});

describe('ticketCard: dates in the team time zone', () => {
  it('renders a winter date in GMT', () => {
    const card = ticketCard(model({ raisedAt: new Date('2026-11-23T14:05:00Z') }), null, team({ now: new Date('2026-11-26T14:06:00Z') }));
    expect(facts(card).Raised).toBe('Mon 23 Nov 14:05 (3 days ago)');
  });

  it('renders a summer date in BST (an hour ahead of UTC)', () => {
    const card = ticketCard(model({ raisedAt: new Date('2026-07-13T13:05:00Z') }), null, team({ now: new Date('2026-07-13T16:35:00Z') }));
    expect(facts(card).Raised).toBe('Mon 13 Jul 14:05 (3 hours ago)');
  });

  it('adds the year for a date in another year, and follows a configured zone', () => {
    const card = ticketCard(model({ raisedAt: new Date('2025-12-30T23:30:00Z') }), null, team({ now: new Date('2026-01-02T00:00:00Z') }));
    expect(facts(card).Raised).toBe('Tue 30 Dec 2025 23:30 (2 days ago)');
    const ny = ticketCard(model({ raisedAt: new Date('2026-11-23T14:05:00Z') }), null, team({ timeZone: 'America/New_York' }));
    expect(facts(ny).Raised).toMatch(/^Mon 23 Nov 09:05 /);
  });

  it('words ages from minutes to months', () => {
    const raised = (now: string) => facts(ticketCard(model({ raisedAt: new Date('2026-11-23T14:05:00Z') }), null, team({ now: new Date(now) }))).Raised;
    expect(raised('2026-11-23T14:05:30Z')).toMatch(/\(just now\)$/);
    expect(raised('2026-11-23T14:06:00Z')).toMatch(/\(1 minute ago\)$/);
    expect(raised('2026-11-23T15:04:00Z')).toMatch(/\(59 minutes ago\)$/);
    expect(raised('2026-11-24T14:05:00Z')).toMatch(/\(1 day ago\)$/);
    expect(raised('2027-02-23T14:05:00Z')).toMatch(/\(3 months ago\)$/);
  });
});

describe('ticketCard: size', () => {
  const worst = model({
    title: 'T'.repeat(300),
    description: 'word '.repeat(1000),
    raisedBy: 'R'.repeat(100),
    category: 'C'.repeat(100),
    queuedForLgd: 9,
    refusal: 'x'.repeat(1000),
    state: 'owned',
    owner: 'O'.repeat(100),
    decision: { kind: 'approved', by: 'B'.repeat(100), at: NOW, source: 'teams' },
  });
  const userIds = Array.from({ length: 60 }, (_, i) => `29:1${'a'.repeat(60)}${i}`);

  it('the worst case stays under 12 KB for every viewer and parses clean', () => {
    for (const viewer of [null, VIEWERS.triager, { ...VIEWERS.owner, canTriage: true }]) {
      const card = ticketCard(worst, viewer, team({ refreshUserIds: userIds }), { kind: 'warning', text: 'n'.repeat(200) });
      expect(sizeOf(card)).toBeLessThan(12 * 1024);
      expect(checkCard(card).problems).toEqual([]);
    }
  });

  it('trims the description to about 300 characters and the title to about 150, with an ellipsis', () => {
    const card = ticketCard(worst, null, team());
    const description = textBlock(card, 'word word')?.text as string;
    expect(description.length).toBeLessThanOrEqual(300);
    expect(description.length).toBeGreaterThan(250);
    expect(description.endsWith('…')).toBe(true);
    const title = texts(card)[1] as string;
    expect(title).toHaveLength(150);
    expect(title.endsWith('…')).toBe(true);
  });

  it('leaves a short description whole', () => {
    expect(texts(ticketCard(model(), null, team()))).toContain('Since Monday the nightly payroll export stops half way with a timeout.');
  });
});

describe('ticketCardHash', () => {
  it('does not change as time passes', () => {
    const m = model({ decision: { kind: 'approved', by: 'Ann', at: new Date('2026-11-26T09:00:00Z'), source: 'teams' } });
    expect(ticketCardHash(m, team())).toBe(ticketCardHash(m, team({ now: new Date('2026-12-25T12:00:00Z') })));
  });

  it('changes when what the shared card shows changes', () => {
    const h = ticketCardHash(model(), team());
    expect(ticketCardHash(model({ state: 'approved_unassigned' }), team())).not.toBe(h);
    expect(ticketCardHash(model({ version: 8 }), team())).not.toBe(h);
    expect(ticketCardHash(model({ queuedForLgd: 1 }), team())).not.toBe(h);
    expect(ticketCardHash(model(), team({ triagerToday: 'Bea Lead' }))).not.toBe(h);
    expect(ticketCardHash(model(), team({ refreshUserIds: ['29:ann'] }))).not.toBe(h);
  });

  it('is short and does not depend on the order of the refresh users', () => {
    const h = ticketCardHash(model(), team({ refreshUserIds: ['29:a', '29:b'] }));
    expect(h).toMatch(/^[\w-]{20,40}$/);
    expect(ticketCardHash(model(), team({ refreshUserIds: ['29:b', '29:a'] }))).toBe(h);
  });
});

describe('text from LGD is shown as text', () => {
  it('does not let a ticket title or description become a link or formatting', () => {
    const card = ticketCard(
      model({ title: '[Reset your password](https://evil.example) *now*', description: 'Click [here](https://evil.example) and _hurry_' }),
      null,
      team(),
    );
    const json = JSON.stringify(card);
    expect(json).not.toMatch(/\[Reset your password\]\(/);
    expect(json).not.toMatch(/\[here\]\(/);
    expect(json).not.toMatch(/\*now\*/);
    expect(json).toContain('Reset your password');
    expect(checkCard(card).problems).toEqual([]);
  });
});
