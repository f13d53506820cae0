import { describe, expect, it } from 'vitest';
import { checkCard } from './parse-card.js';

const base = { type: 'AdaptiveCard', version: '1.5' };

describe('checkCard (the adaptivecards parser as the tests use it)', () => {
  it('passes a clean card with Teams features the package knows at 1.5', () => {
    const card = {
      ...base,
      refresh: { action: { type: 'Action.Execute', verb: 'refresh', data: { ticketKey: 'k', v: 1 } }, userIds: ['29:a'] },
      body: [
        { type: 'TextBlock', text: 'hi', wrap: true, maxLines: 4, color: 'attention' },
        { type: 'Input.Text', id: 'why', label: 'Why', isRequired: true, errorMessage: 'Say why', isMultiline: true, maxLength: 500 },
        {
          type: 'ActionSet',
          actions: [
            { type: 'Action.Execute', title: 'Go', verb: 'approve', style: 'positive', data: { ticketKey: 'k', v: 1 }, associatedInputs: 'auto' },
            { type: 'Action.Execute', title: 'No', verb: 'refresh', style: 'destructive', data: { ticketKey: 'k', v: 1 }, associatedInputs: 'none' },
          ],
        },
      ],
    };
    expect(checkCard(card).problems).toEqual([]);
  });

  it('reports an unknown element type', () => {
    expect(checkCard({ ...base, body: [{ type: 'Bogus' }] }).problems.join('\n')).toMatch(/Unknown element type "Bogus"/);
  });

  it('reports a property the package does not know, as dropped', () => {
    expect(checkCard({ ...base, body: [{ type: 'TextBlock', text: 'x', colour: 'good' }] }).problems).toEqual(['dropped card.body[0].colour']);
  });

  it('reports a 1.6 property used in a 1.5 card', () => {
    const card = { ...base, body: [{ type: 'Input.Text', id: 'a', label: 'A', labelPosition: 'inline' }] };
    expect(checkCard(card).problems.join('\n')).toMatch(/labelPosition.*1\.6/);
  });

  it('reports an invalid enum value', () => {
    const card = { ...base, body: [{ type: 'ActionSet', actions: [{ type: 'Action.Execute', title: 'x', verb: 'v', style: 'loud' }] }] };
    expect(checkCard(card).problems.join('\n')).toMatch(/loud/);
  });

  it('reports duplicate input ids and required inputs without label or error message', () => {
    const card = { ...base, body: [{ type: 'Input.Text', id: 'a', isRequired: true }, { type: 'Input.Text', id: 'a', label: 'A' }] };
    const problems = checkCard(card).problems.join('\n');
    expect(problems).toMatch(/Duplicate Id "a"/);
    expect(problems).toMatch(/should have a label/);
    expect(problems).toMatch(/should have an error message/);
  });

  it('accepts choices.data (Teams typeahead) on a ChoiceSet without static choices, and returns it', () => {
    const query = { type: 'Data.Query', dataset: 'lgd.targets' };
    const card = {
      ...base,
      body: [{ type: 'Input.ChoiceSet', id: 't', label: 'T', style: 'filtered', isRequired: true, errorMessage: 'e', choices: [], 'choices.data': query }],
    };
    const report = checkCard(card);
    expect(report.problems).toEqual([]);
    expect(report.dataQueries).toEqual({ t: query });
  });

  it('still reports an empty ChoiceSet that has no choices.data', () => {
    const card = { ...base, body: [{ type: 'Input.ChoiceSet', id: 't', label: 'T', choices: [] }] };
    expect(checkCard(card).problems.join('\n')).toMatch(/at least one choice/);
  });

  it('reports a malformed choices.data', () => {
    const card = (q: object) => ({ ...base, body: [{ type: 'Input.ChoiceSet', id: 't', label: 'T', choices: [{ title: 'a', value: 'a' }], 'choices.data': q }] });
    expect(checkCard(card({ type: 'Data.Query' })).problems.join('\n')).toMatch(/not a Data.Query with a dataset/);
    expect(checkCard(card({ type: 'Data.Querry', dataset: 'x' })).problems.join('\n')).toMatch(/choices.data of t/);
    expect(checkCard(card({ type: 'Data.Query', dataset: 'x', datasett: 'y' })).problems.join('\n')).toMatch(/dropped choices.data of t.datasett/);
  });
});
