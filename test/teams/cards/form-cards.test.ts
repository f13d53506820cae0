import { describe, expect, it } from 'vitest';
import { projectFormCard } from '../../../bot/teams/cards/project-form-card.js';
import { reassignFormCard } from '../../../bot/teams/cards/reassign-form-card.js';
import { resolveFormCard } from '../../../bot/teams/cards/resolve-form-card.js';
import { buttons, input, model, sizeOf, team, textBlock, texts } from './card-fixtures.js';
import { checkCard } from './parse-card.js';

const data = { ticketKey: 'lgd-4711', v: 7 };
const cancel = { type: 'Action.Execute', title: 'Cancel', verb: 'refresh', data, associatedInputs: 'none' };

describe('reassignFormCard', () => {
  it('parses clean, with Teams typeahead over lgd.targets', () => {
    const report = checkCard(reassignFormCard(model(), team()));
    expect(report.problems).toEqual([]);
    expect(report.dataQueries).toEqual({ target: { type: 'Data.Query', dataset: 'lgd.targets' } });
  });

  it('asks where to and why, under the ticket header', () => {
    const card = reassignFormCard(model(), team());
    expect(texts(card).slice(0, 2)).toEqual(['LGD 4711', 'Payroll export fails for Northamptonshire schools']);
    expect(input(card, 'target')).toMatchObject({
      type: 'Input.ChoiceSet',
      label: 'Send it to',
      style: 'filtered',
      isRequired: true,
      choices: [],
      'choices.data': { type: 'Data.Query', dataset: 'lgd.targets' },
    });
    expect(input(card, 'target')?.errorMessage).toEqual(expect.any(String));
    expect(input(card, 'reason')).toMatchObject({ type: 'Input.Text', label: 'Why', isMultiline: true, isRequired: true, maxLength: 500 });
    expect(input(card, 'reason')).not.toHaveProperty('value');
  });

  it('submits its inputs with Reassign; Cancel goes back without them', () => {
    expect(buttons(reassignFormCard(model(), team()))).toEqual([
      { type: 'Action.Execute', title: 'Reassign', verb: 'reassign', data, style: 'positive', associatedInputs: 'auto' },
      cancel,
    ]);
  });

  it('keeps the reason and shows the error when sent back', () => {
    const card = reassignFormCard(model(), team(), { reason: 'Belongs to networks', error: 'Choose where it goes.' });
    expect(input(card, 'reason')?.value).toBe('Belongs to networks');
    expect(textBlock(card, 'Choose where it goes.')?.color).toBe('attention');
    expect(checkCard(card).problems).toEqual([]);
  });
});

describe('projectFormCard', () => {
  const areas = [{ area: 'Adult Social Care' }, { area: 'Education' }];
  const opts = { areas, defaultMessage: 'Hello, this is project work; we will be in touch.' };

  it('parses clean', () => {
    expect(checkCard(projectFormCard(model(), team(), opts)).problems).toEqual([]);
  });

  it('offers the message, the area and the backlog title, prefilled with defaults', () => {
    const card = projectFormCard(model(), team(), opts);
    expect(input(card, 'message')).toMatchObject({
      type: 'Input.Text',
      label: 'Message to the user',
      isMultiline: true,
      isRequired: true,
      maxLength: 2000,
      value: opts.defaultMessage,
    });
    expect(input(card, 'area')).toMatchObject({
      type: 'Input.ChoiceSet',
      label: 'Area',
      choices: [
        { title: 'Adult Social Care', value: 'Adult Social Care' },
        { title: 'Education', value: 'Education' },
      ],
    });
    // Areas never block Project: a known area, another one named, people to tell, or none of them.
    for (const id of ['area', 'otherArea', 'contacts']) expect(input(card, id), id).not.toHaveProperty('isRequired');
    expect(input(card, 'area')).not.toHaveProperty('value');
    expect(input(card, 'otherArea')).toMatchObject({ type: 'Input.Text', label: 'Or another area', maxLength: 100 });
    expect(input(card, 'contacts')).toMatchObject({ type: 'Input.Text', label: 'Also tell (e-mails)' });
    expect(textBlock(card, 'nobody is told')).toBeDefined();
    expect(input(card, 'backlogTitle')).toMatchObject({
      type: 'Input.Text',
      label: 'Backlog title',
      isRequired: true,
      maxLength: 200,
      value: 'Payroll export fails for Northamptonshire schools (LGD 4711)',
    });
  });

  it('fits a long title into the 200-character backlog title, keeping the LGD number', () => {
    const value = input(projectFormCard(model({ title: 'x '.repeat(200) }), team(), opts), 'backlogTitle')?.value as string;
    expect(value.length).toBeLessThanOrEqual(200);
    expect(value.endsWith('… (LGD 4711)')).toBe(true);
  });

  it('decides with its inputs; Cancel goes back without them', () => {
    expect(buttons(projectFormCard(model(), team(), opts))).toEqual([
      { type: 'Action.Execute', title: 'Decide: project', verb: 'project', data, style: 'positive', associatedInputs: 'auto' },
      cancel,
    ]);
  });

  it('keeps what was typed and shows the error when sent back', () => {
    const card = projectFormCard(model(), team(), {
      ...opts,
      prefill: { message: 'Custom', area: 'Education', otherArea: 'Parks', contacts: 'p@example.org', backlogTitle: 'My title', error: 'The backlog is not reachable.' },
    });
    expect(input(card, 'message')?.value).toBe('Custom');
    expect(input(card, 'area')?.value).toBe('Education');
    expect(input(card, 'otherArea')?.value).toBe('Parks');
    expect(input(card, 'contacts')?.value).toBe('p@example.org');
    expect(input(card, 'backlogTitle')?.value).toBe('My title');
    expect(textBlock(card, 'The backlog is not reachable.')?.color).toBe('attention');
    expect(checkCard(card).problems).toEqual([]);
  });

  it('asks for the area as optional text when no areas are configured, and still for people to tell', () => {
    const card = projectFormCard(model(), team(), { ...opts, areas: [] });
    expect(input(card, 'area')).toMatchObject({ type: 'Input.Text', label: 'Area' });
    expect(input(card, 'area')).not.toHaveProperty('isRequired');
    expect(input(card, 'otherArea')).toBeUndefined();
    expect(input(card, 'contacts')).toBeDefined();
    expect(checkCard(card).problems).toEqual([]);
  });

  it('says when LGD\'s resolution categories are unavailable, with LGD\'s answer as inert text', () => {
    const card = projectFormCard(model(), team(), { ...opts, categoriesUnavailable: { lgdAnswer: "HTTP 500 (an HTML page): Class 'X' not found [see](https://evil.example)" } });
    const notice = texts(card).find((t) => t.includes('resolution categories are not available'));
    expect(notice).toContain("LGD answered HTTP 500 (an HTML page): Class 'X' not found");
    expect(notice).toContain('cannot be resolved from here');
    expect(notice).not.toContain('[see](');
    expect(textBlock(card, notice ?? '')?.color).toBe('warning');
    expect(checkCard(card).problems).toEqual([]);
    const without = projectFormCard(model(), team(), { ...opts, categoriesUnavailable: { lgdAnswer: null } });
    expect(texts(without).some((t) => t.startsWith('LGD’s resolution categories are not available, so'))).toBe(true);
    expect(texts(projectFormCard(model(), team(), opts)).some((t) => t.includes('resolution categories'))).toBe(false);
  });

  it('says who is told on an owned ticket, and what Project replaces on an approved one', () => {
    expect(textBlock(projectFormCard(model({ state: 'owned', owner: 'Olive Owner' }), team(), opts), 'Olive Owner owns this ticket and will be told')).toBeDefined();
    expect(textBlock(projectFormCard(model({ state: 'approved_unassigned' }), team(), opts), 'deciding Project now replaces that')).toBeDefined();
  });

  it('uses a filtered list when there are many areas', () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ area: `Area ${i}` }));
    const card = projectFormCard(model(), team(), { ...opts, areas: many });
    expect(input(card, 'area')?.style).toBe('filtered');
    expect(checkCard(card).problems).toEqual([]);
  });
});

describe('resolveFormCard', () => {
  const categories = [
    { key: 'cat-1', title: 'Fixed' },
    { key: 'cat-2', title: 'Advice given' },
  ];

  it('parses clean', () => {
    expect(checkCard(resolveFormCard(model({ state: 'owned' }), team(), { categories })).problems).toEqual([]);
  });

  it('asks for a category and the resolution', () => {
    const card = resolveFormCard(model({ state: 'owned' }), team(), { categories });
    expect(input(card, 'category')).toMatchObject({
      type: 'Input.ChoiceSet',
      isRequired: true,
      choices: [
        { title: 'Fixed', value: 'cat-1' },
        { title: 'Advice given', value: 'cat-2' },
      ],
    });
    expect(input(card, 'description')).toMatchObject({ type: 'Input.Text', label: 'Resolution', isMultiline: true, isRequired: true, maxLength: 2000 });
    expect(buttons(card)).toEqual([{ type: 'Action.Execute', title: 'Resolve', verb: 'resolve', data, style: 'positive', associatedInputs: 'auto' }, cancel]);
  });

  it('keeps what was typed and shows the error; ignores a category LGD no longer has', () => {
    const card = resolveFormCard(model(), team(), { categories, prefill: { description: 'Restarted the job', categoryKey: 'cat-2', error: 'LGD said no.' } });
    expect(input(card, 'category')?.value).toBe('cat-2');
    expect(input(card, 'description')?.value).toBe('Restarted the job');
    expect(textBlock(card, 'LGD said no.')?.color).toBe('attention');
    expect(checkCard(card).problems).toEqual([]);
    expect(input(resolveFormCard(model(), team(), { categories, prefill: { categoryKey: 'gone' } }), 'category')).not.toHaveProperty('value');
  });

  it('offers no Resolve button when LGD gave no categories, and says why', () => {
    const card = resolveFormCard(model(), team(), { categories: [] });
    expect(buttons(card).map((b) => b.title)).toEqual(['Cancel']);
    expect(input(card, 'category')).toBeUndefined();
    expect(texts(card).some((t) => t.includes('resolution categories are not available'))).toBe(true);
    expect(checkCard(card).problems).toEqual([]);
  });
});

describe('form sizes', () => {
  it('stay small with the worst-case title and long prefills', () => {
    const worst = model({ title: 'T'.repeat(300), description: 'd'.repeat(5000) });
    const cards = [
      reassignFormCard(worst, team(), { reason: 'r'.repeat(500), error: 'e'.repeat(300) }),
      projectFormCard(worst, team(), { areas: Array.from({ length: 30 }, (_, i) => ({ area: `Area ${i}` })), defaultMessage: 'm'.repeat(2000) }),
      resolveFormCard(worst, team(), { categories: Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, title: `Category ${i}` })), prefill: { description: 'd'.repeat(2000) } }),
    ];
    for (const card of cards) {
      expect(sizeOf(card)).toBeLessThan(12 * 1024);
      expect(checkCard(card).problems).toEqual([]);
    }
  });
});
