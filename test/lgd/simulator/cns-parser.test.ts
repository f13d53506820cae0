import { describe, expect, it } from 'vitest';
import { CnsSyntaxError, cnsTerms, evaluateCns, parseCns } from '../../../bot/lgd/simulator/cns-parser.js';

const t = (path: string, op: string, index: number): object => ({ kind: 'term', path, op, index });

describe('parseCns', () => {
  it('parses the shape a working client sends', () => {
    expect(parseCns('CurrentAssignment.Group.Title-e-0_a_LastUpdate-gt-1')).toEqual({
      kind: 'and',
      left: t('CurrentAssignment.Group.Title', 'e', 0),
      right: t('LastUpdate', 'gt', 1),
    });
  });

  it('gives _a_ precedence over _o_ and honours parentheses', () => {
    expect(parseCns('A-e-0_o_B-e-1_a_C-e-2')).toEqual({ kind: 'or', left: t('A', 'e', 0), right: { kind: 'and', left: t('B', 'e', 1), right: t('C', 'e', 2) } });
    expect(parseCns('(A-e-0_o_B-e-1)_a_C-e-2')).toEqual({ kind: 'and', left: { kind: 'or', left: t('A', 'e', 0), right: t('B', 'e', 1) }, right: t('C', 'e', 2) });
  });

  it('keeps a path starting with an underscore apart from the connectors', () => {
    const node = parseCns('Id-e-0_a__NotifyRaiseUser-e-1');
    expect(cnsTerms(node).map((x) => x.path)).toEqual(['Id', '_NotifyRaiseUser']);
  });

  it('evaluates with a term predicate', () => {
    const node = parseCns('(A-e-0_o_B-e-1)_a_C-lt-2');
    const truth = (vals: Record<string, boolean>): boolean => evaluateCns(node, (x) => vals[x.path] ?? false);
    expect(truth({ A: true, C: true })).toBe(true);
    expect(truth({ A: true, C: false })).toBe(false);
    expect(truth({ B: true, C: true })).toBe(true);
  });

  it.each(['', 'Id', 'Id-ne-0', 'Id-e-x', '(Id-e-0', 'Id-e-0)', 'Id-e-0_a_', 'Id-e-0_x_Id-e-1', '()'])('rejects %j', (text) => {
    expect(() => parseCns(text)).toThrow(CnsSyntaxError);
  });
});
