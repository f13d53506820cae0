import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../bot/store/doc-collection.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import { ReferenceRepository } from '../../bot/store/reference-repository.js';
import { PeopleRepository } from '../../bot/store/people-repository.js';

let store: Store;
let dir: string;
let refs: ReferenceRepository;
let people: PeopleRepository;

const analysts = [
  { key: 'a-ann', name: 'ALovelace', title: 'Ann Lovelace', email: 'Ann.Lovelace@Example.org' },
  { key: 'a-bob', name: 'bsmith', title: 'Bob Smith', email: null },
  { key: 'a-cat', name: 'cat@example.org', title: 'Cat Jones', email: 'cat.jones@other.org' },
  { key: 'a-dan', name: 'DBrown', title: 'Dan Brown', email: 'dan@example.org' },
];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lgd-people-'));
  store = await openEmbeddedStore({ dataDir: dir });
  refs = new ReferenceRepository(store);
  await refs.init();
  await refs.replaceAnalysts(analysts, new Date('2026-11-01T00:00:00Z'));
  people = new PeopleRepository(store, () => new Date('2026-11-27T09:00:00Z'));
  await people.init();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('PeopleRepository', () => {
  it('maps by e-mail, case-insensitively, and caches what Teams said', async () => {
    const calls: string[] = [];
    const lookup = async () => {
      calls.push('lookup');
      return { email: 'ann.lovelace@example.org', userPrincipalName: 'ALovelace@example.org', name: 'Ann L' };
    };
    const ann = await people.resolve({ id: '29:ann', aadObjectId: 'aad-ann', name: 'Ann Lovelace' }, lookup);
    expect(ann).toMatchObject({
      _id: 'aad-ann',
      teamsUserId: '29:ann',
      name: 'Ann Lovelace',
      email: 'ann.lovelace@example.org',
      upn: 'alovelace@example.org',
      analyst: { key: 'a-ann', name: 'ALovelace', title: 'Ann Lovelace' },
      mappedBy: 'email',
    });
    await people.resolve({ id: '29:ann', aadObjectId: 'aad-ann', name: 'Ann Lovelace' }, lookup);
    expect(calls).toEqual(['lookup']); // e-mail known: Teams is not asked again
  });

  it('maps by login name: the UPN\'s local part, the e-mail\'s, or the whole UPN', async () => {
    const bob = await people.resolve({ id: '29:bob', aadObjectId: 'aad-bob' }, async () => ({ userPrincipalName: 'BSmith@example.org' }));
    expect(bob).toMatchObject({ analyst: { key: 'a-bob' }, mappedBy: 'login' });

    const bob2 = await people.resolve({ id: '29:bob2', aadObjectId: 'aad-bob2' }, async () => ({ email: 'bsmith@elsewhere.org' }));
    expect(bob2).toMatchObject({ analyst: { key: 'a-bob' }, mappedBy: 'login' });

    const cat = await people.resolve({ id: '29:cat', aadObjectId: 'aad-cat' }, async () => ({ userPrincipalName: 'cat@example.org' }));
    expect(cat).toMatchObject({ analyst: { key: 'a-cat' }, mappedBy: 'login' });
  });

  it('prefers e-mail to login name', async () => {
    // UPN local part "dbrown" names DBrown by login, but the e-mail names Ann
    const p = await people.resolve({ id: '29:x', aadObjectId: 'aad-x' }, async () => ({ email: 'ann.lovelace@example.org', userPrincipalName: 'dbrown@example.org' }));
    expect(p).toMatchObject({ analyst: { key: 'a-ann' }, mappedBy: 'email' });
  });

  it('leaves someone unmapped when nothing fits, and survives a failed lookup', async () => {
    const eve = await people.resolve({ id: '29:eve', aadObjectId: 'aad-eve', name: 'Eve' }, async () => null);
    expect(eve).toMatchObject({ _id: 'aad-eve', name: 'Eve', email: null, upn: null, analyst: null, mappedBy: null });
    const eve2 = await people.resolve({ id: '29:eve', aadObjectId: 'aad-eve' }, async () => ({ email: 'eve@example.org' }));
    expect(eve2).toMatchObject({ name: 'Eve', email: 'eve@example.org', analyst: null });
  });

  it('re-maps when LGD\'s analysts change', async () => {
    await people.remember([{ id: '29:fay', aadObjectId: 'aad-fay', name: 'Fay', email: 'fay@example.org' }]);
    expect((await people.resolve({ id: '29:fay', aadObjectId: 'aad-fay' })).analyst).toBeNull();

    await refs.replaceAnalysts([...analysts, { key: 'a-fay', name: 'FDay', title: 'Fay Day', email: 'FAY@example.org' }], new Date('2026-11-27T10:00:00Z'));
    expect(await people.resolve({ id: '29:fay', aadObjectId: 'aad-fay' })).toMatchObject({ analyst: { key: 'a-fay', title: 'Fay Day' }, mappedBy: 'email' });

    await refs.replaceAnalysts(analysts, new Date('2026-11-27T11:00:00Z'));
    expect(await people.resolve({ id: '29:fay', aadObjectId: 'aad-fay' })).toMatchObject({ analyst: null, mappedBy: null });
  });

  it('lets a lead override the mapping, which wins over e-mail; refuses unknown analysts and people', async () => {
    await people.remember([{ id: '29:ann', aadObjectId: 'aad-ann', name: 'Ann', email: 'ann.lovelace@example.org' }]);
    expect(await people.override({ email: 'ann.lovelace@example.org' }, 'nobody')).toBeNull();
    expect(await people.override({ email: 'stranger@example.org' }, 'bsmith')).toBeNull();

    const ann = await people.override({ email: 'Ann.Lovelace@example.org' }, 'BSMITH');
    expect(ann).toMatchObject({ _id: 'aad-ann', analyst: { key: 'a-bob', name: 'bsmith' }, mappedBy: 'override' });
    expect(await people.resolve({ id: '29:ann', aadObjectId: 'aad-ann' })).toMatchObject({ analyst: { key: 'a-bob' }, mappedBy: 'override' });
    expect(await people.override({ aadObjectId: 'aad-ann' }, 'DBrown')).toMatchObject({ analyst: { key: 'a-dan' } });
  });

  it('remembers roster members without losing what it knew, and finds them by e-mail or UPN', async () => {
    await people.remember([
      { id: '29:ann', aadObjectId: 'aad-ann', name: 'Ann', email: 'Ann.Lovelace@example.org', userPrincipalName: 'alovelace@example.org' },
      { id: '29:bob', aadObjectId: 'aad-bob', name: 'Bob', userPrincipalName: 'bsmith@example.org' },
    ]);
    await people.remember([{ id: '29:ann', aadObjectId: 'aad-ann' }]);
    const found = await people.byEmails(['ALOVELACE@example.org', 'bsmith@example.org', 'nobody@example.org']);
    expect(found.map((p) => [p._id, p.name, p.email, p.analyst?.key])).toEqual([
      ['aad-ann', 'Ann', 'ann.lovelace@example.org', 'a-ann'],
      ['aad-bob', 'Bob', null, 'a-bob'],
    ]);
    expect(await people.byEmails([])).toEqual([]);
  });

  it('keys a person by Teams id until the aad object id is known, then moves them', async () => {
    await people.remember([{ id: '29:gil', name: 'Gil', email: 'dan@example.org' }]);
    const moved = await people.resolve({ id: '29:gil', aadObjectId: 'aad-gil' });
    expect(moved).toMatchObject({ _id: 'aad-gil', email: 'dan@example.org', analyst: { key: 'a-dan' } });
    expect(await people.byEmails(['dan@example.org'])).toHaveLength(1);
  });

  it('finds the person mapped to an analyst key, override first', async () => {
    await people.remember([
      { id: '29:ann', aadObjectId: 'aad-ann', email: 'ann.lovelace@example.org' },
      { id: '29:bob', aadObjectId: 'aad-bob', userPrincipalName: 'bsmith@example.org' },
    ]);
    expect(await people.byAnalystKey('a-ann')).toMatchObject({ _id: 'aad-ann', mappedBy: 'email' });
    expect(await people.byAnalystKey('a-bob')).toMatchObject({ _id: 'aad-bob', mappedBy: 'login' });
    expect(await people.byAnalystKey('a-dan')).toBeNull();
    expect(await people.byAnalystKey('no-such')).toBeNull();

    await people.override({ aadObjectId: 'aad-ann' }, 'DBrown');
    expect(await people.byAnalystKey('a-dan')).toMatchObject({ _id: 'aad-ann', mappedBy: 'override' });
    expect(await people.byAnalystKey('a-ann')).toBeNull();
  });
});
