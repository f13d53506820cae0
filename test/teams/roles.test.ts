import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../bot/store/doc-collection.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import { LeadRepository } from '../../bot/store/lead-repository.js';
import { PeopleRepository } from '../../bot/store/people-repository.js';
import { MAX_REFRESH_USERS, TeamRoles } from '../../bot/teams/roles.js';
import { RotaRepository } from '../../bot/store/rota-repository.js';

let store: Store;
let dir: string;
let people: PeopleRepository;
let rota: RotaRepository;
let roles: TeamRoles;
let leads: LeadRepository;

// 23:30 UTC on 30 June is already 1 July in London (BST)
const lateJune30Utc = new Date('2026-06-30T23:30:00Z');

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lgd-roles-'));
  store = await openEmbeddedStore({ dataDir: dir });
  people = new PeopleRepository(store);
  rota = new RotaRepository(store);
  leads = new LeadRepository(store);
  await leads.seed(['Lead@Example.org'], 'LEADS configuration');
  roles = new TeamRoles({ rota, people, leads, timeZone: 'Europe/London' });
  await people.remember([
    { id: '29:lead', aadObjectId: 'aad-lead', name: 'Lee', email: 'lead@example.org' },
    { id: '29:ann', aadObjectId: 'aad-ann', name: 'Ann', userPrincipalName: 'ann@example.org' },
    { id: '29:bob', aadObjectId: 'aad-bob', name: 'Bob', email: 'bob@example.org' },
  ]);
  await rota.set('2026-07-01', '2026-07-01', { email: 'ann@example.org', name: null }, 'lead@example.org');
  await rota.set('2026-06-30', '2026-06-30', { email: 'bob@example.org', name: 'Robert' }, 'lead@example.org');
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const person = async (aad: string) => (await people.resolve({ id: `29:${aad.slice(4)}`, aadObjectId: aad }));

describe('TeamRoles', () => {
  it('lets leads triage any day, and the rota lead on their day in the team time zone', async () => {
    expect(await roles.canTriage(await person('aad-lead'), new Date('2026-08-01T12:00:00Z'))).toBe(true);
    expect(await roles.canTriage(await person('aad-ann'), lateJune30Utc)).toBe(true); // 1 July in London
    expect(await roles.canTriage(await person('aad-bob'), lateJune30Utc)).toBe(false);
    expect(await roles.canTriage(await person('aad-bob'), new Date('2026-06-30T22:30:00Z'))).toBe(true); // 23:30 BST, 30 June
    expect(await roles.canTriage(await person('aad-ann'), new Date('2026-07-02T09:00:00Z'))).toBe(false);
  });

  it('reads the leads from the store: one added or removed counts at once, without a restart', async () => {
    const bob = await person('aad-bob');
    const august = new Date('2026-08-01T12:00:00Z');
    expect(await roles.isLead(bob)).toBe(false);
    expect(await roles.canTriage(bob, august)).toBe(false);
    await leads.add('bob@example.org', 'Lee');
    expect(await roles.isLead(bob)).toBe(true);
    expect(await roles.canTriage(bob, august)).toBe(true);
    expect(await roles.triagerTeamsIds(august)).toEqual(['29:lead', '29:bob']);
    await leads.remove('bob@example.org');
    expect(await roles.canTriage(bob, august)).toBe(false);
  });

  it('names today\'s lead, with the person when known', async () => {
    expect(await roles.leadToday(lateJune30Utc)).toMatchObject({ email: 'ann@example.org', name: 'Ann', person: { _id: 'aad-ann' } });
    expect(await roles.leadToday(new Date('2026-06-30T12:00:00Z'))).toMatchObject({ email: 'bob@example.org', name: 'Robert' });
    expect(await roles.leadToday(new Date('2026-07-05T12:00:00Z'))).toBeNull();
    await rota.set('2026-07-06', '2026-07-06', { email: 'stranger@example.org', name: null }, 'x');
    expect(await roles.leadToday(new Date('2026-07-06T12:00:00Z'))).toEqual({ email: 'stranger@example.org', name: null, person: null });
  });

  it('tells today\'s lead and who may triage from one read, as leadToday and triagerTeamsIds tell them', async () => {
    await rota.set('2026-07-06', '2026-07-06', { email: 'stranger@example.org', name: null }, 'x');
    for (const at of [lateJune30Utc, new Date('2026-06-30T12:00:00Z'), new Date('2026-07-05T12:00:00Z'), new Date('2026-07-06T12:00:00Z')]) {
      expect(await roles.today(at)).toEqual({ lead: await roles.leadToday(at), triagerTeamsIds: await roles.triagerTeamsIds(at) });
    }
  });

  it('lists the Teams ids of who may triage today, today\'s lead first, at most 60', async () => {
    expect(await roles.triagerTeamsIds(lateJune30Utc)).toEqual(['29:ann', '29:lead']);
    expect(await roles.triagerTeamsIds(new Date('2026-07-05T12:00:00Z'))).toEqual(['29:lead']);

    const many = Array.from({ length: 70 }, (_, i) => `lead${i}@example.org`);
    await people.remember(many.map((email, i) => ({ id: `29:l${i}`, aadObjectId: `aad-l${i}`, email })));
    for (const email of many) await leads.add(email, 'test');
    const big = new TeamRoles({ rota, people, leads, timeZone: 'Europe/London' });
    const ids = await big.triagerTeamsIds(lateJune30Utc);
    expect(ids).toHaveLength(MAX_REFRESH_USERS);
    expect(ids[0]).toBe('29:ann');
  });
});
