/**
 * Reading only some fields of a stored document: a projected find (`{ _id: 1, 'lgd.id': 1 }`)
 * whose filter reads a few fields needs those, not a ticket's notes and texts; decoding whole
 * documents to judge and project them is most of what such a query over many tickets costs. The
 * document's BSON bytes are walked field by field and the fields wanted copied into a smaller
 * document, which is decoded instead.
 */
import type { Document } from 'mongodb';

/** The fields wanted of a document: a whole field (true), or some fields of an embedded document. */
export type PathTree = Map<string, PathTree | true>;

/** A PathTree as the walk compares it: each field's name as its UTF-8 bytes. */
type Wanted = { name: Uint8Array; sub: Wanted | true }[];

const encoder = new TextEncoder();
/** Compiled trees, by tree (a find's tree lives as long as the find). */
const compiledTrees = new WeakMap<PathTree, Wanted>();

function compileTree(tree: PathTree): Wanted {
  let w = compiledTrees.get(tree);
  if (!w) {
    w = [...tree].map(([name, sub]) => ({ name: encoder.encode(name), sub: sub === true ? true : compileTree(sub) }));
    compiledTrees.set(tree, w);
  }
  return w;
}

/** Adds a dotted path to a tree (a whole field wanted swallows any of its parts). */
function addPath(tree: PathTree, path: string): boolean {
  const parts = path.split('.');
  if (parts.some((p) => p === '' || p.startsWith('$'))) return false;
  let node = tree;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const had = node.get(part);
    if (had === true) return true;
    if (i === parts.length - 1) {
      node.set(part, true);
      return true;
    }
    let next = had;
    if (next === undefined) {
      next = new Map();
      node.set(part, next);
    }
    node = next;
  }
  return true;
}

/** Adds the fields a filter reads; false when it reads more than its fields (`$where`, `$expr`, `$text`, …). */
function addFilterPaths(tree: PathTree, filter: unknown): boolean {
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) return false;
  for (const [key, cond] of Object.entries(filter as Document)) {
    if (key === '$and' || key === '$or' || key === '$nor') {
      if (!Array.isArray(cond)) return false;
      for (const branch of cond as unknown[]) if (!addFilterPaths(tree, branch)) return false;
    } else if (key.startsWith('$') || !addPath(tree, key)) return false;
  }
  return true;
}

/**
 * The fields a find reads, when it reads only some: an inclusion projection of plain paths
 * (`_id` may be left out), a filter of fields (through `$and`, `$or`, `$nor`) and the sort's
 * fields. Undefined for anything else: no projection, an exclusion, a projection operator, or a
 * filter that looks at the whole document.
 */
export function readPaths(filter: Document, projection: Document | undefined, sort: Record<string, 1 | -1> | undefined): PathTree | undefined {
  if (!projection) return undefined;
  const keys = Object.keys(projection);
  if (keys.length === 0) return undefined;
  const tree: PathTree = new Map([['_id', true]]);
  let included = 0;
  for (const key of keys) {
    const v: unknown = projection[key];
    if (v === 1 || v === true) {
      if (!addPath(tree, key)) return undefined;
      included++;
    } else if (!(key === '_id' && (v === 0 || v === false))) return undefined;
  }
  if (included === 0) return undefined;
  if (!addFilterPaths(tree, filter)) return undefined;
  if (sort) for (const key of Object.keys(sort)) if (!addPath(tree, key)) return undefined;
  return tree;
}

/** The little-endian int32 at `i`. */
function int32(b: Uint8Array, i: number): number {
  return b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
}

/** Writes `v` as a little-endian int32 at `i`. */
function setInt32(b: Uint8Array, i: number, v: number): void {
  b[i] = v & 0xff;
  b[i + 1] = (v >>> 8) & 0xff;
  b[i + 2] = (v >>> 16) & 0xff;
  b[i + 3] = (v >>> 24) & 0xff;
}

/** Bytes a BSON value of `type` at `at` takes, or -1 for a type this walk does not know. */
function valueSize(b: Uint8Array, type: number, at: number): number {
  switch (type) {
    case 0x01: // double
    case 0x09: // date
    case 0x11: // timestamp
    case 0x12: // int64
      return 8;
    case 0x02: // string
    case 0x0d: // JavaScript code
    case 0x0e: // symbol
      return 4 + int32(b, at);
    case 0x03: // document
    case 0x04: // array
    case 0x0f: // code with scope
      return int32(b, at);
    case 0x05: // binary
      return 5 + int32(b, at);
    case 0x06: // undefined
    case 0x0a: // null
    case 0x7f: // max key
    case 0xff: // min key
      return 0;
    case 0x07: // ObjectId
      return 12;
    case 0x08: // boolean
      return 1;
    case 0x10: // int32
      return 4;
    case 0x13: // decimal128
      return 16;
    case 0x0b: {
      // regular expression: two C strings
      let i = at;
      for (let n = 0; n < 2; n++) {
        while (i < b.length && b[i] !== 0) i++;
        i++;
      }
      return i - at;
    }
    case 0x0c: // DBPointer
      return 4 + int32(b, at) + 12;
    default:
      return -1;
  }
}

/** The wanted field whose name is `b[from, to)`, if any. */
function wantedAt(b: Uint8Array, from: number, to: number, wanted: Wanted): Wanted[number] | undefined {
  const length = to - from;
  next: for (const w of wanted) {
    if (w.name.length !== length) continue;
    for (let k = 0; k < length; k++) if (w.name[k] !== b[from + k]) continue next;
    return w;
  }
  return undefined;
}

/** Copies `b[from, to)` into `out` at `at`; returns the position after it. */
function copy(b: Uint8Array, from: number, to: number, out: Uint8Array, at: number): number {
  let o = at;
  for (let i = from; i < to; i++) out[o++] = b[i]!;
  return o;
}

/**
 * Writes into `out` at `at` the document between `start` and `end` of `b` with only the fields of
 * `tree`; returns the position after it, or -1 when the bytes do not read as BSON this walk knows.
 */
function pruneInto(b: Uint8Array, start: number, end: number, tree: Wanted, out: Uint8Array, at: number): number {
  let o = at + 4;
  let i = start + 4;
  while (i < end - 1) {
    const type = b[i]!;
    let n = i + 1;
    while (n < end && b[n] !== 0) n++;
    if (n >= end) return -1;
    const value = n + 1;
    const length = valueSize(b, type, value);
    if (length < 0 || value + length > end) return -1;
    const next = value + length;
    const wanted = wantedAt(b, i + 1, n, tree);
    if (wanted !== undefined && (wanted.sub === true || type !== 0x03)) {
      // The whole field: an array or a scalar on a path is read whole (a path through an array reads each element).
      o = copy(b, i, next, out, o);
    } else if (wanted !== undefined) {
      o = copy(b, i, value, out, o);
      o = pruneInto(b, value, next, wanted.sub as Wanted, out, o);
      if (o < 0) return -1;
    }
    i = next;
  }
  if (i !== end - 1 || b[i] !== 0) return -1;
  out[o++] = 0;
  setInt32(out, at, o - at);
  return o;
}

/**
 * The BSON bytes of the document `body` holds with only the fields of `tree`, in their order (an
 * embedded document on a path keeps only the fields wanted of it; an array or a scalar on a path
 * is kept whole); undefined when the bytes do not read as BSON this walk knows.
 */
export function pruneBody(body: Uint8Array, tree: PathTree): Uint8Array | undefined {
  if (body.length < 5 || int32(body, 0) !== body.length) return undefined;
  // Written into a scratch buffer (never longer than the document itself), then copied out at its own length.
  if (scratch.length < body.length) scratch = new Uint8Array(Math.max(body.length, scratch.length * 2));
  const end = pruneInto(body, 0, body.length, compileTree(tree), scratch, 0);
  return end < 0 ? undefined : scratch.slice(0, end);
}

let scratch = new Uint8Array(16 * 1024);
