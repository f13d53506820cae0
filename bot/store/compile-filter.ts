/**
 * Turns a filter into a predicate. Filters made only of `field: value` equalities on scalars
 * (the shape of lookups and conditional claims) are answered with the same multikey logic the
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

/** The `[path, value]` pairs of a pure scalar-equality filter, or undefined if it is anything else. */
function equalities(filter: Document): [string, string][] | undefined {
  const out: [string, string][] = [];
  for (const [path, cond] of Object.entries(filter)) {
    if (path.startsWith('$')) return undefined;
    let value: unknown = cond;
    if (isOperatorObject(cond)) {
      if (Object.keys(cond).length !== 1 || !('$eq' in cond)) return undefined;
      value = cond.$eq;
    }
    if (!isLookupValue(value)) return undefined;
    out.push([path, valueKey(value)]);
  }
  return out;
}

/** Compiles `filter` into a predicate with MongoDB's matching semantics. */
export function compileFilter(filter: Document): DocPredicate {
  const eq = equalities(filter);
  if (!eq) return compileWithMingo(filter);
  let slow: DocPredicate | undefined;
  return (doc) => {
    let uncertain = false;
    for (const [path, key] of eq) {
      const field = fieldKeys(doc, path);
      if (field.throughArray) uncertain = true;
      else if (!field.keys.includes(key)) return false;
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
