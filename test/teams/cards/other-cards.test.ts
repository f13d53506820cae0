import { describe, expect, it } from 'vitest';
import { helpCard } from '../../../bot/teams/cards/help-card.js';
import { listCard, type ListRow } from '../../../bot/teams/cards/list-card.js';
import { messageCard } from '../../../bot/teams/cards/message-card.js';
import { SEED_GUIDELINES } from '../../../bot/domain/guidelines.js';
import { ownershipWarningNotice, withTellLeadAction } from '../../../bot/teams/cards/ownership-warning.js';
import { ticketCard } from '../../../bot/teams/cards/ticket-card.js';
import type { AdaptiveCard } from '../../../bot/teams/cards/card-model.js';
import { buttons, facts, model, sizeOf, team, textBlock, texts, VIEWERS, walk } from './card-fixtures.js';
import { checkCard } from './parse-card.js';

describe('messageCard', () => {
  it('shows a title, the text, facts and links, and parses clean', () => {
    const card = messageCard({
      title: 'LGD refused a change',
      text: 'LGD refused to take ownership of LGD 4711: the ticket is locked.',
      kind: 'error',
      facts: [{ title: 'Ticket', value: 'LGD 4711' }],
      actions: [{ title: 'Open in LGD', url: 'https://lgd.example.org/ticket/4711' }],
    });
    expect(checkCard(card).problems).toEqual([]);
    expect(textBlock(card, 'LGD refused a change')).toMatchObject({ weight: 'bolder', color: 'attention' });
    expect(texts(card)).toContain('LGD refused to take ownership of LGD 4711: the ticket is locked.');
    expect(facts(card)).toEqual({ Ticket: 'LGD 4711' });
    expect(buttons(card)).toEqual([{ type: 'Action.OpenUrl', title: 'Open in LGD', url: 'https://lgd.example.org/ticket/4711' }]);
  });

  it('is plain for info and has no empty FactSet or ActionSet', () => {
    const card = messageCard({ title: 'Not mapped yet', text: "You're not mapped to an LGD analyst yet; ask the Operations Lead." });
    expect(checkCard(card).problems).toEqual([]);
    expect(textBlock(card, 'Not mapped yet')).not.toHaveProperty('color');
    expect(card.body).toHaveLength(2);
    expect(textBlock(messageCard({ title: 'Careful', text: 't', kind: 'warning', facts: [], actions: [] }), 'Careful')?.color).toBe('warning');
  });
});

describe('ownership warning', () => {
  const data = { ticketKey: 'lgd-4711', v: 8 };

  it('warns about the guideline and names the lead when known', () => {
    expect(ownershipWarningNotice(4, null, SEED_GUIDELINES)).toEqual({
      kind: 'warning',
      text: "You now own 4 tickets; the team's guideline is three at most. If that's too many to manage, tell the Operations Lead.",
    });
    expect(ownershipWarningNotice(5, 'Ann Lead', SEED_GUIDELINES).text).toBe(
      "You now own 5 tickets; the team's guideline is three at most. If that's too many to manage, tell the Operations Lead (Ann Lead).",
    );
  });

  it("says the configured number, not the seed's", () => {
    expect(ownershipWarningNotice(6, null, { ...SEED_GUIDELINES, maxOwned: 5 }).text).toContain("the team's guideline is five at most.");
    expect(ownershipWarningNotice(13, null, { ...SEED_GUIDELINES, maxOwned: 12 }).text).toContain("the team's guideline is 12 at most.");
  });

  it('adds "Tell the Operations Lead" before Open in LGD on the owner card, leaving the original alone', () => {
    const owned = model({ state: 'owned', owner: 'Olive Owner', version: 8 });
    const original = ticketCard(owned, VIEWERS.owner, team(), ownershipWarningNotice(4, 'Ann Lead', SEED_GUIDELINES));
    const before = JSON.stringify(original);
    const card = withTellLeadAction(original, data);
    expect(JSON.stringify(original)).toBe(before);
    expect(buttons(card).map((b) => b.title)).toEqual(['Update the user', 'This will take more than three working days', 'Resolve', 'Discuss', 'Reassign', 'Tell the Operations Lead', 'Open in LGD']);
    expect(buttons(card)[5]).toEqual({ type: 'Action.Execute', title: 'Tell the Operations Lead', verb: 'notifyLead', data });
    expect(texts(card)).toContain(ownershipWarningNotice(4, 'Ann Lead', SEED_GUIDELINES).text);
    expect(checkCard(card).problems).toEqual([]);
  });

  it('adds an ActionSet to a card that has none', () => {
    const card = withTellLeadAction(messageCard({ title: 'You took LGD 4711', text: 'It is yours now.' }), data);
    expect(buttons(card)).toEqual([{ type: 'Action.Execute', title: 'Tell the Operations Lead', verb: 'notifyLead', data }]);
    expect(checkCard(card).problems).toEqual([]);
  });
});

describe('listCard', () => {
  const row = (i: number): ListRow => ({
    title: `LGD ${1000 + i} — Something broke number ${i}`,
    subtitle: 'Needs triage · raised 2 days ago',
    facts: [{ title: 'Owner', value: 'Nobody yet' }],
    url: `https://lgd.example.org/ticket/${1000 + i}`,
  });
  const rowsOf = (card: AdaptiveCard) => walk(card.body).filter(({ node }) => node.type === 'Container');

  it('shows each row as a container with a bold title, a subtle subtitle, facts and a link', () => {
    const card = listCard({ title: 'My tickets', subtitle: 'Owned by you', rows: [row(1), { title: 'Bare row' }], empty: 'None.', footer: 'Use "help" for more.' });
    expect(checkCard(card).problems).toEqual([]);
    const [first, bare] = rowsOf(card).map(({ node }) => node);
    expect(first).toMatchObject({ selectAction: { type: 'Action.OpenUrl', url: 'https://lgd.example.org/ticket/1001' } });
    expect(textBlock(card, 'LGD 1001')).toMatchObject({ weight: 'bolder' });
    expect(textBlock(card, 'Needs triage · raised')).toMatchObject({ isSubtle: true });
    expect(bare).not.toHaveProperty('selectAction');
    expect(bare?.items).toHaveLength(1);
    expect(texts(card)).toContain('Owned by you');
    expect(texts(card)).toContain('Use "help" for more.');
    expect(texts(card)).not.toContain('None.');
  });

  it('says the list is empty', () => {
    const card = listCard({ title: 'Waiting', rows: [], empty: 'Nothing is waiting for an owner.' });
    expect(checkCard(card).problems).toEqual([]);
    expect(texts(card)).toEqual(['Waiting', 'Nothing is waiting for an owner.']);
  });

  it('shows at most 15 rows and says how many more there are', () => {
    const card = listCard({ title: 'Waiting', rows: Array.from({ length: 40 }, (_, i) => row(i)), empty: 'None.', footer: 'Oldest first.' });
    expect(rowsOf(card)).toHaveLength(15);
    expect(texts(card).at(-1)).toBe('…and 25 more · Oldest first.');
    expect(checkCard(card).problems).toEqual([]);
    expect(sizeOf(card)).toBeLessThan(12 * 1024);
    expect(texts(listCard({ title: 'W', rows: Array.from({ length: 15 }, (_, i) => row(i)), empty: 'None.' })).some((t) => t.includes('more'))).toBe(false);
  });
});

describe('helpCard', () => {
  it('lists the commands and the note', () => {
    const card = helpCard(
      [
        { command: 'mine', description: 'Tickets you own' },
        { command: 'waiting', description: 'Approved tickets nobody owns yet' },
      ],
      'Buttons on ticket cards do the rest.',
    );
    expect(checkCard(card).problems).toEqual([]);
    expect(facts(card)).toEqual({ mine: 'Tickets you own', waiting: 'Approved tickets nobody owns yet' });
    expect(texts(card).at(-1)).toBe('Buttons on ticket cards do the rest.');
  });

  it('parses clean with no commands', () => {
    const card = helpCard([]);
    expect(checkCard(card).problems).toEqual([]);
    expect(texts(card)).toEqual(['What I can do']);
  });
});
