import { describe, expect, it } from 'vitest';
import { buildCns } from '../../../bot/lgd/client/build-cns.js';

describe('buildCns', () => {
  it('ORs a clause in parentheses and ANDs clauses, numbering values c0..cN', () => {
    const q = buildCns([
      [
        { path: 'CurrentAssignment.Group.Title', op: 'e', value: 'LGSS-IT-Digital' },
        { path: 'CurrentAssignment.Group.Title', op: 'e', value: 'Service Desk' },
      ],
      [{ path: 'LastUpdate', op: 'gt', value: '14/02/2019 11:05:06' }],
    ]);
    expect(q.cns).toBe('(CurrentAssignment.Group.Title-e-0_o_CurrentAssignment.Group.Title-e-1)_a_LastUpdate-gt-2');
    expect(q.values).toEqual({ c0: 'LGSS-IT-Digital', c1: 'Service Desk', c2: '14/02/2019 11:05:06' });
  });

  it('leaves a single term bare and drops empty clauses', () => {
    const q = buildCns([[], [{ path: 'Incident', op: 'e', value: 'k' }], []]);
    expect(q).toEqual({ cns: 'Incident-e-0', values: { c0: 'k' } });
  });

  it('gives an empty expression when there is no condition', () => {
    expect(buildCns([])).toEqual({ cns: '', values: {} });
  });

  it('accepts paths starting with an underscore', () => {
    expect(buildCns([[{ path: '_NotifyRaiseUser', op: 'e', value: 'True' }]]).cns).toBe('_NotifyRaiseUser-e-0');
  });

  it('refuses a path that would break the expression', () => {
    expect(() => buildCns([[{ path: 'Title-e-0_o_Id', op: 'e', value: 'x' }]])).toThrow(RangeError);
  });
});
