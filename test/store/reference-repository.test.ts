/**
 * LGD's reference lists are replaced in one durable commit each, whatever their length: a first
 * sync against an LGD with hundreds of analysts made hundreds of fsynced commits before.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedStore, type EmbeddedStore } from '../../bot/store/embedded-store.js';
import { ReferenceRepository } from '../../bot/store/reference-repository.js';

let store: EmbeddedStore;
let dir: string;
let refs: ReferenceRepository;

const analyst = (i: number) => ({ key: `a-${i}`, name: `user${i}`, title: `Analyst ${i}`, email: `user${i}@example.org` });

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lgd-reference-'));
  store = await openEmbeddedStore({ dataDir: dir });
  refs = new ReferenceRepository(store);
  await refs.init();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ReferenceRepository', () => {
  it('replaces a list of 200 analysts in one commit, then drops the ones LGD no longer lists, again in one', async () => {
    const all = Array.from({ length: 200 }, (_, i) => analyst(i));
    let c0 = store.commits();
    expect(await refs.replaceAnalysts(all, new Date('2026-11-01T00:00:00Z'))).toBe(200);
    expect(store.commits() - c0).toBe(1);
    expect(await refs.searchAnalysts('Analyst 19', 50)).toHaveLength(11);

    const renamed = { ...analyst(5), title: 'Renamed Five' };
    c0 = store.commits();
    await refs.replaceAnalysts([...all.slice(0, 5), renamed, ...all.slice(6, 100)], new Date('2026-11-01T01:00:00Z'));
    expect(store.commits() - c0).toBe(1);
    expect(await refs.analyst('a-150')).toBeNull();
    expect(await refs.analyst('a-5')).toMatchObject({ title: 'Renamed Five', refreshedAt: new Date('2026-11-01T01:00:00Z') });
    expect(await refs.searchAnalysts('Analyst', 500)).toHaveLength(99);
  });

  it('writes nothing when LGD gives a list unchanged, and only the entries that changed when it does not', async () => {
    const all = Array.from({ length: 50 }, (_, i) => analyst(i));
    await refs.replaceAnalysts(all, new Date('2026-11-01T00:00:00Z'));
    let c0 = store.commits();
    expect(await refs.replaceAnalysts(all.map((a) => ({ ...a })), new Date('2026-11-01T01:00:00Z'))).toBe(50);
    expect(store.commits() - c0).toBe(0);
    expect(await refs.analyst('a-7')).toMatchObject({ title: 'Analyst 7', refreshedAt: new Date('2026-11-01T00:00:00Z') });
    // One renamed, one whose e-mail LGD no longer gives, one new, one gone: one commit.
    const next = [...all.slice(0, 3), { ...analyst(3), title: 'Renamed Three' }, { ...analyst(4), email: null }, ...all.slice(5, 49), analyst(60)];
    c0 = store.commits();
    await refs.replaceAnalysts(next, new Date('2026-11-01T02:00:00Z'));
    expect(store.commits() - c0).toBe(1);
    expect(await refs.analyst('a-3')).toMatchObject({ title: 'Renamed Three', refreshedAt: new Date('2026-11-01T02:00:00Z') });
    expect(await refs.analyst('a-4')).toMatchObject({ email: null, refreshedAt: new Date('2026-11-01T02:00:00Z') });
    expect(await refs.analyst('a-5')).toMatchObject({ refreshedAt: new Date('2026-11-01T00:00:00Z') });
    expect(await refs.analyst('a-49')).toBeNull();
    expect(await refs.analyst('a-60')).toMatchObject({ name: 'user60', title: 'Analyst 60' });
    expect(await refs.searchAnalysts('Analyst', 500)).toHaveLength(49); // 50 kept, one renamed away from "Analyst"
  });

  it('an empty list from LGD empties the kept list', async () => {
    await refs.replaceGroups([{ key: 'g1', name: 'ops', title: 'Ops' }], new Date('2026-11-01T00:00:00Z'));
    await refs.replaceGroups([], new Date('2026-11-01T01:00:00Z'));
    expect(await refs.searchGroups('Ops', 10)).toEqual([]);
  });
});
