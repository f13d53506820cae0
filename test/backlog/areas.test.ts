import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreAreas } from '../../bot/backlog/areas.js';
import { loadConfig } from '../../bot/config.js';
import type { Store } from '../../bot/store/doc-collection.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';

let store: Store;
let dir: string;
let areas: StoreAreas;

const seed = [
  { area: 'Adult Social Care', contacts: ['PDM.One@Example.org', 'dsa@example.org'] },
  { area: 'Place & Economy', contacts: ['pe.pdm@example.org'] },
];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lgd-areas-'));
  store = await openEmbeddedStore({ dataDir: dir });
  areas = new StoreAreas(store, () => new Date('2026-11-27T09:00:00Z'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('StoreAreas', () => {
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
    const other = new StoreAreas(store);
    const [a, b] = await Promise.all([areas.seed(seed), other.seed(seed)]);
    expect(a + b).toBe(2);
    expect(await areas.list()).toHaveLength(2);
  });
});
