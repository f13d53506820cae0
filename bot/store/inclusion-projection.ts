/**
 * The embedded store's quick path for the projections the app asks for: inclusions of plain
 * paths (`{ _id: 1, 'lgd.id': 1 }`). mingo builds its projection machinery for every document;
 * this copies the fields along the paths, in the document's order as MongoDB gives them (mingo's
 * order differs). What it is not sure of (a path through an array or an object that is no plain
 * document, colliding paths, an undefined value) it leaves to mingo, which stays the reference for the values:
 * test/store/inclusion-projection.test.ts checks both agree.
 */
import type { Document } from 'mongodb';
import { cloneDocument } from './clone-document.js';

/** Projects one document; undefined when mingo must. */
export type Projector = (doc: Document) => Document | undefined;

const isPlainObject = (v: unknown): v is Document => v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

/** The fields kept of a document: whole (true), or some fields of an embedded document. */
type Kept = Map<string, Kept | true>;

/**
 * The fields of `doc` that `kept` names, in the document's order (as MongoDB returns them):
 * missing or a scalar on the way leaves a path out, a plain document on the way is projected into
 * a document (empty when nothing of it is kept). Undefined (mingo judges) for an array or another
 * object (a Date, an ObjectId: mingo reads their properties) on the way, or an undefined value.
 */
function pick(doc: Document, kept: Kept): Document | undefined {
  const out: Document = {};
  for (const key in doc) {
    if (!Object.hasOwn(doc, key)) continue;
    const want = kept.get(key);
    if (want === undefined) continue;
    const v: unknown = doc[key];
    if (v === undefined) return undefined;
    if (want === true) out[key] = cloneDocument(v);
    else if (isPlainObject(v)) {
      const sub = pick(v, want);
      if (sub === undefined) return undefined;
      out[key] = sub;
    } else if (v !== null && typeof v === 'object') return undefined;
  }
  return out;
}

/**
 * A projector for `projection` when it is an inclusion of plain paths (`_id` may be left out),
 * none a prefix of another; undefined for any other projection.
 */
export function inclusionProjector(projection: Document): Projector | undefined {
  const kept: Kept = new Map([['_id', true]]);
  const paths: string[] = [];
  for (const key of Object.keys(projection)) {
    const v: unknown = projection[key];
    if (key === '_id' && (v === 0 || v === false)) {
      kept.delete('_id');
      continue;
    }
    if (v !== 1 && v !== true) return undefined;
    paths.push(key);
  }
  if (paths.length === 0) return undefined;
  for (const a of paths) for (const b of paths) if (a !== b && b.startsWith(`${a}.`)) return undefined;
  for (const path of paths) {
    const parts = path.split('.');
    if (parts.some((p) => p === '' || p.startsWith('$') || p === '__proto__')) return undefined;
    let node = kept;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i] as string;
      let next = node.get(part);
      if (next === true) return undefined;
      if (next === undefined) {
        next = new Map();
        node.set(part, next);
      }
      node = next;
    }
    node.set(parts[parts.length - 1] as string, true);
  }
  return (doc) => pick(doc, kept);
}
