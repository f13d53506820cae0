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
];

const LEFT_TO_MINGO: [string, Document][] = [
  ['a dotted path', { $set: { 'a.b': 1 } }],
  ['_id', { $set: { _id: 'other' } }],
  ['a prototype key', JSON.parse('{"$set":{"__proto__":{"polluted":1}}}') as Document],
  ['an object value', { $set: { owner: { key: 'x' } } }],
  ['another operator', { $inc: { version: 1 } }],
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
