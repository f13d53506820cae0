/**
 * The embedded store's quick path for the commonest update documents: `$set` of plain values (and
 * plain documents and arrays of them: a sync's progress), `$unset` of top-level fields, `$inc` of
 * numbers (a counter), and `$pull` of the array elements whose field is one of some strings (a
 * ticket's journal being cleared). mingo's updater sets up its whole operator context
 * on every call, which made clearing a thousand journals cost more than syncing the tickets. Any
 * other shape (dotted paths, `_id`, other operators, values of other types) returns undefined and
 * goes to mingo, which stays the reference for MongoDB's semantics.
 */
import type { Document } from 'mongodb';
import { cloneDocument } from './clone-document.js';

const SIMPLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FORBIDDEN = new Set(['_id', '__proto__', 'constructor', 'prototype']);

const isName = (k: string): boolean => SIMPLE_NAME.test(k) && !FORBIDDEN.has(k);
const isPlainObject = (v: unknown): v is Document => v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

/** A value whose equality and copy are trivial: a string, a finite number, a boolean, null or a Date. */
function isPlainValue(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || v instanceof Date;
}

const sameValue = (a: unknown, b: unknown): boolean =>
  a instanceof Date || b instanceof Date ? a instanceof Date && b instanceof Date && a.getTime() === b.getTime() : Object.is(a, b) || (a === 0 && b === 0);

/** A plain value, or a plain document or array (a few levels deep) of plain values: what `$set` takes here. */
function isPlainTree(v: unknown, depth = 0): boolean {
  if (isPlainValue(v)) return true;
  if (depth > 8) return false;
  if (Array.isArray(v)) return v.every((x) => isPlainTree(x, depth + 1));
  if (!isPlainObject(v)) return false;
  for (const [k, x] of Object.entries(v)) if (FORBIDDEN.has(k) || k.startsWith('$') || k.includes('.') || !isPlainTree(x, depth + 1)) return false;
  return true;
}

/**
 * How two plain trees compare: the same (fields in the same order), different, or undefined when
 * they hold the same fields in another order (MongoDB compares bytes, mingo values: mingo judges).
 */
function compareTrees(a: unknown, b: unknown): boolean | undefined {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    let same: boolean | undefined = true;
    for (let i = 0; i < a.length; i++) {
      const c = compareTrees(a[i], b[i]);
      if (c === false) return false;
      if (c === undefined) same = undefined;
    }
    return same;
  }
  if (isPlainObject(a) || isPlainObject(b)) {
    if (!isPlainObject(a) || !isPlainObject(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    let same: boolean | undefined = true;
    for (let i = 0; i < ka.length; i++) {
      const k = ka[i] as string;
      if (!Object.hasOwn(b, k)) return false;
      if (k !== kb[i]) same = undefined;
      const c = compareTrees(a[k], b[k]);
      if (c === false) return false;
      if (c === undefined) same = undefined;
    }
    return same;
  }
  return sameValue(a, b);
}

/** `{ field: { $in: [strings] } }` as a set of the strings and the field, or undefined. */
function stringInCondition(cond: unknown): { field: string; values: Set<string> } | undefined {
  if (!isPlainObject(cond)) return undefined;
  const entries = Object.entries(cond);
  if (entries.length !== 1) return undefined;
  const [field, test] = entries[0] as [string, unknown];
  if (!isName(field) || !isPlainObject(test) || Object.keys(test).length !== 1 || !Array.isArray(test.$in)) return undefined;
  const list = test.$in as unknown[];
  if (!list.every((v) => typeof v === 'string')) return undefined;
  return { field, values: new Set(list) };
}

/**
 * Applies `modifier` to a shallow copy of `doc` when it has one of the shapes above: the copy, or
 * null when nothing changed. Undefined when the shape is not one this path handles.
 */
export function simpleUpdate(doc: Document, modifier: Document): Document | null | undefined {
  const ops = Object.keys(modifier);
  if (ops.length === 0 || !ops.every((op) => op === '$set' || op === '$unset' || op === '$pull' || op === '$inc')) return undefined;
  const fields = new Set<string>();
  for (const op of ops) {
    const spec: unknown = modifier[op];
    if (!isPlainObject(spec)) return undefined;
    for (const [k, v] of Object.entries(spec)) {
      // Two operators on one field is a conflict MongoDB refuses: mingo says so.
      if (!isName(k) || fields.has(k)) return undefined;
      fields.add(k);
      if (op === '$set' && !isPlainTree(v)) return undefined;
      // A finite number added to a number or to nothing; anything else (an error MongoDB gives, a Long) is mingo's.
      if (op === '$inc' && (typeof v !== 'number' || !Number.isFinite(v) || (doc[k] !== undefined && typeof doc[k] !== 'number'))) return undefined;
      if (op === '$pull') {
        const current: unknown = doc[k];
        if (!stringInCondition(v) || (current !== undefined && !Array.isArray(current))) return undefined;
        const { field } = stringInCondition(v) as { field: string };
        if (Array.isArray(current) && !current.every((e) => isPlainObject(e) && (e[field] === undefined || typeof e[field] === 'string'))) return undefined;
      }
    }
  }
  const next: Document = { ...doc };
  let changed = false;
  for (const [k, v] of Object.entries((modifier.$set ?? {}) as Record<string, unknown>)) {
    if (k in next) {
      const same = compareTrees(next[k], v);
      if (same === undefined) return undefined;
      if (same) continue;
    }
    next[k] = cloneDocument(v);
    changed = true;
  }
  for (const [k, v] of Object.entries((modifier.$inc ?? {}) as Record<string, number>)) {
    const current = next[k] as number | undefined;
    next[k] = current === undefined ? v : current + v;
    if (current === undefined || !Object.is(next[k], current)) changed = true;
  }
  for (const k of Object.keys((modifier.$unset ?? {}) as Document)) {
    if (!(k in next)) continue;
    delete next[k];
    changed = true;
  }
  for (const [k, v] of Object.entries((modifier.$pull ?? {}) as Document)) {
    const current: unknown = next[k];
    if (!Array.isArray(current)) continue;
    const { field, values } = stringInCondition(v) as { field: string; values: Set<string> };
    const kept = (current as Document[]).filter((e) => !(typeof e[field] === 'string' && values.has(e[field])));
    if (kept.length === current.length) continue;
    next[k] = kept;
    changed = true;
  }
  return changed ? next : null;
}
