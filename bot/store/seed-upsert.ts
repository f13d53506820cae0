/**
 * The document an upsert starts from when nothing matched, as MongoDB builds it: the equality
 * conditions of the filter (top level and inside `$and`), with dotted paths expanded.
 */
import type { Document } from 'mongodb';
import { cloneDocument } from './clone-document.js';

/** Returns the fields that the filter pins by equality, as a new document. */
export function seedUpsert(filter: Document): Document {
  const seed: Document = {};
  collect(filter, seed);
  return seed;
}

/** True when `value` is an operator object such as `{ $gt: 1 }` rather than a literal document. */
export function isOperatorObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

/** Sets `value` at a dotted `path` of `target`, creating intermediate documents. */
export function setPath(target: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let node: Document = target;
  for (const part of parts.slice(0, -1)) {
    const next: unknown = node[part];
    if (next === null || typeof next !== 'object') node[part] = {};
    node = node[part] as Document;
  }
  node[parts[parts.length - 1] ?? path] = value;
}

function collect(filter: Document, seed: Document): void {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const clause of value) if (clause !== null && typeof clause === 'object') collect(clause as Document, seed);
    } else if (key.startsWith('$')) {
      continue;
    } else if (isOperatorObject(value)) {
      if ('$eq' in value) setPath(seed, key, cloneDocument(value.$eq));
    } else if (!(value instanceof RegExp)) {
      setPath(seed, key, cloneDocument(value));
    }
  }
}
