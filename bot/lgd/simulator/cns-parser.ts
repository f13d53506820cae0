/**
 * The `cns` condition language of list.rails: terms `<path>-<op>-<index>` (ops e, c, gt, lt),
 * joined with `_a_` (and, binds tighter) and `_o_` (or), grouped with parentheses.
 */

export type CnsOp = 'e' | 'c' | 'gt' | 'lt';

export interface CnsTerm {
  kind: 'term';
  path: string;
  op: CnsOp;
  /** Index of the value parameter: 0 → `c0`. */
  index: number;
}

export type CnsNode = CnsTerm | { kind: 'and' | 'or'; left: CnsNode; right: CnsNode };

/** A malformed `cns` expression. */
export class CnsSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CnsSyntaxError';
  }
}

type Token = { t: '(' } | { t: ')' } | { t: 'and' } | { t: 'or' } | { t: 'term'; term: CnsTerm };

const TERM = /^([A-Za-z_][A-Za-z0-9_.]*?)-(e|c|gt|lt)-(\d+)/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  // After a term or ')' a connector or ')' is expected; elsewhere a term or '('. This keeps
  // paths that start with '_' (e.g. `_NotifyRaiseUser`) apart from the `_a_` / `_o_` connectors.
  let afterOperand = false;
  while (i < text.length) {
    const rest = text.slice(i);
    if (afterOperand) {
      if (rest.startsWith(')')) {
        tokens.push({ t: ')' });
        i += 1;
      } else if (rest.startsWith('_a_')) {
        tokens.push({ t: 'and' });
        i += 3;
        afterOperand = false;
      } else if (rest.startsWith('_o_')) {
        tokens.push({ t: 'or' });
        i += 3;
        afterOperand = false;
      } else {
        throw new CnsSyntaxError(`Expected _a_, _o_ or ')' at position ${i} of '${text}'.`);
      }
      continue;
    }
    if (rest.startsWith('(')) {
      tokens.push({ t: '(' });
      i += 1;
      continue;
    }
    const m = TERM.exec(rest);
    if (!m) throw new CnsSyntaxError(`Expected a condition '<path>-<op>-<index>' at position ${i} of '${text}'.`);
    tokens.push({ t: 'term', term: { kind: 'term', path: m[1] ?? '', op: (m[2] ?? 'e') as CnsOp, index: Number(m[3]) } });
    i += m[0].length;
    afterOperand = true;
  }
  return tokens;
}

/** Parses a `cns` expression; throws CnsSyntaxError when malformed. */
export function parseCns(text: string): CnsNode {
  const tokens = tokenize(text.trim());
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];

  const parseOr = (): CnsNode => {
    let left = parseAnd();
    while (peek()?.t === 'or') {
      pos++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): CnsNode => {
    let left = parsePrimary();
    while (peek()?.t === 'and') {
      pos++;
      left = { kind: 'and', left, right: parsePrimary() };
    }
    return left;
  };
  const parsePrimary = (): CnsNode => {
    const tok = tokens[pos++];
    if (!tok) throw new CnsSyntaxError(`Unexpected end of condition '${text}'.`);
    if (tok.t === 'term') return tok.term;
    if (tok.t === '(') {
      const inner = parseOr();
      if (tokens[pos++]?.t !== ')') throw new CnsSyntaxError(`Missing ')' in '${text}'.`);
      return inner;
    }
    throw new CnsSyntaxError(`Unexpected '${tok.t}' in '${text}'.`);
  };

  if (tokens.length === 0) throw new CnsSyntaxError('Empty condition.');
  const node = parseOr();
  if (pos !== tokens.length) throw new CnsSyntaxError(`Unexpected ')' in '${text}'.`);
  return node;
}

/** Every term of an expression, left to right. */
export function cnsTerms(node: CnsNode): CnsTerm[] {
  return node.kind === 'term' ? [node] : [...cnsTerms(node.left), ...cnsTerms(node.right)];
}

/** Evaluates an expression with a predicate for its terms. */
export function evaluateCns(node: CnsNode, test: (term: CnsTerm) => boolean): boolean {
  if (node.kind === 'term') return test(node);
  if (node.kind === 'and') return evaluateCns(node.left, test) && evaluateCns(node.right, test);
  return evaluateCns(node.left, test) || evaluateCns(node.right, test);
}
