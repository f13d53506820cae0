/**
 * The embedded store's quick path for inclusion projections gives exactly what mingo (the
 * reference for MongoDB's semantics in the embedded store) gives, with the fields in the
 * document's order (as MongoDB gives them; mingo's order is its own), and leaves what it is not
 * sure of to mingo.
 */
import { Query } from 'mingo';
import { BSON, ObjectId, type Document } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { inclusionProjector } from '../../bot/store/inclusion-projection.js';

const at = new Date('2026-11-02T09:00:00Z');
const DOCS: Document[] = [
  { _id: 'T1', lgd: { id: 7, title: 't', status: 'Open', deep: { x: 1, y: [1, 2] } }, state: 'owned', at, notes: [{ by: 'a' }] },
  { _id: 'T2', lgd: { title: 'no id' }, state: null },
  { _id: 'T3' },
  { x: 1, _id: new ObjectId('65a1b2c3d4e5f60718293a4b'), lgd: 5 },
  { _id: 4, lgd: null, state: 'x' },
  { _id: 5, lgd: 'text', state: { a: 1 } },
  { _id: 10, lgd: true, state: /x/ },
  { _id: 6, lgd: { id: { nested: [1, { z: 2 }] }, deep: 'scalar' } },
  { lgd: { id: 1 } },
];
const UNSURE_DOCS: Document[] = [
  { _id: 7, lgd: [{ id: 1 }, 2] },
  { _id: 8, lgd: { id: undefined } },
  { _id: 9, state: undefined },
  { _id: 11, lgd: at },
  { _id: 12, lgd: new ObjectId('65a1b2c3d4e5f60718293a4c') },
];

const PROJECTIONS: Document[] = [
  { _id: 1, 'lgd.id': 1 },
  { 'lgd.id': 1 },
  { 'lgd.id': 1, _id: 1 },
  { state: 1, _id: 0 },
  { state: true, at: 1, notes: 1 },
  { 'lgd.deep.y': 1, 'lgd.title': 1, state: 1 },
  { 'lgd.deep.x': 1, 'lgd.id': 1, _id: 0 },
  { _id: 1 },
  { missing: 1 },
];

/** Canonical Extended JSON: tells types apart and keeps the order of fields. */
const ejson = (d: Document | undefined): string => BSON.EJSON.stringify(d ?? null, { relaxed: false });

/** A copy with every document's fields sorted by name: values compared apart from their order. */
function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v === null || typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return v;
  return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sorted(x)]));
}

/** The dotted names of every field of `v`, depth first, in order. */
const names = (v: unknown, prefix = ''): string[] =>
  v === null || typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype
    ? []
    : Object.entries(v).flatMap(([k, x]) => [prefix + k, ...names(x, `${prefix}${k}.`)]);

describe('inclusionProjector', () => {
  for (const projection of PROJECTIONS) {
    it(`projects ${JSON.stringify(projection)} as mingo does, in the document's order`, () => {
      const project = inclusionProjector(projection);
      expect(project).toBeDefined();
      for (const doc of DOCS) {
        const want = new Query({}).find<Document>([doc], projection).all()[0];
        const got = project?.(doc);
        expect(ejson(sorted(got) as Document), ejson(doc)).toBe(ejson(sorted(want) as Document));
        // Each field where it is in the document.
        const order = names(doc);
        const at = names(got).map((n) => order.indexOf(n));
        expect(at, ejson(doc)).toEqual([...at].sort((a, b) => a - b));
      }
    });
  }

  it('copies: what the caller changes is not the document', () => {
    const doc = structuredClone(DOCS[0]) as Document;
    const out = inclusionProjector({ lgd: 1, at: 1 })?.(doc) as Document;
    (out as { lgd: { deep: { y: number[] } } }).lgd.deep.y.push(3);
    (out.at as Date).setTime(0);
    expect(doc).toEqual(DOCS[0]);
  });

  it('leaves a path through an array, and an undefined value, to mingo', () => {
    for (const doc of UNSURE_DOCS) expect(inclusionProjector({ 'lgd.id': 1, state: 1 })?.(doc), ejson(doc)).toBeUndefined();
  });

  it('leaves exclusions, operators and colliding paths to mingo', () => {
    for (const projection of [{}, { secret: 0 }, { _id: 0 }, { notes: { $slice: 1 } }, { 'notes.$': 1 }, { lgd: 1, 'lgd.id': 1 }, { _id: 0, 'lgd.id': 1, x: 0 }, { a: 2 }]) {
      expect(inclusionProjector(projection), JSON.stringify(projection)).toBeUndefined();
    }
  });
});
