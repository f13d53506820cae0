/**
 * In-memory secondary index of the embedded store: maps each indexed value (or combination, for
 * compound keys) to the ids of the documents holding it. Arrays are indexed element by element,
 * as MongoDB's multikey indexes are; a missing field is indexed as null unless the index is sparse.
 */
import { BSON, ObjectId, type Document } from 'mongodb';
import { OrderedView } from './ordered-view.js';

const MISSING = Symbol('missing');
const EMPTY_ARRAY_KEY = 'e[]';
/**
 * Documents whose indexed path crosses an array where its keys may not tell what MongoDB matches
 * (a numeric part, an array inside an array): always candidates, judged by the full filter.
 */
const UNCERTAIN_KEY = '?';
/**
 * Documents whose indexed path crosses arrays of documents only: their keys find every match of a
 * value other than null (an element holding it), but what matches null there (an empty array, an
 * element lacking the field) is subtle, so they are candidates of every lookup of null.
 */
const NULL_UNCERTAIN_KEY = '?n';

/** What a path's walk met: an array on the way, and whether its keys may miss a match (see UNCERTAIN_KEY). */
interface Trace {
  throughArray: boolean;
  loose: boolean;
}

/** Definition of an index as persisted. */
export interface IndexSpec {
  name: string;
  keys: [string, 1 | -1][];
  unique: boolean;
  sparse: boolean;
}

/** A stable string for a value, equal for values MongoDB's equality treats as equal. */
export function valueKey(value: unknown): string {
  if (value === null || value === undefined || value === MISSING) return 'n';
  switch (typeof value) {
    case 'string':
      return 's' + value;
    case 'number':
      return 'x' + String(value);
    case 'boolean':
      return value ? 'T' : 'F';
    case 'bigint':
      return 'x' + value.toString();
  }
  if (value instanceof Date) return 'd' + String(value.getTime());
  if (value instanceof ObjectId) return 'o' + value.toHexString();
  return 'j' + BSON.EJSON.stringify(value, { relaxed: false });
}

/** True for values whose index key identifies them exactly, so an index can answer `field: value`. */
export function isLookupValue(value: unknown): boolean {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    value instanceof Date ||
    value instanceof ObjectId
  );
}

/** The values at a dotted path, descending into arrays of documents; MISSING when absent. */
function pathValues(value: unknown, parts: readonly string[], i: number, trace: Trace): unknown[] {
  if (i === parts.length) return [value];
  const part = parts[i] ?? '';
  if (Array.isArray(value)) {
    trace.throughArray = true;
    if (/^\d+$/.test(part)) {
      trace.loose = true;
      return pathValues(value[Number(part)] ?? MISSING, parts, i + 1, trace);
    }
    const out: unknown[] = [];
    for (const item of value) {
      if (Array.isArray(item)) trace.loose = true;
      else if (item !== null && typeof item === 'object') out.push(...pathValues(item, parts, i, trace));
    }
    return out.length > 0 ? out : [MISSING];
  }
  if (value === MISSING || value === null || typeof value !== 'object') return [MISSING];
  const next: unknown = (value as Document)[part];
  return pathValues(next === undefined ? MISSING : next, parts, i + 1, trace);
}

/** What a missing field contributes (shared: never to be changed). */
const MISSING_FIELD = Object.freeze({ keys: Object.freeze([valueKey(null)]), missing: true, throughArray: false, loose: false });
/** What a path through an empty array contributes (every new ticket's outbox): as pathValues says, missing, through an array. */
const MISSING_THROUGH_EMPTY = Object.freeze({ ...MISSING_FIELD, throughArray: true });

/**
 * The index keys one field contributes: one per array element (multikey), MISSING-aware.
 * `throughArray` is set when the path crossed an array before its last part: MongoDB's rules
 * there (nested arrays, elements lacking the field) are subtle, so such documents are always
 * handed to mingo rather than judged by their keys. `path` may come split at its dots already.
 */
export function fieldKeys(
  doc: Document,
  path: string | readonly string[],
): { keys: readonly string[]; missing: boolean; throughArray: boolean; loose: boolean } {
  const parts = typeof path === 'string' ? path.split('.') : path;
  // The common case first, without the walk's arrays and sets: documents all the way down to one value.
  let node: unknown = doc;
  for (let i = 0; i < parts.length && node !== undefined; i++) {
    if (Array.isArray(node)) return node.length === 0 && !/^\d+$/.test(parts[i]!) ? MISSING_THROUGH_EMPTY : walkedKeys(doc, parts);
    node = node !== null && typeof node === 'object' ? (node as Document)[parts[i]!] : undefined;
  }
  if (node === undefined) return MISSING_FIELD;
  if (Array.isArray(node)) return walkedKeys(doc, parts);
  return { keys: [valueKey(node)], missing: false, throughArray: false, loose: false };
}

/** `fieldKeys` through arrays (see pathValues). */
function walkedKeys(doc: Document, parts: readonly string[]): { keys: string[]; missing: boolean; throughArray: boolean; loose: boolean } {
  const trace = { throughArray: false, loose: false };
  const values = pathValues(doc, parts, 0, trace);
  const keys = new Set<string>();
  let missing = true;
  for (const v of values) {
    if (v !== MISSING) missing = false;
    if (Array.isArray(v)) {
      if (v.length === 0) keys.add(EMPTY_ARRAY_KEY);
      for (const el of v) keys.add(valueKey(el));
    } else {
      keys.add(valueKey(v));
    }
  }
  return { keys: [...keys], missing, throughArray: trace.throughArray, loose: trace.loose };
}

/** The value a path holds, for error messages (first value only). */
function firstValue(doc: Document, path: string): unknown {
  const v = pathValues(doc, path.split('.'), 0, { throughArray: false, loose: false })[0];
  return v === MISSING ? null : v;
}

/**
 * The ids under one index key: the id itself while it is the only one (most keys of a unique or
 * nearly unique index hold one document, and a Set per key would cost a few hundred bytes each),
 * a Set once there are more.
 */
type Holders = string | Set<string>;

/** The ids of `holders`, none when undefined. */
function idsIn(holders: Holders | undefined): Iterable<string> {
  return holders === undefined ? [] : typeof holders === 'string' ? [holders] : holders;
}

/** One secondary index over a collection's documents. */
export class EmbeddedIndex {
  private readonly entries = new Map<string, Holders>();
  /**
   * Single-field indexes: the ids under each lower-cased string value, for case-insensitive
   * lookups; built at the first such lookup (most indexes never see one), then kept up to date.
   */
  private folded: Map<string, Holders> | undefined;
  /** The documents in index order, for sorted queries; built at the first such query, then kept up to date. */
  private ordered: OrderedView | undefined;

  /**
   * Whether the index keeps its value-to-ids map: lookups use single-field indexes and conflict
   * checks unique ones; a compound, non-unique index only orders (one map entry per document
   * would be memory for nothing).
   */
  private readonly hashed: boolean;

  /** The indexed paths, split at their dots once. */
  private readonly paths: readonly (readonly string[])[];

  constructor(readonly spec: IndexSpec) {
    this.hashed = spec.unique || spec.keys.length === 1;
    this.paths = spec.keys.map(([path]) => path.split('.'));
  }

  /**
   * The id keys in the order `sort` asks for, when this index gives that order (see OrderedView);
   * `all` lists the collection's documents, read once when the view is first built. A sparse
   * index leaves documents out, so it never answers.
   */
  orderedIds(sort: Record<string, 1 | -1>, all: () => Iterable<[string, Document]>): Iterable<string> | undefined {
    if (this.spec.sparse) return undefined;
    if (!this.ordered) {
      if (!Object.keys(sort).every((k, i) => k === (this.spec.keys[i]?.[0] ?? '_id'))) return undefined;
      this.ordered = new OrderedView(this.spec.keys);
      for (const [id, doc] of all()) this.ordered.add(id, doc);
    }
    return this.ordered.walk(sort);
  }

  /**
   * Set once a document's indexed path crossed an array: which documents under null then match
   * a lookup of null is for the full filter to judge (see NULL_UNCERTAIN_KEY).
   */
  private nullUnsure = false;

  /** True when the index's keys alone are the matches of a lookup of `values` (else the candidates are to be judged). */
  answersAlone(values: readonly unknown[]): boolean {
    return !this.hasUncertain && !(this.nullUnsure && values.some((v) => v === null));
  }

  /** True when some document's indexed path crosses an array: the index then cannot answer a lookup alone. */
  get hasUncertain(): boolean {
    return this.entries.has(UNCERTAIN_KEY) || this.entries.has(NULL_UNCERTAIN_KEY);
  }

  /** The single indexed field, or undefined for a compound index. */
  get field(): string | undefined {
    return this.spec.keys.length === 1 ? this.spec.keys[0]?.[0] : undefined;
  }

  /** The keys a document is indexed under; empty when a sparse index skips it. */
  keysOf(doc: Document): readonly string[] {
    if (this.paths.length === 1) {
      // One field: its keys as they are, with the marker the general case below adds.
      const field = fieldKeys(doc, this.paths[0]!);
      if (!field.throughArray) return this.spec.sparse && field.missing ? [] : field.keys;
      const marker = field.loose ? UNCERTAIN_KEY : NULL_UNCERTAIN_KEY;
      if (this.spec.sparse && field.missing) return [marker];
      this.nullUnsure = true;
      if (!field.loose && field.keys.includes(valueKey(null))) return field.keys;
      return [...field.keys, marker];
    }
    let combos: readonly string[] = [''];
    let allMissing = true;
    let throughArray = false;
    let loose = false;
    for (const path of this.paths) {
      const field = fieldKeys(doc, path);
      const { keys } = field;
      if (!field.missing) allMissing = false;
      if (field.throughArray) throughArray = true;
      if (field.loose) loose = true;
      const next: string[] = [];
      for (const prefix of combos) for (const k of keys) next.push(prefix === '' ? k : `${prefix}\u0001${k}`);
      combos = next;
    }
    const marker = loose ? UNCERTAIN_KEY : NULL_UNCERTAIN_KEY;
    if (this.spec.sparse && allMissing) return throughArray ? [marker] : [];
    if (!throughArray) return combos;
    this.nullUnsure = true;
    // Under null already (every ticket's empty outbox), a lookup of null finds it without the null marker.
    if (!loose && combos.includes(valueKey(null))) return combos;
    return [...combos, marker];
  }

  /** For a unique index: the key-value document of a conflict `doc` (indexed under `keys`) would cause, if any. */
  conflict(idKey: string, doc: Document, keys?: readonly string[]): Document | undefined {
    if (!this.spec.unique) return undefined;
    for (const key of keys ?? this.keysOf(doc)) {
      if (key === UNCERTAIN_KEY || key === NULL_UNCERTAIN_KEY) continue;
      const holders = this.entries.get(key);
      if (holders !== undefined && (typeof holders === 'string' ? holders !== idKey : holders.size > 1 || !holders.has(idKey))) {
        return Object.fromEntries(this.spec.keys.map(([path]) => [path, firstValue(doc, path)]));
      }
    }
    return undefined;
  }

  /** Indexes `doc` under `keys` when given (what `keysOf` said of it), else under its keys. */
  add(idKey: string, doc: Document, keys?: readonly string[]): void {
    this.ordered?.add(idKey, doc);
    if (!this.hashed) return;
    for (const key of keys ?? this.keysOf(doc)) {
      addTo(this.entries, key, idKey);
      const f = this.folded && this.foldedKey(key);
      if (f !== undefined && this.folded) addTo(this.folded, f, idKey);
    }
  }

  remove(idKey: string, doc: Document): void {
    this.ordered?.remove(idKey);
    if (!this.hashed) return;
    for (const key of this.keysOf(doc)) {
      removeFrom(this.entries, key, idKey);
      const f = this.folded && this.foldedKey(key);
      if (f !== undefined && this.folded) removeFrom(this.folded, f, idKey);
    }
  }

  /** Ids of documents whose value (single-field index) equals `text` ignoring the case of ASCII letters, and of those the index cannot judge. */
  lookupIgnoringCase(text: string): Set<string> {
    if (!this.folded) {
      this.folded = new Map();
      for (const [key, ids] of this.entries) {
        const f = this.foldedKey(key);
        if (f !== undefined) for (const id of idsIn(ids)) addTo(this.folded, f, id);
      }
    }
    const out = new Set<string>(idsIn(this.entries.get(UNCERTAIN_KEY)));
    for (const id of idsIn(this.folded.get(text.toLowerCase()))) out.add(id);
    return out;
  }

  /** A string key's lower-cased value, for the folded map of a single-field index. */
  private foldedKey(key: string): string | undefined {
    return this.spec.keys.length === 1 && key.startsWith('s') ? key.slice(1).toLowerCase() : undefined;
  }

  /** Ids of documents indexed under any of the given values (single-field indexes only). */
  lookup(values: readonly unknown[]): ReadonlySet<string> {
    const ofNull = values.some((v) => v === null) && this.entries.has(NULL_UNCERTAIN_KEY);
    // One value and nothing uncertain: the index's own set, read-only (the common lookup, no copy of a large set).
    if (values.length === 1 && !this.entries.has(UNCERTAIN_KEY) && !ofNull) {
      const holders = this.entries.get(valueKey(values[0]));
      return typeof holders === 'string' ? new Set([holders]) : (holders ?? new Set<string>());
    }
    const out = new Set<string>(idsIn(this.entries.get(UNCERTAIN_KEY)));
    if (ofNull) for (const id of idsIn(this.entries.get(NULL_UNCERTAIN_KEY))) out.add(id);
    for (const v of values) for (const id of idsIn(this.entries.get(valueKey(v)))) out.add(id);
    return out;
  }

  /**
   * Ids of every document that could hold a value other than `values` (a `$nin` of them): all the
   * index's documents but those under only those values. Undefined when the index cannot say (a
   * sparse one leaves out documents lacking the field, which `$nin` matches) or when it holds more
   * than `MAX_COMPLEMENT_KEYS` distinct values (a near-unique index: walking it is a scan).
   */
  lookupExcept(values: readonly unknown[]): ReadonlySet<string> | undefined {
    if (this.field === undefined || this.spec.sparse || !this.hashed || this.entries.size > MAX_COMPLEMENT_KEYS) return undefined;
    if (!values.every(isLookupValue)) return undefined;
    const excluded = new Set(values.map(valueKey));
    const out = new Set<string>();
    for (const [key, holders] of this.entries) if (!excluded.has(key)) for (const id of idsIn(holders)) out.add(id);
    return out;
  }

  /** Whether this index can answer an equality lookup of `values` without missing matches. */
  canAnswer(values: readonly unknown[]): boolean {
    return this.field !== undefined && values.every((v) => isLookupValue(v) && !(this.spec.sparse && v === null));
  }
}

/** The most distinct values an index walks to answer a `$nin` (see lookupExcept). */
const MAX_COMPLEMENT_KEYS = 64;

function addTo(map: Map<string, Holders>, key: string, id: string): void {
  const holders = map.get(key);
  if (holders === undefined) map.set(key, id);
  else if (typeof holders !== 'string') holders.add(id);
  else if (holders !== id) map.set(key, new Set([holders, id]));
}

function removeFrom(map: Map<string, Holders>, key: string, id: string): void {
  const holders = map.get(key);
  if (holders === undefined) return;
  if (typeof holders === 'string') {
    if (holders === id) map.delete(key);
    return;
  }
  holders.delete(id);
  // Back to the bare id when one is left (see Holders).
  if (holders.size === 1) map.set(key, holders.values().next().value as string);
  else if (holders.size === 0) map.delete(key);
}

/** MongoDB's default index name: `field_1_other_-1`. */
export function defaultIndexName(keys: readonly [string, 1 | -1][]): string {
  return keys.map(([k, d]) => `${k}_${d}`).join('_');
}
