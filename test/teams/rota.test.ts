import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RotaRangeInvalid } from '../../bot/errors.js';
import type { Store } from '../../bot/store/doc-collection.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import { nextWorkingDay, parseRotaCommand, seedRota, todayIn } from '../../bot/teams/rota.js';
import { RotaRepository } from '../../bot/store/rota-repository.js';

describe('todayIn', () => {
  const london = (iso: string) => todayIn('Europe/London', new Date(iso));

  it('is the London date, not the UTC date, during British Summer Time', () => {
    expect(london('2026-06-30T22:59:59Z')).toBe('2026-06-30');
    expect(london('2026-06-30T23:00:00Z')).toBe('2026-07-01'); // 00:00 BST
  });

  it('is the UTC date in winter (GMT)', () => {
    expect(london('2026-12-31T23:59:59Z')).toBe('2026-12-31');
    expect(london('2027-01-01T00:00:00Z')).toBe('2027-01-01');
  });

  it('follows the clocks changing', () => {
    // BST starts 01:00 UTC on Sunday 29 March 2026; ends 01:00 UTC on Sunday 25 October 2026
    expect(london('2026-03-28T23:30:00Z')).toBe('2026-03-28'); // 23:30 GMT
    expect(london('2026-03-29T23:30:00Z')).toBe('2026-03-30'); // 00:30 BST
    expect(london('2026-10-24T23:30:00Z')).toBe('2026-10-25'); // 00:30 BST
    expect(london('2026-10-25T23:30:00Z')).toBe('2026-10-25'); // 23:30 GMT
  });

  it('works for other zones', () => {
    expect(todayIn('America/New_York', new Date('2026-11-27T03:00:00Z'))).toBe('2026-11-26');
    expect(todayIn('UTC', new Date('2026-11-27T03:00:00Z'))).toBe('2026-11-27');
  });
});

describe('nextWorkingDay', () => {
  it('skips weekends', () => {
    expect(nextWorkingDay('2026-11-26')).toBe('2026-11-27'); // Thu → Fri
    expect(nextWorkingDay('2026-11-27')).toBe('2026-11-30'); // Fri → Mon
    expect(nextWorkingDay('2026-11-28')).toBe('2026-11-30'); // Sat → Mon
    expect(nextWorkingDay('2026-12-31')).toBe('2027-01-01'); // over a year end
  });

  it('skips holidays', () => {
    expect(nextWorkingDay('2026-12-24', ['2026-12-25', '2026-12-28'])).toBe('2026-12-29');
  });
});

describe('parseRotaCommand', () => {
  const today = '2026-11-26'; // a Thursday

  it('reads a date, a range and the words', () => {
    expect(parseRotaCommand('rota set 2026-12-01 lead Ann@Example.org', today)).toEqual({ ok: true, from: '2026-12-01', to: '2026-12-01', lead: 'ann@example.org' });
    expect(parseRotaCommand('rota set 2026-12-01..2026-12-05 lead ann@example.org', today)).toMatchObject({ from: '2026-12-01', to: '2026-12-05' });
    expect(parseRotaCommand('Rota Set today LEAD ann@example.org', today)).toMatchObject({ from: today, to: today });
    expect(parseRotaCommand('rota set tomorrow lead ann@example.org', today)).toMatchObject({ from: '2026-11-27', to: '2026-11-27' });
    expect(parseRotaCommand('rota set this week lead ann@example.org', today)).toMatchObject({ from: '2026-11-23', to: '2026-11-27' });
    expect(parseRotaCommand('rota set next  week lead ann@example.org', today)).toMatchObject({ from: '2026-11-30', to: '2026-12-04' });
    expect(parseRotaCommand('2026-12-01 .. 2026-12-02 lead ann@example.org', today)).toMatchObject({ ok: true, from: '2026-12-01', to: '2026-12-02' });
  });

  it('takes the week of a Sunday to be the one ending that day', () => {
    expect(parseRotaCommand('rota set this week lead a@b.org', '2026-11-29')).toMatchObject({ from: '2026-11-23', to: '2026-11-27' });
    expect(parseRotaCommand('rota set next week lead a@b.org', '2026-11-29')).toMatchObject({ from: '2026-11-30', to: '2026-12-04' });
  });

  it('rejects anything else and shows the syntax', () => {
    const bad = [
      'rota set lead ann@example.org',
      'rota set yesterday lead ann@example.org',
      'rota set 2026-02-30 lead ann@example.org',
      'rota set 01/12/2026 lead ann@example.org',
      'rota set 2026-12-05..2026-12-01 lead ann@example.org',
      'rota set 2026-01-01..2027-01-02 lead ann@example.org',
      'rota set today lead ann',
      'rota set today',
      '',
    ];
    for (const text of bad) {
      const r = parseRotaCommand(text, today);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.message).toContain('Say it like this: "rota set next week lead ann@example.org"');
      // Teams shows angle brackets in a message as &lt; and &gt;.
      if (!r.ok) expect(r.message).not.toMatch(/[<>]/);
    }
    expect(parseRotaCommand('rota set 2026-12-05..2026-12-01 lead a@b.org', today)).toMatchObject({ message: expect.stringContaining('after it ends') });
  });

  it('accepts a range of exactly 366 days', () => {
    expect(parseRotaCommand('rota set 2027-01-01..2028-01-01 lead a@b.org', today)).toMatchObject({ ok: true });
  });
});

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
    expect((await rota.range('2026-11-01', '2026-12-31')).map((d) => [d._id, d.lead.email])).toEqual([
      ['2026-11-30', 'ann@example.org'],
      ['2026-12-01', 'bob@example.org'],
      ['2026-12-02', 'ann@example.org'],
    ]);
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
    expect((await rota.range('2026-12-01', '2026-12-03')).map((d) => [d._id, d.lead.email, d.setBy])).toEqual([
      ['2026-12-01', 'ann@example.org', 'ROTA'],
      ['2026-12-02', 'bob@example.org', 'lead@example.org'],
      ['2026-12-03', 'ann@example.org', 'ROTA'],
    ]);
    expect(await seedRota(rota, [{ from: '2026-12-01', to: '2026-12-03', lead: 'cat@example.org' }], 'ROTA')).toBe(0);
  });
});
