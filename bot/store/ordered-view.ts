/**
 * The sorted side of an embedded index: its documents in index order (ties by `_id`), so a sorted
 * query with a limit walks the first entries instead of sorting every match, as MongoDB's index
 * scan does. Writes only note what changed; the order is brought up to date at the next read
 * (a few changes by binary search, many, as a first sync makes, by one sort), so writing costs
 * nothing extra. Values of types whose order differs between MongoDB and JavaScript (documents,
 * arrays, paths through arrays) make the view decline, and the query sorts as before.
 */
import { ObjectId, type Document } from 'mongodb';

/** One document's place: its id key, its `_id` and its values at the index's paths. */
interface Entry {
  idKey: string;
  id: unknown;
  values: unknown[];
}

/** MongoDB's sort order of BSON types, for the scalar types the view orders (null stands for missing too). */
function typeRank(v: unknown): number {
  if (v === null || v === undefined) return 1;
  if (typeof v === 'number' || typeof v === 'bigint') return 2;
  if (typeof v === 'string') return 3;
  if (v instanceof ObjectId) return 7;
  if (typeof v === 'boolean') return 8;
  if (v instanceof Date) return 9;
  return -1;
}

/** True for a value the view can order exactly as MongoDB sorts it. */
const orderable = (v: unknown): boolean => typeRank(v) > 0;

/** Compares two orderable values as MongoDB sorts them (ascending). */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 1:
      return 0;
    case 2:
      return Number(a) - Number(b);
    case 3:
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case 7: {
      const x = (a as ObjectId).toHexString();
      const y = (b as ObjectId).toHexString();
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 8:
      return Number(a) - Number(b);
    default:
      return (a as Date).getTime() - (b as Date).getTime();
  }
}

/** The value at a dotted path, or `undefined` as "cannot order" when the path crosses an array or ends in a document or array. */
function valueAt(doc: Document, path: string): { value: unknown } | undefined {
  let node: unknown = doc;
  for (const part of path.split('.')) {
    if (Array.isArray(node)) return undefined;
    if (node === null || typeof node !== 'object' || node instanceof Date || node instanceof ObjectId) return { value: null };
    node = (node as Document)[part];
    if (node === undefined) return { value: null };
  }
  return orderable(node) ? { value: node } : undefined;
}

/** The index's documents in its order; see the file's comment. */
export class OrderedView {
  private readonly entries = new Map<string, Entry>();
  private sorted: Entry[] = [];
  private added: Entry[] = [];
  private removed = new Set<Entry>();
  /** Documents the view cannot order (see `valueAt`); while there are any, it declines. */
  private readonly unorderable = new Set<string>();
  private readonly compare: (a: Entry, b: Entry) => number;

  constructor(private readonly keys: readonly [string, 1 | -1][]) {
    this.compare = (a, b) => {
      for (let i = 0; i < keys.length; i++) {
        const c = compareValues(a.values[i], b.values[i]);
        if (c !== 0) return c * (keys[i]?.[1] ?? 1);
      }
      return compareValues(a.id, b.id);
    };
  }

  add(idKey: string, doc: Document): void {
    const values: unknown[] = [];
    for (const [path] of this.keys) {
      const v = valueAt(doc, path);
      if (!v || !orderable(doc._id)) {
        this.unorderable.add(idKey);
        return;
      }
      // A copy of a Date: the document may be the caller's (an insert's), which it may change later.
      values.push(v.value instanceof Date ? new Date(v.value.getTime()) : v.value);
    }
    const id: unknown = doc._id instanceof Date ? new Date(doc._id.getTime()) : doc._id;
    const entry: Entry = { idKey, id, values };
    this.entries.set(idKey, entry);
    this.added.push(entry);
  }

  remove(idKey: string): void {
    this.unorderable.delete(idKey);
    const entry = this.entries.get(idKey);
    if (!entry) return;
    this.entries.delete(idKey);
    this.removed.add(entry);
  }

  /**
   * The id keys in the order `sort` asks for, or undefined when this view cannot give it: `sort`
   * must be the index's keys or a prefix of them (all of them optionally followed by `_id`), all in
   * the index's directions or all reversed.
   */
  walk(sort: Record<string, 1 | -1>): Iterable<string> | undefined {
    if (this.unorderable.size > 0) return undefined;
    const wanted = Object.entries(sort);
    const n = this.keys.length;
    const m = wanted.length;
    // The index's keys or a prefix of them (ties then come in index order), or all of them and then _id (the view's tie-break).
    const thenId = m === n + 1 && this.keys[n - 1]?.[0] !== '_id' && wanted[n]?.[0] === '_id';
    if (m === 0 || (m > n && !thenId)) return undefined;
    let flip: 1 | -1 | 0 = 0;
    for (let i = 0; i < Math.min(m, n); i++) {
      const [path, dir] = wanted[i] ?? [];
      const key = this.keys[i];
      if (!key || path !== key[0]) return undefined;
      const f = dir === key[1] ? 1 : -1;
      if (flip !== 0 && f !== flip) return undefined;
      flip = f;
    }
    // The view breaks ties by _id ascending: reversed, by _id descending.
    if (thenId && wanted[n]?.[1] !== flip) return undefined;
    const order = this.current();
    return flip === 1 ? idsOf(order, 0, 1) : idsOf(order, order.length - 1, -1);
  }

  /** The sorted entries, with the changes since the last read applied. */
  private current(): Entry[] {
    if (this.added.length === 0 && this.removed.size === 0) return this.sorted;
    if (this.added.length + this.removed.size > 64) {
      this.sorted = [...this.entries.values()].sort(this.compare);
    } else {
      const fresh = new Set(this.added);
      for (const r of this.removed) {
        if (fresh.delete(r)) continue;
        const at = this.position(r);
        if (this.sorted[at] === r) this.sorted.splice(at, 1);
      }
      for (const a of fresh) if (this.entries.get(a.idKey) === a) this.sorted.splice(this.position(a), 0, a);
    }
    this.added = [];
    this.removed = new Set();
    return this.sorted;
  }

  /** Where `e` is, or goes, in the sorted entries (binary search; entries are unique by _id). */
  private position(e: Entry): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.sorted[mid]!, e) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function* idsOf(order: readonly Entry[], from: number, step: 1 | -1): Generator<string> {
  for (let i = from; i >= 0 && i < order.length; i += step) yield order[i]!.idKey;
}
