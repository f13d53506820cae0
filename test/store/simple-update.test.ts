/**
 * The embedded store's quick path for simple updates gives exactly what mingo (the reference for
 * MongoDB's semantics in the embedded store) gives, takes the shapes it is meant for (a journal
 * being cleared, flags set and unset), and leaves every other shape to mingo.
 */
import { update as mingoUpdate } from 'mingo/updater';
import type { Document } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { cloneDocument } from '../../bot/store/clone-document.js';
import { simpleUpdate } from '../../bot/store/simple-update.js';

const at = new Date('2026-11-02T09:00:00Z');
const doc = (): Document => ({
  _id: 'T1',
  state: 'owned',
  version: 3,
  seenAt: at,
  journaled: true,
  journal: [
    { id: 'e1', at, kind: 'event' },
    { id: 'e2', at, kind: 'audit' },
    { id: 'e3', at, kind: 'event' },
  ],
  notes: [{ by: 'amy', text: 'x' }],
  owner: null,
  progress: { done: 500, of: 1005, startedAt: at },
});

/** What mingo makes of the update: the new document, or null when it changed nothing. */
function byMingo(d: Document, modifier: Document): Document | null {
  const copy = cloneDocument(d);
  return mingoUpdate(copy, modifier as Parameters<typeof mingoUpdate>[1]).length > 0 ? copy : null;
}

const HANDLED: [string, Document][] = [
  ['clears a whole journal and its flag', { $pull: { journal: { id: { $in: ['e1', 'e2', 'e3'] } } }, $unset: { journaled: '' } }],
  ['keeps entries not named', { $pull: { journal: { id: { $in: ['e2', 'zz'] } } }, $unset: { journaled: '' } }],
  ['a pull that matches nothing and an unset of a missing field change nothing', { $pull: { journal: { id: { $in: ['zz'] } } }, $unset: { gone: '' } }],
  ['a pull of a missing array changes nothing', { $pull: { missing: { id: { $in: ['e1'] } } } }],
  ['sets plain values, new and existing', { $set: { state: 'resolved', owner: 'bob', extra: 1, flag: false, when: new Date(0) } }],
  ['a set to the values held changes nothing', { $set: { state: 'owned', version: 3, seenAt: new Date(at.getTime()), owner: null } }],
  ['sets and unsets together', { $set: { journaled: true }, $unset: { owner: '' } }],
  ['sets a document of plain values, new and in place of another', { $set: { progress: { done: 1005, of: 1005, startedAt: at }, firstSync: { done: 0, of: null, at, list: [1, 'a', { x: at }] } } }],
  ['sets a document to an array and a value to a document', { $set: { progress: [1, 2], state: { key: 'x' } } }],
  ['a set of the document held (fields in the same order) changes nothing', { $set: { progress: { done: 500, of: 1005, startedAt: new Date(at.getTime()) } } }],
  ['a set of an equal array changes nothing', { $set: { notes: [{ by: 'amy', text: 'x' }] } }],
  ['increments a number and a missing field', { $inc: { version: 1, seq: 1005 } }],
  ['increments by a negative and a fraction', { $inc: { version: -2.5 } }],
  ['an increment by zero of a number changes nothing', { $inc: { version: 0 } }],
  ['an increment by zero of a missing field sets it', { $inc: { seq: 0 } }],
  ['increments and sets together', { $inc: { version: 1 }, $set: { journaled: true } }],
];

const LEFT_TO_MINGO: [string, Document][] = [
  ['a dotted path', { $set: { 'a.b': 1 } }],
  ['_id', { $set: { _id: 'other' } }],
  ['a prototype key', JSON.parse('{"$set":{"__proto__":{"polluted":1}}}') as Document],
  ['an object value with a dotted or operator key', { $set: { owner: { 'a.b': 1 } } }],
  ['an object value with a class instance', { $set: { owner: { key: /x/ } } }],
  ['the document held with its fields in another order', { $set: { progress: { of: 1005, done: 500, startedAt: at } } }],
  ['another operator', { $mul: { version: 2 } }],
  ['an increment of a non-number', { $inc: { state: 1 } }],
  ['an increment by a non-number', { $inc: { version: '1' } }],
  ['an increment by a non-finite number', { $inc: { version: Infinity } }],
  ['a set and an increment of one field', { $set: { version: 1 }, $inc: { version: 1 } }],
  ['a pull by value', { $pull: { tags: 'x' } }],
  ['a pull of non-strings', { $pull: { journal: { id: { $in: [1] } } } }],
  ['a pull from a non-array', { $pull: { state: { id: { $in: ['e1'] } } } }],
  ['one field under two operators', { $set: { owner: 'x' }, $unset: { owner: '' } }],
];

describe('simpleUpdate', () => {
  for (const [name, modifier] of HANDLED) {
    it(`${name}: as mingo does`, () => {
      const original = doc();
      const quick = simpleUpdate(original, modifier);
      expect(quick).not.toBeUndefined();
      expect(quick).toEqual(byMingo(doc(), modifier));
      expect(original).toEqual(doc());
    });
  }
  for (const [name, modifier] of LEFT_TO_MINGO) {
    it(`leaves ${name} to mingo`, () => {
      expect(simpleUpdate(doc(), modifier)).toBeUndefined();
    });
  }
  it('leaves a journal with an element it cannot judge to mingo', () => {
    const d = { ...doc(), journal: [{ id: ['e1'] }, 'text'] };
    expect(simpleUpdate(d, { $pull: { journal: { id: { $in: ['e1'] } } } })).toBeUndefined();
  });
});
