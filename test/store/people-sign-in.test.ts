/**
 * The people repository's side of a Teams sign-in (the tab's SSO token): a person found by Entra
 * object id, and a person the roster knew only by Teams id linked to the object id and completed
 * from the token, without losing what Teams said and with the LGD mapping following.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../bot/store/doc-collection.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import { PeopleRepository } from '../../bot/store/people-repository.js';
import { ReferenceRepository } from '../../bot/store/reference-repository.js';

const OID = '11111111-2222-4333-8444-555555555555';
let store: Store;
let dir: string;
let people: PeopleRepository;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lgd-sign-in-'));
  store = await openEmbeddedStore({ dataDir: dir });
  const refs = new ReferenceRepository(store);
  await refs.init();
  await refs.replaceAnalysts([{ key: 'a-dee', name: 'DDay', title: 'Dee Day', email: 'dee.day@example.org' }], new Date('2026-11-01T00:00:00Z'));
  people = new PeopleRepository(store, () => new Date('2026-12-02T09:00:00Z'));
  await people.init();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('PeopleRepository and Teams sign-ins', () => {
  it('finds a person by Entra object id, with a current mapping; null for anyone else', async () => {
    await people.remember([{ id: '29:dee', aadObjectId: OID, name: 'Dee Day', email: 'Dee.Day@example.org' }]);
    expect(await people.byObjectId(OID)).toMatchObject({ _id: OID, name: 'Dee Day', analyst: { key: 'a-dee' }, mappedBy: 'email' });
    expect(await people.byObjectId('99999999-2222-4333-8444-555555555555')).toBeNull();
  });

  it('links a person known only by Teams id to the object id, keeping the Teams id, and completes what Teams did not say', async () => {
    await people.remember([{ id: '29:dee', name: '' }]);
    const [stored] = await store.collection<{ _id: string }>('people').find({}).toArray();
    expect(stored?._id).toBe('29:dee');
    const known = await people.resolve({ id: '29:dee' });
    const linked = await people.rememberSignIn(known, { oid: OID, name: 'Dee Day', email: 'dee.day@example.org', upn: 'DDay@Example.org' });
    expect(linked).toMatchObject({ _id: OID, teamsUserId: '29:dee', name: 'Dee Day', email: 'dee.day@example.org', upn: 'dday@example.org', analyst: { key: 'a-dee' } });
    expect((await store.collection<{ _id: string }>('people').find({}).toArray()).map((p) => p._id)).toEqual([OID]);
    // Teams finds the same person again by Teams id and object id.
    expect((await people.resolve({ id: '29:dee', aadObjectId: OID }))._id).toBe(OID);
  });

  it('keeps what Teams said over what a token says', async () => {
    await people.remember([{ id: '29:dee', aadObjectId: OID, name: 'Dee Day', email: 'dee.day@example.org' }]);
    const known = (await people.byObjectId(OID))!;
    const after = await people.rememberSignIn(known, { oid: OID, name: 'Someone Else', email: 'other@example.org', upn: 'other@example.org' });
    expect(after).toMatchObject({ name: 'Dee Day', email: 'dee.day@example.org', upn: 'other@example.org' });
  });
});
