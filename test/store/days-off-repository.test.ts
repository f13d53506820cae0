import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../bot/store/doc-collection.js';
import { DaysOffRepository } from '../../bot/store/days-off-repository.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';

const AT = new Date('2026-12-01T09:00:00Z');
let store: Store;
let dir: string;
let days: DaysOffRepository;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lgd-days-off-'));
  store = await openEmbeddedStore({ dataDir: dir });
  days = new DaysOffRepository(store, () => AT);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('DaysOffRepository', () => {
  it('adds, renames, lists in date order within a range, and removes days off', async () => {
    expect(await days.set('2026-12-31', 'New Year\'s Eve', 'Ann')).toEqual({ dayOff: { date: '2026-12-31', name: "New Year's Eve", addedBy: 'Ann', addedAt: AT }, added: true });
    expect((await days.set('2026-12-24', 'Xmas Eve', 'Ann')).added).toBe(true);
    expect((await days.set('2026-12-24', 'Christmas Eve', 'Bob')).added).toBe(false);
    expect((await days.between('2026-12-01', '2026-12-31')).map((d) => `${d.date} ${d.name} ${d.addedBy}`)).toEqual(['2026-12-24 Christmas Eve Bob', "2026-12-31 New Year's Eve Ann"]);
    expect((await days.between('2026-12-25', '2026-12-30'))).toEqual([]);
    expect(await days.remove('2026-12-24')).toMatchObject({ date: '2026-12-24', name: 'Christmas Eve' });
    expect(await days.remove('2026-12-24')).toBeNull();
    expect((await days.between('2000-01-01', '2100-01-01')).map((d) => d.date)).toEqual(['2026-12-31']);
  });

  it('keeps them across a restart of the store', async () => {
    await days.set('2026-12-24', 'Christmas Eve', 'Ann');
    await store.close();
    store = await openEmbeddedStore({ dataDir: dir });
    expect((await new DaysOffRepository(store).between('2026-01-01', '2026-12-31')).map((d) => d.name)).toEqual(['Christmas Eve']);
  });
});
