import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AreaRepository } from '../../bot/store/area-repository.js';
import { loadConfig } from '../../bot/config.js';
import type { Store } from '../../bot/store/doc-collection.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';

let store: Store;
let dir: string;
let areas: AreaRepository;

const seed = [
  { area: 'Adult Social Care', contacts: ['PDM.One@Example.org', 'dsa@example.org'] },
  { area: 'Place & Economy', contacts: ['pe.pdm@example.org'] },
];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lgd-areas-'));
  store = await openEmbeddedStore({ dataDir: dir });
  areas = new AreaRepository(store, () => new Date('2026-11-27T09:00:00Z'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('AreaRepository', () => {
  it('seeds from config when empty, and looks areas up whatever their case', async () => {
    expect(await areas.seed(loadConfig({ AREAS: JSON.stringify(seed) }).backlog.areas)).toBe(2);
    expect(await areas.list()).toEqual([
      { area: 'Adult Social Care', contacts: ['pdm.one@example.org', 'dsa@example.org'] },
      { area: 'Place & Economy', contacts: ['pe.pdm@example.org'] },
    ]);
    expect(await areas.get('adult social CARE')).toEqual({ area: 'Adult Social Care', contacts: ['pdm.one@example.org', 'dsa@example.org'] });
    expect(await areas.get(' place & economy ')).toMatchObject({ area: 'Place & Economy' });
    expect(await areas.get('Adult')).toBeNull();
    expect(await areas.get('Adult Social Care.*')).toBeNull();
  });

  it('does not overwrite areas edited in the tab when seeded again', async () => {
    await areas.seed(seed);
    await areas.set('ADULT SOCIAL CARE', ['new.pdm@example.org']);
    expect(await areas.seed([...seed, { area: 'Children', contacts: ['c@example.org'] }])).toBe(0);
    expect(await areas.list()).toEqual([
      { area: 'Adult Social Care', contacts: ['new.pdm@example.org'] },
      { area: 'Place & Economy', contacts: ['pe.pdm@example.org'] },
    ]);
    expect(await areas.get('children')).toBeNull();
  });

  it('seeds once when two instances seed at the same time', async () => {
    const other = new AreaRepository(store);
    const [a, b] = await Promise.all([areas.seed(seed), other.seed(seed)]);
    expect(a + b).toBe(2);
    expect(await areas.list()).toHaveLength(2);
  });
});

describe('AreaRepository edits', () => {
  it('sets and removes an area whatever its case, saying whether it was new', async () => {
    await areas.seed(seed);
    expect(await areas.set('place & ECONOMY', ['a@example.org'])).toEqual({ area: 'Place & Economy', contacts: ['a@example.org'], created: false });
    expect(await areas.set('Children', ['c@example.org'])).toEqual({ area: 'Children', contacts: ['c@example.org'], created: true });
    expect(await areas.remove('adult social care')).toEqual({ area: 'Adult Social Care', contacts: ['pdm.one@example.org', 'dsa@example.org'] });
    expect(await areas.remove('adult social care')).toBeNull();
    expect(await areas.remove('.*')).toBeNull();
    expect((await areas.list()).map((a) => a.area)).toEqual(['Children', 'Place & Economy']);
  });
});
