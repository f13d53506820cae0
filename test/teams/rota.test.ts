import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RotaRangeInvalid } from '../../bot/errors.js';
import type { Store } from '../../bot/store/doc-collection.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import { seedDemoSupport, seedRota } from '../../bot/teams/rota.js';
import { isWeekend } from '../../bot/domain/iso-date.js';
import { RotaRepository } from '../../bot/store/rota-repository.js';

describe('RotaRepository and seedRota', () => {
  let store: Store;
  let dir: string;
  let rota: RotaRepository;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lgd-rota-'));
    store = await openEmbeddedStore({ dataDir: dir });
    rota = new RotaRepository(store, () => new Date('2026-11-27T09:00:00Z'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets a lead for each day of a range and reads it back', async () => {
    const days = await rota.set('2026-11-30', '2026-12-02', { email: 'Ann@Example.org', name: 'Ann' }, 'lead@example.org');
    expect(days.map((d) => d._id)).toEqual(['2026-11-30', '2026-12-01', '2026-12-02']);
    expect(await rota.leadOn('2026-12-01')).toEqual({
      _id: '2026-12-01',
      lead: { email: 'ann@example.org', name: 'Ann' },
      setBy: 'lead@example.org',
      updatedAt: new Date('2026-11-27T09:00:00Z'),
    });
    expect(await rota.leadOn('2026-12-03')).toBeNull();
    await rota.set('2026-12-01', '2026-12-01', { email: 'bob@example.org', name: null }, 'x');
    expect((await rota.range('2026-11-01', '2026-12-31')).map((d) => [d._id, d.lead?.email])).toEqual([
      ['2026-11-30', 'ann@example.org'],
      ['2026-12-01', 'bob@example.org'],
      ['2026-12-02', 'ann@example.org'],
    ]);
  });

  it('keeps a day\'s support list when its lead changes, and its lead when its support list is replaced', async () => {
    await rota.setSupport('2026-12-07', '2026-12-08', [{ email: 'Dev@Example.org', name: 'Dev' }, { email: 'dev@example.org', name: null }, { email: 'eve@example.org', name: null }], 'x');
    expect(await rota.leadOn('2026-12-07')).toBeNull();
    await rota.set('2026-12-07', '2026-12-07', { email: 'ann@example.org', name: 'Ann' }, 'y');
    await rota.setSupport('2026-12-08', '2026-12-08', [], 'z');
    const days = await rota.range('2026-12-07', '2026-12-09');
    expect(days.map((d) => [d._id, d.lead?.email ?? null, d.support?.map((p) => p.email) ?? null])).toEqual([
      ['2026-12-07', 'ann@example.org', ['dev@example.org', 'eve@example.org']],
      ['2026-12-08', null, []],
    ]);
    expect((await rota.leadOn('2026-12-07'))?.support?.map((p) => p.email)).toEqual(['dev@example.org', 'eve@example.org']);
    // A seed fills the day that has only a support list, and keeps that list.
    expect(await seedRota(rota, [{ from: '2026-12-08', to: '2026-12-08', lead: 'bob@example.org' }], 'ROTA')).toBe(1);
    expect(await rota.leadOn('2026-12-08')).toMatchObject({ lead: { email: 'bob@example.org' }, support: [] });
  });

  it('refuses reversed, over-long and unreal ranges', async () => {
    await expect(rota.set('2026-12-02', '2026-12-01', { email: 'a@b.org', name: null }, 'x')).rejects.toBeInstanceOf(RotaRangeInvalid);
    await expect(rota.set('2026-01-01', '2027-01-02', { email: 'a@b.org', name: null }, 'x')).rejects.toBeInstanceOf(RotaRangeInvalid);
    await expect(rota.set('2026-02-30', '2026-03-01', { email: 'a@b.org', name: null }, 'x')).rejects.toBeInstanceOf(RotaRangeInvalid);
  });

  it('seeds only the dates nobody has set', async () => {
    await rota.set('2026-12-02', '2026-12-02', { email: 'bob@example.org', name: 'Bob' }, 'lead@example.org');
    const written = await seedRota(rota, [{ from: '2026-12-01', to: '2026-12-03', lead: 'ann@example.org' }], 'ROTA');
    expect(written).toBe(2);
    expect((await rota.range('2026-12-01', '2026-12-03')).map((d) => [d._id, d.lead?.email, d.setBy])).toEqual([
      ['2026-12-01', 'ann@example.org', 'ROTA'],
      ['2026-12-02', 'bob@example.org', 'lead@example.org'],
      ['2026-12-03', 'ann@example.org', 'ROTA'],
    ]);
    expect(await seedRota(rota, [{ from: '2026-12-01', to: '2026-12-03', lead: 'cat@example.org' }], 'ROTA')).toBe(0);
  });

  it("seeds the demo's support lists on working days only, two developers in turn without the lead, and keeps a list someone set", async () => {
    await rota.setSupport('2026-12-08', '2026-12-08', [], 'lead@example.org');
    const calendar = { isWorkingDay: (d: string) => !isWeekend(d) && d !== '2026-12-10' };
    const team = ['lead@example.org', 'a@example.org', 'b@example.org', 'c@example.org'];
    const written = await seedDemoSupport(rota, calendar, { from: '2026-12-07', to: '2026-12-13', team, lead: 'Lead@Example.org' }, 'demo');
    expect(written).toBe(3);
    expect((await rota.range('2026-12-07', '2026-12-13')).map((d) => [d._id, d.support?.map((p) => p.email) ?? null])).toEqual([
      ['2026-12-07', ['a@example.org', 'b@example.org']],
      ['2026-12-08', []],
      ['2026-12-09', ['c@example.org', 'a@example.org']],
      ['2026-12-11', ['a@example.org', 'b@example.org']],
    ]);
    expect(await seedDemoSupport(rota, calendar, { from: '2026-12-07', to: '2026-12-13', team, lead: 'lead@example.org' }, 'demo')).toBe(0);
  });
});
