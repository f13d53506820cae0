/**
 * Deep copies of stored documents, so that a caller mutating what it was given (or what it
 * passed in) can never change the embedded store's cached state.
 */
import { Binary } from 'mongodb';

/** Returns a deep copy of `value`; immutable BSON values (ObjectId, Long, ...) are shared. */
export function cloneDocument<V>(value: V): V {
  return cloneValue(value) as V;
}

function cloneValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneValue);
  if (value instanceof Date) return new Date(value.getTime());
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = cloneValue(v);
    return out;
  }
  if (value instanceof RegExp) return new RegExp(value.source, value.flags);
  if (value instanceof Binary) return new Binary(value.buffer.slice(0, value.position), value.sub_type);
  if (value instanceof Uint8Array) return value.slice();
  return value;
}
