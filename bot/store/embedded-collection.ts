/**
 * One collection of the embedded store. Documents live in the SQLite file as BSON bytes, read back
 * and decoded when wanted (see FileBodies: a team's years of tickets are not held in memory), with
 * the most recently used ones kept decoded and every index in memory; every change is
 * committed to the SQLite file before it can be observed: each operation runs synchronously from
 * start to finish, so concurrent callers see it as atomic, and a failed commit restores the
 * in-memory state it had staged.
 */
import { aggregate as runPipeline, Query } from 'mingo';
import { update as applyModifier } from 'mingo/updater';
import {
  BSON,
  ObjectId,
  type DeleteResult,
  type Document,
  type Filter,
  type InsertManyResult,
  type InsertOneResult,
  type OptionalUnlessRequiredId,
  type Sort,
  type UpdateFilter,
  type UpdateResult,
  type WithId,
  type WithoutId,
} from 'mongodb';
import { StoreError } from '../errors.js';
import { cloneDocument } from './clone-document.js';
import { compileFilter } from './compile-filter.js';
import type {
  DocBulkOperation,
  DocBulkWriteResult,
  DocCollection,
  DocCursor,
  DocFindOneAndUpdateOptions,
  DocFindOneOptions,
  DocFindOptions,
  DocIndexKeys,
  DocIndexOptions,
  DocReplaceOptions,
  DocUpdateOptions,
  DocWriteOptions,
} from './doc-collection.js';
import { isRelaxed } from './doc-collection.js';
import { duplicateKeyError } from './duplicate-key.js';
import { defaultIndexName, EmbeddedIndex, type IndexSpec, isLookupValue, valueKey } from './embedded-index.js';
import { isOperatorObject, seedUpsert } from './seed-upsert.js';
import { FileBodies } from './file-bodies.js';
import { pruneBody, readPaths, type PathTree } from './bson-paths.js';
import { inclusionProjector } from './inclusion-projection.js';
import { settled } from './settled.js';
import { simpleUpdate } from './simple-update.js';
import type { RowWrite, SqliteFile } from './sqlite-file.js';

type Stored = Document & { _id: unknown };

/** Up to this many candidates pinned by an index are sorted directly; more are read in an index's order instead. */
const FEW_CANDIDATES = 1000;
type Modifier = Parameters<typeof applyModifier>[1];
/** Stages one document change inside `CollectionState.write` (see there); returns the document as held (an insert's: the one given). */
type Stage = (idKey: string, after: Stored | undefined, serialized?: Uint8Array) => Stored | undefined;

/**
 * A document as held: its BSON bytes and, decoded, what they say; or, `lent`, an insert's
 * document as the caller gave it, which says the same of every indexed field (see `write`).
 */
interface Held {
  doc: Stored;
  body: Uint8Array;
  lent?: true;
}


/**
 * How many decoded documents a collection keeps, most recently used first: the live tickets a
 * team works on are read again and again, a first sync's thousands of old ones hardly ever.
 */
export const HOT_DOCUMENTS = 2048;

/** The document BSON bytes hold. */
function decodeBody(body: Uint8Array): Stored {
  return BSON.deserialize(body) as Stored;
}

/** No lone surrogate (UTF-8 bytes would read back as U+FFFD); `isWellFormed` is ES2024, in Node 20 but not in the project's lib. */
const wellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * True when `value` reads back from its BSON bytes as the same values: strings, numbers,
 * booleans, null, undefined (an absent field either way), valid Dates, ObjectIds, and plain
 * objects and arrays of those. Index keys computed from such a value are those of the stored
 * document; any other type (a Long, a Map, a lone surrogate) may read back as something else.
 */
export function readsBackSame(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  switch (typeof value) {
    case 'string':
      return wellFormed(value);
    case 'number':
    case 'boolean':
      return true;
    case 'object':
      break;
    default:
      return false;
  }
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) if (!readsBackSame(item)) return false;
    return true;
  }
  if (value instanceof Date) return !Number.isNaN(value.getTime());
  if (value instanceof ObjectId) return true;
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) if (!readsBackSame((value as Document)[key])) return false;
  return true;
}

/**
 * True when what an index of the path `parts` reads of `doc` (see pathValues in embedded-index.ts)
 * reads back the same from its BSON bytes: plain documents along the path, and at its end (or at
 * an array on the way, whose every element counts) values as `readsBackSame` says. A scalar on
 * the way ends the path as missing either way.
 */
export function pathReadsBack(doc: Document, parts: readonly string[]): boolean {
  let node: unknown = doc;
  for (const part of parts) {
    if (node === null || typeof node !== 'object' || node instanceof Date || node instanceof ObjectId) return true;
    if (Array.isArray(node)) return readsBackSame(node);
    if (Object.getPrototypeOf(node) !== Object.prototype) return false;
    node = (node as Document)[part];
  }
  return readsBackSame(node);
}

/** The first own enumerable key of `doc` (the first field BSON writes), if any. */
function firstKey(doc: Document): string | undefined {
  for (const key in doc) return key;
  return undefined;
}

/** An operation the server would reject as malformed (bad update document, immutable _id, ...). */
function invalid(message: string): Error {
  return new TypeError(message);
}

/**
 * The text a `{ $regex: '^text$', $options: 'i' | '' }` condition matches exactly (the shape of a
 * whole-value, optionally case-insensitive lookup), or undefined for any other condition. Only
 * backslash-escaped punctuation may appear in the text: anything else special is a real pattern.
 */
export function anchoredLiteral(cond: Document): { text: string; ignoreCase: boolean } | undefined {
  const { $regex: source, $options: options = '', ...rest } = cond;
  if (Object.keys(rest).length > 0 || typeof source !== 'string' || (options !== '' && options !== 'i')) return undefined;
  if (!source.startsWith('^') || !source.endsWith('$') || source.endsWith('\\$')) return undefined;
  let text = '';
  for (let i = 1; i < source.length - 1; i++) {
    const c = source[i] ?? '';
    if (c === '\\') {
      const next = source[++i] ?? '';
      if (!/[.*+?^${}()|[\]\\/-]/.test(next)) return undefined;
      text += next;
    } else if (/[.*+?^${}()|[\]]/.test(c)) return undefined;
    else text += c;
  }
  return { text, ignoreCase: options === 'i' };
}

/** True when every character is ASCII: JavaScript's case-insensitive matching then agrees with lower-casing. */
const isAscii = (s: string): boolean => [...s].every((c) => c.charCodeAt(0) < 128);

/** Normalises every form of the driver's `Sort` to mingo's `{ field: 1 | -1 }`. */
export function normaliseSort(sort: Sort | undefined): Record<string, 1 | -1> | undefined {
  if (sort === undefined) return undefined;
  const out: Record<string, 1 | -1> = {};
  const dir = (d: unknown): 1 | -1 => {
    if (d === 1 || d === 'asc' || d === 'ascending') return 1;
    if (d === -1 || d === 'desc' || d === 'descending') return -1;
    throw invalid(`unsupported sort direction ${JSON.stringify(d)}`);
  };
  if (typeof sort === 'string') out[sort] = 1;
  else if (sort instanceof Map) for (const [k, d] of sort) out[String(k)] = dir(d);
  else if (Array.isArray(sort)) {
    if (sort.length === 2 && typeof sort[0] === 'string' && !Array.isArray(sort[1]) && typeof sort[1] !== 'string') {
      out[sort[0]] = dir(sort[1]);
    } else if (sort.length === 2 && typeof sort[0] === 'string' && ['asc', 'desc', 'ascending', 'descending'].includes(String(sort[1]))) {
      out[sort[0]] = dir(sort[1]);
    } else {
      for (const item of sort as readonly unknown[]) {
        if (typeof item === 'string') out[item] = 1;
        else if (Array.isArray(item)) out[String(item[0])] = dir(item[1]);
      }
    }
  } else if (typeof sort === 'object') for (const [k, d] of Object.entries(sort)) out[k] = dir(d);
  else throw invalid(`unsupported sort ${String(sort)}`);
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Splits an update document into mingo's modifier and the `$setOnInsert` part. */
function parseUpdate(update: unknown): { modifier: Document; onInsert: Document | undefined } {
  if (Array.isArray(update)) throw invalid('aggregation-pipeline updates are not supported by the embedded store');
  if (update === null || typeof update !== 'object' || !isOperatorObject(update)) {
    throw invalid('Update document requires atomic operators');
  }
  const { $setOnInsert, ...modifier } = update;
  return { modifier, onInsert: ($setOnInsert as Document | undefined) ?? undefined };
}

/** MongoDB refuses `$inc` / `$mul` on a non-numeric field; mingo silently skips it. */
function checkArithmetic(doc: Document, modifier: Document): void {
  for (const op of ['$inc', '$mul'] as const) {
    const fields: unknown = modifier[op];
    if (fields === null || typeof fields !== 'object') continue;
    for (const [path, by] of Object.entries(fields)) {
      if (typeof by !== 'number') throw invalid(`Cannot ${op} with non-numeric argument: {${path}: ${String(by)}}`);
      let node: unknown = doc;
      for (const part of path.split('.')) node = node !== null && typeof node === 'object' ? (node as Document)[part] : undefined;
      if (node !== undefined && typeof node !== 'number') {
        throw invalid(`Cannot apply ${op} to a value of non-numeric type: field '${path}'`);
      }
    }
  }
}

/** The in-memory state and behaviour of one collection; `EmbeddedCollection` is its typed face. */
export class CollectionState {
  /** Every document's BSON bytes, by id key: in the file, and a write's staged ones until it ends. */
  private readonly bodies: FileBodies;
  /** Decoded documents, least recently used first, at most HOT_DOCUMENTS; always what `bodies` says. */
  private readonly hot = new Map<string, Stored>();
  private readonly indexes: EmbeddedIndex[] = [];
  /** The paths the indexes read (and `_id`), split at their dots: what an inserted document is indexed by (see `write`). */
  private readonly indexedPaths: (readonly string[])[] = [['_id']];

  constructor(
    readonly name: string,
    private readonly file: SqliteFile,
    private readonly namespace: string,
  ) {
    this.bodies = new FileBodies(file, name);
    for (const spec of file.loadIndexes(name)) this.addIndex(new EmbeddedIndex(spec));
    for (const row of file.loadDocuments(name)) {
      this.bodies.known(row.id);
      if (this.indexes.length === 0) continue;
      const doc = decodeBody(row.body);
      for (const index of this.indexes) index.add(row.id, doc);
    }
  }

  get size(): number {
    return this.bodies.size;
  }

  private addIndex(index: EmbeddedIndex): void {
    this.indexes.push(index);
    for (const [path] of index.spec.keys) this.indexedPaths.push(path.split('.'));
  }

  /** Decoded documents held now (tests prove the bound). */
  get decodedHeld(): number {
    return this.hot.size;
  }

  /**
   * The live (shared, never to be mutated) decoded document of an id key: the kept one, or decoded
   * from its bytes; `keep` false reads without keeping it (a walk through the whole collection
   * would only push the often-read documents out). With `fields`, a document not kept decoded is
   * decoded with those fields only (see pruneBody) and never kept.
   */
  private get(idKey: string, keep = true, fields?: PathTree): Stored | undefined {
    const kept = this.hot.get(idKey);
    if (kept) {
      if (keep) {
        this.hot.delete(idKey);
        this.hot.set(idKey, kept);
      }
      return kept;
    }
    const body = this.bodies.get(idKey);
    if (body === undefined) return undefined;
    const part = fields && pruneBody(body, fields);
    if (part) return decodeBody(part);
    const doc = decodeBody(body);
    if (keep) this.keep(idKey, doc);
    return doc;
  }

  /** Keeps `doc` as the most recently used decoded document, forgetting the least recent beyond the bound. */
  private keep(idKey: string, doc: Stored): void {
    this.hot.delete(idKey);
    this.hot.set(idKey, doc);
    if (this.hot.size > HOT_DOCUMENTS) this.hot.delete(this.hot.keys().next().value as string);
  }

  /**
   * Every document with its id key, decoded one by one; kept only when the whole collection fits
   * among the decoded ones (a settings collection, new tickets' announcements), where keeping
   * pushes nothing else out (see `get`).
   */
  private *entries(fields?: PathTree): Generator<[string, Stored]> {
    const keep = this.bodies.size <= HOT_DOCUMENTS;
    for (const idKey of this.bodies.keys()) yield [idKey, this.get(idKey, keep, fields) as Stored];
  }

  /** Every document, as `entries`. */
  private *all(fields?: PathTree): Generator<Stored> {
    for (const [, doc] of this.entries(fields)) yield doc;
  }

  private assertOpen(): void {
    if (!this.file.open) throw new StoreError(`collection ${this.name} used after the store was closed`);
  }

  // ---- reads ----------------------------------------------------------------------------------

  /**
   * Documents that could match (a superset: the whole filter still judges each): from the _id map
   * or a single-field index when the filter pins one by equality, by an anchored literal regex
   * (`^text$`, also case-insensitive), by `$nin` (an index of few values: all but those), or by an
   * `$elemMatch` equality an index of the array's field answers; or the union of those of every
   * branch of an `$or`.
   */
  private candidates(filter: Document, fields?: PathTree): Iterable<Stored> {
    const ids = this.indexedIds(filter);
    return ids ? this.byIds(ids, fields) : this.all(fields);
  }

  /** The ids of the documents an index says could match `filter`; undefined when no index pins it. */
  private indexedIds(filter: Document): ReadonlySet<string> | undefined {
    for (const [field, cond] of Object.entries(filter)) {
      if (field.startsWith('$')) continue;
      let values: unknown[] | undefined;
      if (isOperatorObject(cond)) {
        if ('$eq' in cond) values = [cond.$eq];
        else if (Array.isArray(cond.$in)) values = cond.$in as unknown[];
        else if (Array.isArray(cond.$nin)) {
          const ids = this.indexes.find((ix) => ix.field === field && ix.field !== '_id')?.lookupExcept(cond.$nin as unknown[]);
          if (ids) return ids;
        } else if (cond.$elemMatch !== null && typeof cond.$elemMatch === 'object' && !isOperatorObject(cond.$elemMatch)) {
          const ids = this.elementIds(field, cond.$elemMatch);
          if (ids) return ids;
        } else {
          const literal = anchoredLiteral(cond);
          const index = literal && this.indexes.find((ix) => ix.field === field && ix.field !== '_id');
          if (literal && index) {
            if (!literal.ignoreCase) return index.lookup([literal.text]);
            if (isAscii(literal.text)) return index.lookupIgnoringCase(literal.text);
          }
        }
      } else values = [cond];
      if (values === undefined) continue;
      if (field === '_id') {
        if (!values.every((v) => v !== null && !Array.isArray(v) && !(v instanceof RegExp) && !isOperatorObject(v))) continue;
        return new Set(values.map(valueKey));
      }
      const index = this.indexes.find((ix) => ix.field === field && ix.canAnswer(values));
      if (index) return index.lookup(values);
    }
    const branches: unknown = filter.$or;
    if (Array.isArray(branches) && branches.length > 0 && Object.keys(filter).every((k) => k === '$or' || !k.startsWith('$'))) {
      const union = new Set<string>();
      for (const branch of branches as unknown[]) {
        const ids = branch !== null && typeof branch === 'object' && !Array.isArray(branch) ? this.indexedIds(branch) : undefined;
        if (!ids) return undefined;
        for (const id of ids) union.add(id);
      }
      return union;
    }
    return undefined;
  }

  /**
   * The ids of the documents an index of `field.sub` says could match `{ field: { $elemMatch } }`:
   * a matching element holds a value other than null that the query pins at `sub`.
   */
  private elementIds(field: string, elemMatch: Document): ReadonlySet<string> | undefined {
    for (const [sub, cond] of Object.entries(elemMatch)) {
      if (sub.startsWith('$')) continue;
      const values = !isOperatorObject(cond) ? [cond] : '$eq' in cond ? [cond.$eq] : Array.isArray(cond.$in) ? (cond.$in as unknown[]) : undefined;
      if (!values || values.some((v) => v === null)) continue;
      const index = this.indexes.find((ix) => ix.field === `${field}.${sub}` && ix.canAnswer(values));
      if (index) return index.lookup(values);
    }
    return undefined;
  }

  private *byIds(ids: Iterable<string>, fields?: PathTree): Generator<Stored> {
    for (const id of ids) {
      const doc = this.get(id, true, fields);
      if (doc) yield doc;
    }
  }

  /** Documents the queries of this collection have judged or walked (tests prove a query used an index with it). */
  examined = 0;

  /**
   * Live (uncopied) matching documents, sorted and paged; with `fields`, those not kept decoded
   * hold only the fields the caller reads (the filter's, the sort's and a projection's: see readPaths).
   */
  select(filter: Document, sort?: Sort, skip = 0, limit = 0, fields?: PathTree): Stored[] {
    this.assertOpen();
    const matches = compileFilter(filter);
    const spec = normaliseSort(sort);
    const max = Math.abs(limit);
    if (spec) {
      const ordered = this.selectOrdered(filter, matches, spec, skip, max, fields);
      if (ordered) return ordered;
    }
    if (!spec) return this.page(this.candidates(filter, fields), matches, skip, max);
    const matched: Stored[] = [];
    for (const doc of this.candidates(filter, fields)) {
      this.examined++;
      if (matches(doc)) matched.push(doc);
    }
    const cursor = new Query({}).find<Stored>(matched).sort(spec);
    if (skip > 0) cursor.skip(skip);
    if (max > 0) cursor.limit(max);
    return cursor.all();
  }

  /**
   * A sorted read through an index that holds the documents in the order asked (see
   * OrderedView): walks that order, judging each document, until `skip + limit` match. Undefined
   * (sort as before) when no index gives the order, or when an index pins so few candidates that
   * sorting them is cheaper.
   */
  private selectOrdered(
    filter: Document,
    matches: (doc: Document) => boolean,
    spec: Record<string, 1 | -1>,
    skip: number,
    max: number,
    fields: PathTree | undefined,
  ): Stored[] | undefined {
    const ids = this.indexedIds(filter);
    if (ids && ids.size <= FEW_CANDIDATES) return undefined;
    let order: Iterable<string> | undefined;
    for (const index of this.indexes) if ((order = index.orderedIds(spec, () => this.entries()))) break;
    if (!order) return undefined;
    return this.page(this.inOrder(order, ids, fields), matches, skip, max);
  }

  /** The documents of `order` (ids in an index's order), only those in `ids` when given. */
  private *inOrder(order: Iterable<string>, ids: ReadonlySet<string> | undefined, fields: PathTree | undefined): Iterable<Stored> {
    for (const idKey of order) {
      if (ids && !ids.has(idKey)) continue;
      const doc = this.get(idKey, true, fields);
      if (doc) yield doc;
    }
  }

  /** The matching documents of `docs`, in their order, after `skip`, at most `max` (0: all). */
  private page(docs: Iterable<Stored>, matches: (doc: Document) => boolean, skip: number, max: number): Stored[] {
    const out: Stored[] = [];
    let toSkip = skip;
    for (const doc of docs) {
      this.examined++;
      if (!matches(doc)) continue;
      if (toSkip > 0) {
        toSkip--;
        continue;
      }
      out.push(doc);
      if (max > 0 && out.length >= max) break;
    }
    return out;
  }

  /** How many documents match: the collection's size, or an index's count when it answers the filter alone, or by judging each candidate. */
  count(filter: Document): number {
    this.assertOpen();
    const keys = Object.keys(filter);
    if (keys.length === 0) return this.bodies.size;
    if (keys.length === 1 && !keys[0]!.startsWith('$')) {
      const field = keys[0]!;
      const cond: unknown = filter[field];
      const values = !isOperatorObject(cond) ? [cond] : Object.keys(cond).length !== 1 ? undefined : '$eq' in cond ? [cond.$eq] : Array.isArray(cond.$in) ? (cond.$in as unknown[]) : undefined;
      // Ids of scalar values (what the app counts: "do these tickets exist yet?"): the stored ones among them, none decoded.
      if (field === '_id') {
        if (!values?.every((v) => v !== null && isLookupValue(v))) return this.select(filter).length;
        let found = 0;
        for (const idKey of new Set(values.map(valueKey))) if (this.bodies.has(idKey)) found++;
        return found;
      }
      const index = values && this.indexes.find((ix) => ix.field === field && ix.answersAlone(values) && ix.canAnswer(values));
      // Without paths through arrays, an index's entries for scalar values are exactly the matches.
      if (values && index && !values.some((v) => Array.isArray(v) || isOperatorObject(v))) return index.lookup(values).size;
    }
    return this.select(filter).length;
  }

  /** Copies of documents, projected when asked. */
  output(docs: Stored[], projection: Document | undefined): Document[] {
    if (projection && Object.keys(projection).length > 0) {
      const mingo = (some: Stored[]): Document[] => new Query({}).find<Document>(some, projection).all().map(cloneDocument);
      // An inclusion of plain paths (what the app asks for) is copied along its paths; anything else, and any document it is unsure of, goes to mingo.
      const project = inclusionProjector(projection);
      if (!project) return mingo(docs);
      return docs.map((doc) => project(doc) ?? (mingo([doc])[0] as Document));
    }
    return docs.map(cloneDocument);
  }

  // ---- writes ---------------------------------------------------------------------------------

  /** True when what the indexes read of `doc` reads back the same from its bytes (see `pathReadsBack`). */
  private readsBack(doc: Stored): boolean {
    for (const parts of this.indexedPaths) if (!pathReadsBack(doc, parts)) return false;
    return true;
  }

  /** The stored document of an id key, decoded: live, never to be mutated. */
  stored(idKey: string): Stored | undefined {
    return this.get(idKey);
  }

  /** What is held for an id key now, if anything. */
  private held(idKey: string): Held | undefined {
    const body = this.bodies.get(idKey);
    return body === undefined ? undefined : { doc: this.hot.get(idKey) ?? decodeBody(body), body };
  }

  /** Changes memory for one document, refusing a unique-index violation before touching anything. */
  private put(idKey: string, before: Held | undefined, after: Held | undefined, checked = true): void {
    // The keys of `after` in each unique index, computed once for its check and its entry.
    const uniqueKeys: (readonly string[] | undefined)[] = [];
    if (after && checked) {
      for (const index of this.indexes) {
        const keys = index.spec.unique ? index.keysOf(after.doc) : undefined;
        uniqueKeys.push(keys);
        const keyValue = keys && index.conflict(idKey, after.doc, keys);
        if (keyValue) {
          throw duplicateKeyError(this.namespace, index.spec.name, Object.fromEntries(index.spec.keys), keyValue);
        }
      }
    }
    if (before) for (const index of this.indexes) index.remove(idKey, before.doc);
    if (after) {
      this.indexes.forEach((index, i) => index.add(idKey, after.doc, uniqueKeys[i]));
      this.bodies.set(idKey, after.body);
      // A lent document is the caller's, never kept; decoded when first read.
      if (!after.lent) this.keep(idKey, after.doc);
    } else {
      this.bodies.delete(idKey);
      this.hot.delete(idKey);
    }
  }

  /**
   * Runs `build`, which stages document changes one after another (each sees the previous), then
   * commits them all to disk in one transaction. If the commit fails, memory is restored and a
   * StoreError is thrown. If `build` throws part-way (e.g. a duplicate key in the 3rd of 5
   * inserts), the changes staged before it are committed and then the error is rethrown, as
   * MongoDB's ordered writes do. `relaxed` commits without an fsync (see RELAXED_WRITE).
   */
  write(build: (stage: Stage) => void, relaxed = false): void {
    this.assertOpen();
    // The rows to commit, and what each document was before (to restore memory if the commit fails).
    const rows: RowWrite[] = [];
    const befores: (Held | undefined)[] = [];
    const stage: Stage = (idKey, after, serialized) => {
      const before = this.held(idKey);
      let next: Held | undefined;
      let body: Uint8Array | undefined;
      if (after) {
        // An insert is indexed from the document given, not decoded from the bytes just made, when
        // its indexed fields read back the same: the indexes take keys (strings, copied values)
        // from it now and keep no reference into it. Nor is it kept decoded: a first sync inserts
        // thousands of old tickets that are hardly read again; the live ones are decoded on demand.
        body = serialized ?? BSON.serialize(after);
        next = before === undefined && this.readsBack(after) ? { doc: after, body, lent: true } : { doc: decodeBody(body), body };
      }
      this.put(idKey, before, next);
      rows.push({ id: idKey, body, insert: before === undefined });
      befores.push(before);
      return next?.doc;
    };
    let failed: { error: unknown } | undefined;
    try {
      build(stage);
    } catch (error) {
      failed = { error };
    }
    try {
      if (rows.length > 0) {
        try {
          this.file.write(this.name, rows, relaxed);
        } catch (err) {
          for (let i = rows.length - 1; i >= 0; i--) this.put(rows[i]!.id, this.held(rows[i]!.id), befores[i], false);
          throw err;
        }
      }
    } finally {
      // Committed, or rolled back with memory restored: either way the file now says what is stored.
      this.bodies.settle();
    }
    if (failed) throw failed.error;
  }

  /** The document to store for an insert: `_id` first, generated when absent (`doc` itself when it has it first). */
  prepareInsert(doc: Document): { idKey: string; doc: Stored } {
    const id: unknown = doc._id === undefined ? new ObjectId() : doc._id;
    if (Array.isArray(id)) throw invalid("can't use an array for _id");
    if (id === doc._id && firstKey(doc) === '_id') return { idKey: valueKey(id), doc: doc as Stored };
    const { _id: _ignored, ...rest } = doc;
    return { idKey: valueKey(id), doc: { _id: id, ...rest } };
  }

  /** Stages an insert, refusing an `_id` that already exists. */
  stageInsert(stage: (idKey: string, after: Stored | undefined) => Stored | undefined, doc: Document): Stored {
    const { idKey, doc: stored } = this.prepareInsert(doc);
    if (this.bodies.has(idKey)) throw duplicateKeyError(this.namespace, '_id_', { _id: 1 }, { _id: stored._id });
    return stage(idKey, stored) as Stored;
  }

  /** Applies an update document to a copy of `doc`; returns the copy, or undefined when nothing changed. */
  applyUpdate(doc: Stored, modifier: Document): Stored | undefined {
    if (Object.keys(modifier).length === 0) return undefined;
    const quick = simpleUpdate(doc, modifier);
    if (quick !== undefined) return (quick as Stored | null) ?? undefined;
    const copy = cloneDocument(doc);
    checkArithmetic(copy, modifier);
    const changed = applyModifier(copy, modifier as Modifier);
    return changed.length > 0 ? copy : undefined;
  }

  /** The new document an upsert inserts when nothing matched. */
  upsertDocument(filter: Document, modifier: Document, onInsert: Document | undefined): Document {
    const seed = seedUpsert(filter);
    const full: Document = { ...modifier };
    if (onInsert) full.$set = { ...(modifier.$set as Document | undefined), ...onInsert };
    const doc: Document = seed._id === undefined ? { _id: new ObjectId(), ...seed } : seed;
    if (Object.keys(full).length > 0) {
      checkArithmetic(doc, full);
      const quick = simpleUpdate(doc, full);
      if (quick !== undefined) return quick ?? doc;
      applyModifier(doc, full as Modifier);
    }
    return doc;
  }

  /** Re-keys an existing document for update/replace, refusing an `_id` change. */
  keyOf(doc: Stored): string {
    return valueKey(doc._id);
  }

  // ---- indexes --------------------------------------------------------------------------------

  createIndex(keys: DocIndexKeys, options: DocIndexOptions): string {
    this.assertOpen();
    const pairs = Object.entries(keys);
    if (pairs.length === 0) throw invalid('createIndex needs at least one key');
    for (const [, d] of pairs) if (d !== 1 && d !== -1) throw invalid(`unsupported index direction ${String(d)}`);
    const spec: IndexSpec = {
      name: options.name ?? defaultIndexName(pairs),
      keys: pairs,
      unique: options.unique ?? false,
      sparse: options.sparse ?? false,
    };
    if (pairs.length === 1 && pairs[0]?.[0] === '_id') return '_id_';
    const same = (a: IndexSpec): boolean => JSON.stringify(a.keys) === JSON.stringify(spec.keys);
    const existing = this.indexes.find((ix) => ix.spec.name === spec.name || same(ix.spec));
    if (existing) {
      const e = existing.spec;
      if (e.name === spec.name && same(e) && e.unique === spec.unique && e.sparse === spec.sparse) return e.name;
      throw invalid(`An index with name ${e.name} or the same keys already exists with different options`);
    }
    const index = new EmbeddedIndex(spec);
    for (const [id, doc] of this.entries()) {
      const keyValue = index.conflict(id, doc);
      if (keyValue) throw duplicateKeyError(this.namespace, spec.name, Object.fromEntries(spec.keys), keyValue);
      index.add(id, doc);
    }
    this.file.saveIndex(this.name, spec);
    this.addIndex(index);
    return spec.name;
  }
}

/** The embedded store's implementation of the collection port for document type T. */
export class EmbeddedCollection<T extends Document> implements DocCollection<T> {
  constructor(private readonly state: CollectionState) {}

  insertOne(doc: OptionalUnlessRequiredId<T>, options?: DocWriteOptions): Promise<InsertOneResult<T>> {
    return settled(() => {
      const input = doc as Document;
      if (input._id === undefined) input._id = new ObjectId();
      let stored: Stored | undefined;
      this.state.write((stage) => {
        stored = this.state.stageInsert(stage, input);
      }, isRelaxed(options));
      return { acknowledged: true, insertedId: (stored as Stored)._id as InsertOneResult<T>['insertedId'] };
    });
  }

  insertMany(docs: ReadonlyArray<OptionalUnlessRequiredId<T>>, options?: DocWriteOptions): Promise<InsertManyResult<T>> {
    return settled(() => {
      const insertedIds: InsertManyResult<T>['insertedIds'] = {};
      let insertedCount = 0;
      for (const doc of docs) if ((doc as Document)._id === undefined) (doc as Document)._id = new ObjectId();
      this.state.write((stage) => {
        docs.forEach((doc, i) => {
          const stored = this.state.stageInsert(stage, doc);
          insertedIds[i] = stored._id as InsertManyResult<T>['insertedIds'][number];
          insertedCount++;
        });
      }, isRelaxed(options));
      return { acknowledged: true, insertedCount, insertedIds };
    });
  }

  findOne(filter: Filter<T>, options: DocFindOneOptions = {}): Promise<WithId<T> | null> {
    return settled(() => {
      const found = this.state.select(filter, options.sort, options.skip ?? 0, 1, readPaths(filter, options.projection, normaliseSort(options.sort)));
      return (this.state.output(found, options.projection)[0] as WithId<T> | undefined) ?? null;
    });
  }

  find(filter: Filter<T>, options: DocFindOptions = {}): DocCursor<WithId<T>> {
    return {
      toArray: () =>
        settled(() => {
          const fields = readPaths(filter, options.projection, normaliseSort(options.sort));
          const found = this.state.select(filter, options.sort, options.skip ?? 0, options.limit ?? 0, fields);
          return this.state.output(found, options.projection) as WithId<T>[];
        }),
    };
  }

  aggregate<R extends Document = Document>(pipeline: Document[]): DocCursor<R> {
    return {
      toArray: () =>
        settled(() => {
          // A leading $match selects through the indexes, as MongoDB's would; mingo runs the rest on copies.
          const [first, ...rest] = pipeline;
          const leading = first && Object.keys(first).length === 1 && '$match' in first ? (first.$match as Document) : null;
          const docs = this.state.select(leading ?? {}).map((d) => cloneDocument(d));
          return runPipeline(docs, leading ? rest : pipeline) as R[];
        }),
    };
  }

  countDocuments(filter: Filter<T> = {}): Promise<number> {
    return settled(() => this.state.count(filter));
  }

  updateOne(filter: Filter<T>, update: UpdateFilter<T>, options: DocUpdateOptions = {}): Promise<UpdateResult<T>> {
    return settled(() => this.update(filter, update, options.upsert ?? false, 1, undefined, isRelaxed(options)).result);
  }

  updateMany(filter: Filter<T>, update: UpdateFilter<T>, options: DocUpdateOptions = {}): Promise<UpdateResult<T>> {
    return settled(() => this.update(filter, update, options.upsert ?? false, 0, undefined, isRelaxed(options)).result);
  }

  findOneAndUpdate(filter: Filter<T>, update: UpdateFilter<T>, options: DocFindOneAndUpdateOptions = {}): Promise<WithId<T> | null> {
    return settled(() => {
      const { before, after } = this.update(filter, update, options.upsert ?? false, 1, options.sort, isRelaxed(options));
      const chosen = options.returnDocument === 'after' ? after : before;
      return chosen ? (this.state.output([chosen], options.projection)[0] as WithId<T>) : null;
    });
  }

  replaceOne(filter: Filter<T>, replacement: WithoutId<T>, options: DocReplaceOptions = {}): Promise<UpdateResult<T>> {
    return settled(() => this.replace(filter, replacement, options.upsert ?? false, isRelaxed(options)));
  }

  private replace(filter: Document, replacement: WithoutId<T>, upsert: boolean, relaxed: boolean): UpdateResult<T> {
    let result: UpdateResult<T> | undefined;
    this.state.write((stage) => {
      result = this.stageReplace(stage, filter, replacement, upsert);
    }, relaxed);
    return result as UpdateResult<T>;
  }

  /** The body of replaceOne, staged in a write that may hold others (bulkWrite). */
  private stageReplace(stage: Stage, filter: Document, replacement: WithoutId<T>, upsert: boolean): UpdateResult<T> {
    const doc = replacement as Document;
    if (Object.keys(doc).some((k) => k.startsWith('$'))) throw invalid('Replacement document must not contain atomic operators');
    const result: UpdateResult<T> = { acknowledged: true, matchedCount: 0, modifiedCount: 0, upsertedCount: 0, upsertedId: null };
    {
      const [current] = this.state.select(filter, undefined, 0, 1);
      if (current) {
        result.matchedCount = 1;
        if (doc._id !== undefined && valueKey(doc._id) !== valueKey(current._id)) {
          throw invalid("After applying the update, the (immutable) field '_id' was found to have been altered");
        }
        const { _id: _ignored, ...rest } = doc;
        const next: Stored = { _id: current._id, ...rest };
        const body = BSON.serialize(next);
        if (Buffer.compare(body, BSON.serialize(current)) === 0) return result;
        stage(this.state.keyOf(current), next, body);
        result.modifiedCount = 1;
      } else if (upsert) {
        const seededId: unknown = seedUpsert(filter)._id;
        const stored = this.state.stageInsert(stage, seededId === undefined ? doc : { ...doc, _id: seededId });
        result.upsertedCount = 1;
        result.upsertedId = stored._id as UpdateResult<T>['upsertedId'];
      }
    }
    return result;
  }

  deleteOne(filter: Filter<T>, options?: DocWriteOptions): Promise<DeleteResult> {
    return settled(() => this.delete(filter, 1, isRelaxed(options)));
  }

  deleteMany(filter: Filter<T>, options?: DocWriteOptions): Promise<DeleteResult> {
    return settled(() => this.delete(filter, 0, isRelaxed(options)));
  }

  createIndex(keys: DocIndexKeys, options: DocIndexOptions = {}): Promise<string> {
    return settled(() => this.state.createIndex(keys, options));
  }

  private delete(filter: Document, limit: number, relaxed: boolean): DeleteResult {
    let deletedCount = 0;
    this.state.write((stage) => {
      deletedCount = this.stageDelete(stage, filter, limit);
    }, relaxed);
    return { acknowledged: true, deletedCount };
  }

  /** The body of deleteOne / deleteMany, staged; returns how many it deleted. */
  private stageDelete(stage: Stage, filter: Document, limit: number): number {
    let deletedCount = 0;
    for (const doc of this.state.select(filter, undefined, 0, limit)) {
      stage(this.state.keyOf(doc), undefined);
      deletedCount++;
    }
    return deletedCount;
  }

  /** Shared body of updateOne / updateMany / findOneAndUpdate; fully synchronous, hence atomic. */
  private update(
    filter: Document,
    update: unknown,
    upsert: boolean,
    limit: number,
    sort: Sort | undefined,
    relaxed: boolean,
  ): { result: UpdateResult<T>; before: Stored | undefined; after: Stored | undefined } {
    let out: { result: UpdateResult<T>; before: Stored | undefined; after: Stored | undefined } | undefined;
    this.state.write((stage) => {
      out = this.stageUpdate(stage, filter, update, upsert, limit, sort);
    }, relaxed);
    return out as { result: UpdateResult<T>; before: Stored | undefined; after: Stored | undefined };
  }

  /** The body of update, staged in a write that may hold others (bulkWrite). */
  private stageUpdate(
    stage: Stage,
    filter: Document,
    update: unknown,
    upsert: boolean,
    limit: number,
    sort?: Sort,
  ): { result: UpdateResult<T>; before: Stored | undefined; after: Stored | undefined } {
    const { modifier, onInsert } = parseUpdate(update);
    const result: UpdateResult<T> = { acknowledged: true, matchedCount: 0, modifiedCount: 0, upsertedCount: 0, upsertedId: null };
    let before: Stored | undefined;
    let after: Stored | undefined;
    {
      const matched = this.state.select(filter, sort, 0, limit);
      for (const doc of matched) {
        result.matchedCount++;
        const next = this.state.applyUpdate(doc, modifier);
        before ??= doc;
        if (!next) {
          after ??= doc;
          continue;
        }
        const stored = stage(this.state.keyOf(doc), next);
        after ??= stored;
        result.modifiedCount++;
      }
      if (matched.length === 0 && upsert) {
        const stored = this.state.stageInsert(stage, this.state.upsertDocument(filter, modifier, onInsert));
        // As stored (the inserted document is the one built here, not what its bytes say).
        after = this.state.stored(this.state.keyOf(stored));
        result.upsertedCount = 1;
        result.upsertedId = stored._id as UpdateResult<T>['upsertedId'];
      }
    }
    return { result, before, after };
  }

  bulkWrite(operations: ReadonlyArray<DocBulkOperation<T>>, options?: DocWriteOptions): Promise<DocBulkWriteResult> {
    return settled(() => {
      const r: { -readonly [K in keyof DocBulkWriteResult]: number } = { insertedCount: 0, matchedCount: 0, modifiedCount: 0, deletedCount: 0, upsertedCount: 0 };
      const count = (u: UpdateResult<T>): void => {
        r.matchedCount += u.matchedCount;
        r.modifiedCount += u.modifiedCount;
        r.upsertedCount += u.upsertedCount;
      };
      // Like the driver, an insert without _id gets one on the given document before anything is sent.
      for (const op of operations) if ('insertOne' in op && (op.insertOne.document as Document)._id === undefined) (op.insertOne.document as Document)._id = new ObjectId();
      // One write: every operation sees the ones before it, and all are committed together.
      this.state.write((stage) => {
        for (const op of operations) {
          if ('insertOne' in op) {
            this.state.stageInsert(stage, op.insertOne.document);
            r.insertedCount++;
          } else if ('replaceOne' in op) count(this.stageReplace(stage, op.replaceOne.filter, op.replaceOne.replacement, op.replaceOne.upsert ?? false));
          else if ('updateOne' in op) count(this.stageUpdate(stage, op.updateOne.filter, op.updateOne.update, op.updateOne.upsert ?? false, 1).result);
          else if ('updateMany' in op) count(this.stageUpdate(stage, op.updateMany.filter, op.updateMany.update, op.updateMany.upsert ?? false, 0).result);
          else if ('deleteOne' in op) r.deletedCount += this.stageDelete(stage, op.deleteOne.filter, 1);
          else if ('deleteMany' in op) r.deletedCount += this.stageDelete(stage, op.deleteMany.filter, 0);
          else throw invalid(`unsupported bulk write operation ${Object.keys(op).join(', ')}`);
        }
      }, isRelaxed(options));
      return r;
    });
  }
}
