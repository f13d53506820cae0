/**
 * Turns a filter into a predicate. Filters made only of `field: value` equalities, `$in` and
 * `$nin` on scalars (the shape of lookups, conditional claims and state lists), also as the parts
 * of a top-level `$or` and beside it, are answered with the same multikey logic the
 * indexes use, which is several times faster than compiling a mingo Query; every other filter,
 * and every document whose path crosses an array before its last part, goes to mingo.
 * test/store/compile-filter.test.ts checks both agree.
 */
import { Query } from 'mingo';
import { BSON, type Document } from 'mongodb';
import { fieldKeys, isLookupValue, valueKey } from './embedded-index.js';
import { isOperatorObject } from './seed-upsert.js';

/** A compiled filter. */
export type DocPredicate = (doc: Document) => boolean;

/** One condition of the fast path: the field holds (or, negated, holds none of) one of these index keys. */
interface KeyCondition {
  /** The field's path, split at its dots. */
  path: readonly string[];
  keys: ReadonlySet<string>;
  negate: boolean;
}

/** The keys of a list of lookup values, or undefined if any is something else. */
function lookupKeys(values: unknown): string[] | undefined {
  if (!Array.isArray(values) || !values.every(isLookupValue)) return undefined;
  return values.map(valueKey);
}

/** The conditions of a filter made only of scalar equalities, `$in` and `$nin` of scalars, or undefined if it is anything else. */
function keyConditions(filter: Document): KeyCondition[] | undefined {
  const out: KeyCondition[] = [];
  for (const [path, cond] of Object.entries(filter)) {
    if (path.startsWith('$')) return undefined;
    if (!isOperatorObject(cond)) {
      if (!isLookupValue(cond)) return undefined;
      out.push({ path: path.split('.'), keys: new Set([valueKey(cond)]), negate: false });
      continue;
    }
    for (const [op, arg] of Object.entries(cond)) {
      let keys: string[] | undefined;
      if (op === '$eq') keys = isLookupValue(arg) ? [valueKey(arg)] : undefined;
      else if (op === '$in' || op === '$nin') keys = lookupKeys(arg);
      if (!keys) return undefined;
      out.push({ path: path.split('.'), keys: new Set(keys), negate: op === '$nin' });
    }
  }
  return out;
}

/**
 * A filter of field conditions and one `$or` of filters (a read of the open tickets: "not closed,
 * or a delivery not yet read back"), split into the two: each part is compiled on its own, so the
 * parts the fast path takes do not go to mingo with the rest. Undefined for any other filter.
 */
function orParts(filter: Document): { rest: Document; branches: Document[] } | undefined {
  const branches: unknown = filter.$or;
  if (!Array.isArray(branches) || branches.length === 0) return undefined;
  if (!branches.every((b) => b !== null && typeof b === 'object' && !Array.isArray(b) && Object.getPrototypeOf(b) === Object.prototype)) return undefined;
  const rest: Document = {};
  for (const [k, v] of Object.entries(filter) as [string, unknown][]) {
    if (k === '$or') continue;
    if (k.startsWith('$')) return undefined;
    rest[k] = v;
  }
  return { rest, branches: branches as Document[] };
}

/** Compiles `filter` into a predicate with MongoDB's matching semantics. */
export function compileFilter(filter: Document): DocPredicate {
  const parts = orParts(filter);
  if (parts) {
    const rest = compileFilter(parts.rest);
    const branches = parts.branches.map(compileFilter);
    return (doc) => rest(doc) && branches.some((b) => b(doc));
  }
  const conds = keyConditions(filter);
  if (!conds) return compileWithMingo(filter);
  let slow: DocPredicate | undefined;
  return (doc) => {
    let uncertain = false;
    for (const { path, keys, negate } of conds) {
      const field = fieldKeys(doc, path);
      if (field.throughArray) uncertain = true;
      // `$nin` is exactly "not `$in`" (a missing field is null for both).
      else if (field.keys.some((k) => keys.has(k)) === negate) return false;
    }
    if (!uncertain) return true;
    slow ??= compileWithMingo(filter);
    return slow(doc);
  };
}

/** Compiled mingo queries by their filter (canonical Extended JSON, which tells a date from a string): the app asks the same few shapes again and again. */
const compiled = new Map<string, Query>();
const MAX_COMPILED = 500;

/** The mingo-only predicate, for checking the fast path against it. */
export function compileWithMingo(filter: Document): DocPredicate {
  let key: string | undefined;
  try {
    key = BSON.EJSON.stringify(filter, { relaxed: false });
  } catch {
    key = undefined; // not representable (a function, a cycle): compiled afresh, as mingo will judge it
  }
  let query = key === undefined ? undefined : compiled.get(key);
  if (!query) {
    query = new Query(filter);
    if (key !== undefined) {
      if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value as string);
      compiled.set(key, query);
    }
  }
  const q = query;
  return (doc) => q.test(doc);
}
