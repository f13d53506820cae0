import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../bot/store/doc-collection.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import { LeadRepository } from '../../bot/store/lead-repository.js';

let store: Store;
let dir: string;
let leads: LeadRepository;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lgd-leads-'));
  store = await openEmbeddedStore({ dataDir: dir });
  leads = new LeadRepository(store, () => new Date('2026-11-27T09:00:00Z'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('LeadRepository', () => {
  it('seeds from LEADS once, never over leads managed since', async () => {
    expect(await leads.seed(['Ann@Example.org', 'bob@example.org', 'ann@example.org'], 'LEADS configuration')).toBe(2);
    expect(await leads.emails()).toEqual(['ann@example.org', 'bob@example.org']);
    expect(await leads.remove('bob@example.org')).toBe('removed');
    expect(await leads.seed(['bob@example.org', 'carl@example.org'], 'LEADS configuration')).toBe(0);
    expect(await leads.emails()).toEqual(['ann@example.org']);
  });

  it('adds a lead once, and never removes the last one', async () => {
    expect(await leads.add('ann@example.org', 'installation')).toBe(true);
    expect(await leads.add('ann@example.org', 'Ann')).toBe(false);
    expect(await leads.add('bob@example.org', 'Ann')).toBe(true);
    expect(await leads.list()).toEqual([
      { email: 'ann@example.org', addedBy: 'installation', addedAt: new Date('2026-11-27T09:00:00Z') },
      { email: 'bob@example.org', addedBy: 'Ann', addedAt: new Date('2026-11-27T09:00:00Z') },
    ]);
    expect(await leads.remove('carl@example.org')).toBe('not_a_lead');
    expect(await leads.remove('bob@example.org')).toBe('removed');
    expect(await leads.remove('ann@example.org')).toBe('last_lead');
    expect(await leads.emails()).toEqual(['ann@example.org']);
  });

  it('keeps one lead when the last two are removed at the same time', async () => {
    await leads.seed(['ann@example.org', 'bob@example.org'], 'LEADS configuration');
    const other = new LeadRepository(store);
    const outcomes = await Promise.all([leads.remove('ann@example.org'), other.remove('bob@example.org')]);
    expect(outcomes.sort()).toEqual(['last_lead', 'removed']);
    expect(await leads.emails()).toHaveLength(1);
  });

  it('makes the installer the first lead only while there is none', async () => {
    expect(await leads.addFirst('ann@example.org', 'installation')).toBe(true);
    expect(await leads.addFirst('eve@example.org', 'installation')).toBe(false);
    expect(await leads.emails()).toEqual(['ann@example.org']);
    const [a, b] = await Promise.all([new LeadRepository(store).addFirst('x@example.org', 'i'), new LeadRepository(store).addFirst('y@example.org', 'i')]);
    expect(a || b).toBe(false);
  });

  it('lets exactly one of two installers at once become the first lead', async () => {
    const [a, b] = await Promise.all([leads.addFirst('x@example.org', 'installation'), new LeadRepository(store).addFirst('y@example.org', 'installation')]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect(await leads.emails()).toHaveLength(1);
  });
});
