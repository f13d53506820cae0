import type { LgdCondition } from '../lgd-port.js';

/** A `list.rails` condition expression with its numbered values. */
export interface CnsQuery {
  /** e.g. `(A-e-0_o_A-e-1)_a_LastUpdate-gt-2`; empty when there is no condition. */
  cns: string;
  /** `c0`, `c1`, ... → value. */
  values: Record<string, string>;
}

const PATH = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/**
 * Builds `cns` from clauses that must all hold, each clause being conditions of which any may
 * hold: `[[g0, g1], [since]]` → `(g0_o_g1)_a_since`. Empty clauses are dropped.
 */
export function buildCns(clauses: readonly (readonly LgdCondition[])[]): CnsQuery {
  const values: Record<string, string> = {};
  let n = 0;
  const parts: string[] = [];
  for (const clause of clauses) {
    if (clause.length === 0) continue;
    const terms = clause.map((c) => {
      if (!PATH.test(c.path)) throw new RangeError(`LGD attribute path "${c.path}" cannot be used in a condition`);
      values[`c${n}`] = c.value;
      return `${c.path}-${c.op}-${n++}`;
    });
    parts.push(terms.length > 1 ? `(${terms.join('_o_')})` : (terms[0] ?? ''));
  }
  return { cns: parts.join('_a_'), values };
}
