import { describe, expect, it } from 'vitest';
import { ObjectId, type Document } from 'mongodb';
import { compileFilter, compileWithMingo } from '../../bot/store/compile-filter.js';

const oid = new ObjectId();
const when = new Date(Date.UTC(2024, 4, 1));

const docs: Document[] = [
  {},
  { a: null },
  { a: 1 },
  { a: '1' },
  { a: true },
  { a: [] },
  { a: [1, 2] },
  { a: [[1], 2] },
  { a: [null] },
  { a: { b: 1 } },
  { a: { b: null } },
  { a: { b: [1, 3] } },
  { a: [{ b: 1 }, { c: 2 }] },
  { a: [{ b: 2 }, 5] },
  { a: [1, 'x'] },
  { a: when },
  { a: [when] },
  { a: new Date(when.getTime()) },
  { a: oid },
  { a: new ObjectId(oid.toHexString()) },
  { a: [oid] },
  { a: 0 },
  { a: -0 },
  { a: { b: { c: 'deep' } } },
  { a: [{ b: { c: 'deep' } }] },
];

const filters: Document[] = [
  { a: 1 },
  { a: '1' },
  { a: null },
  { a: true },
  { a: 2 },
  { a: 0 },
  { a: when },
  { a: new Date(when.getTime()) },
  { a: oid },
  { a: new ObjectId() },
  { a: { $eq: 1 } },
  { a: { $eq: null } },
  { 'a.b': 1 },
  { 'a.b': null },
  { 'a.b': 3 },
  { 'a.c': 2 },
  { 'a.0': 1 },
  { 'a.1': 2 },
  { 'a.b.c': 'deep' },
  { 'a.b.c': null },
  { a: 1, missing: null },
  { a: 'x', 'a.b': null },
  { a: { $in: [1, 'x'] } },
  { a: { $in: [null] } },
  { a: { $in: [] } },
  { a: { $in: [when, oid] } },
  { a: { $in: [2, 5] } },
  { 'a.b': { $in: [1, null] } },
  { a: { $nin: [1, 'x'] } },
  { a: { $nin: [null] } },
  { a: { $nin: [] } },
  { a: { $nin: [0, true] } },
  { 'a.b': { $nin: [1] } },
  { a: { $nin: [1], $in: [2, '1'] } },
  { a: { $nin: [null] }, 'a.b': { $in: [3] } },
  { a: { $in: [[1], 2] } },
  { $or: [{ a: 1 }, { 'a.b': 1 }] },
  { $or: [{ a: { $nin: [1, null] } }, { a: { $elemMatch: { b: 2 } } }], 'a.b': { $nin: [3] } },
  { $or: [{ a: null }], 'a.c': null },
  { $or: [{ a: { $size: 2 } }, { 'a.b.c': 'deep' }] },
  { $or: [{ a: { $gt: 0 } }], a: { $in: [1, 2, 5] } },
];

describe('compileFilter', () => {
  for (const filter of filters) {
    it(`agrees with mingo on ${JSON.stringify(filter)}`, () => {
      const fast = compileFilter(filter);
      const slow = compileWithMingo(filter);
      const disagreements = docs.filter((d) => fast(d) !== slow(d));
      expect(disagreements).toEqual([]);
    });
  }

  it('leaves a malformed $or to mingo, answering (or refusing) as it does', () => {
    const run = (compile: (f: Document) => (d: Document) => boolean, filter: Document): boolean[] | 'refused' => {
      try {
        return docs.map(compile(filter));
      } catch {
        return 'refused';
      }
    };
    for (const filter of [{ $or: [] }, { $or: {} }, { $or: [1] }, { $or: [[{ a: 1 }]] }, { $or: [{ a: 1 }], $comment: 'x' }]) {
      expect(run(compileFilter, filter), JSON.stringify(filter)).toEqual(run(compileWithMingo, filter));
    }
  });

  it('still matches something, so the agreement above is not vacuous', () => {
    const matched = filters.map((f) => docs.filter(compileFilter(f)).length);
    expect(matched.filter((n) => n > 0).length).toBeGreaterThan(filters.length / 2);
  });
});
