/**
 * What a stopped process had claimed (a message to a person, a card job, an LGD write) is not left
 * to its claim's term when the store proves that process gone (the embedded store's exclusive
 * lock): the claim is freed at once, while work waiting out a backoff keeps its time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CardJobRepository } from '../../bot/store/card-job-repository.js';
import type { Store } from '../../bot/store/doc-collection.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import { NoticeRepository, type NewNotice } from '../../bot/store/notice-repository.js';
import { startLgdSimulator } from '../../bot/lgd/simulator/lgd-simulator.js';
import { startTestApp } from '../support/test-app.js';
import { startTeamsWorld, until } from '../support/teams-world.js';
import { OPS_CHANNEL, testUser } from '../support/teams-activities.js';

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function store(): Promise<Store> {
  const dir = mkdtempSync(join(tmpdir(), 'lgd-claims-'));
  dirs.push(dir);
  const s = await openEmbeddedStore({ dataDir: dir });
  stores.push(s);
  return s;
}

const notice = (id: string): NewNotice => ({ _id: id, to: { name: 'Dev One', teamsUserId: '29:dev-one' }, about: 'a test', message: { title: 'Hello', text: 'Hi', kind: 'info' } });

describe('freeing the claims of a stopped process', () => {
  it('makes claimed messages and card jobs due at once, and leaves those waiting out a backoff alone', async () => {
    const s = await store();
    const t0 = new Date('2026-12-01T14:05:00Z');
    const notices = new NoticeRepository(s, () => t0);
    await notices.init();
    for (const id of ['claimed', 'backoff', 'waiting']) await notices.enqueue(notice(id));
    expect((await notices.claimDue(t0, 120_000, 2)).map((n) => n._id).sort()).toEqual(['backoff', 'claimed']);
    await notices.retryAt('backoff', new Date(t0.getTime() + 60_000), 'Teams answered 502');
    // The process dies here, holding 'claimed'. A second after, nothing but 'waiting' is due.
    const later = new Date(t0.getTime() + 1_000);
    expect((await notices.list('pending')).filter((n) => n.nextAttemptAt <= later).map((n) => n._id)).toEqual(['waiting']);

    expect(await notices.releaseAbandonedClaims(later)).toBe(1);
    expect((await notices.claimDue(later, 120_000, 10)).map((n) => n._id).sort()).toEqual(['claimed', 'waiting']);
    expect((await notices.get('backoff'))?.nextAttemptAt).toEqual(new Date(t0.getTime() + 60_000));
    // A notice sent is no longer claimed: nothing to free.
    await notices.markSent('claimed');
    expect((await notices.get('claimed'))?.claimedUntil).toBeNull();

    const jobs = new CardJobRepository(s, () => t0);
    await jobs.init();
    await jobs.addJournaled([{ job: { _id: 'discuss:A', kind: 'discuss', ticketKey: 'A', requestedBy: { name: 'Ann' } }, at: t0 }]);
    expect(await jobs.claimDue(t0, 120_000, 5)).toHaveLength(1);
    expect(await jobs.claimDue(later, 120_000, 5)).toHaveLength(0);
    expect(await jobs.releaseAbandonedClaims(later)).toBe(1);
    expect((await jobs.claimDue(later, 120_000, 5)).map((j) => j._id)).toEqual(['discuss:A']);
  });

  it('the app, starting on the embedded store, frees them at its first tick: a message a killed process was sending goes out at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lgd-claims-app-'));
    dirs.push(dir);
    const dead = await openEmbeddedStore({ dataDir: dir });
    const before = new NoticeRepository(dead);
    await before.init();
    await before.enqueue(notice('owed'));
    expect(await before.claimDue(new Date(), 120_000, 5)).toHaveLength(1);
    await dead.close(); // as a killed process leaves it: claimed for two more minutes

    const sim = await startLgdSimulator();
    const s = await openEmbeddedStore({ dataDir: dir });
    const app = await startTestApp({ LGD_URL: sim.baseUrl, LGD_USERNAME: 'lgd.service', LGD_PASSWORD: 'lgd-simulator', LGD_POLL_SECONDS: '3600' }, { store: s });
    try {
      // Nobody can be reached in this store, so the attempt ends as "unreachable": what matters is that it is made now.
      await until(async () => (await app.repos.notices.get('owed'))?.status !== 'pending', 'the claimed message to be tried again', 15_000);
      expect((await app.repos.notices.get('owed'))?.attempts).toBe(2);
    } finally {
      await app.close();
      await sim.close();
    }
  });

  it("a triage card a killed process was posting goes out at the restart's first pass, once, not two minutes later", async () => {
    const ann = testUser(61, 'Ann Lead', 'ann.lead@lgd.example');
    const dir = mkdtempSync(join(tmpdir(), 'lgd-claims-cards-'));
    dirs.push(dir);
    let a = '';
    const w = await startTeamsWorld({
      users: [ann],
      analysts: [ann],
      leads: [ann.email],
      store: await openEmbeddedStore({ dataDir: dir }),
      seed: (sim, team) => void (a = sim.state.raiseIncident({ title: 'Card ticket A', groupKey: team.guid, status: 'Active', raiseUser: 'Pat User' }).key),
    });
    const cardsFor = (title: string) => w.connector.sent().filter((x) => JSON.stringify(x).includes(title)).length;
    try {
      await w.install(ann);
      expect(cardsFor('Card ticket A')).toBe(1);
      // B arrives; the process claims its card, and is killed before Teams took it.
      const b = w.sim.state.raiseIncident({ title: 'Card ticket B', groupKey: w.team.guid, status: 'Active', raiseUser: 'Pat User' }).key;
      expect(await w.app.repos.cards.claim({ _id: `${b}|${OPS_CHANNEL}`, ticketKey: b, conversationId: OPS_CHANNEL, kind: 'ops', postedAt: new Date() })).toBe(true);
      await w.sync();
      expect(cardsFor('Card ticket B')).toBe(0);
      await w.app.close();

      const app = await startTestApp({ LGD_URL: w.sim.baseUrl, LGD_USERNAME: 'lgd.service', LGD_PASSWORD: 'lgd-simulator', LEADS: ann.email, LGD_POLL_SECONDS: '3600' }, { store: await openEmbeddedStore({ dataDir: dir }) });
      try {
        await until(() => cardsFor('Card ticket B') > 0, "B's triage card", 15_000);
        await app.worker.tick();
        expect(cardsFor('Card ticket B')).toBe(1);
        expect(cardsFor('Card ticket A')).toBe(1);
        expect(a).not.toBe('');
      } finally {
        await app.close();
      }
    } finally {
      await w.connector.close();
      await w.gate?.close();
      await w.sim.close();
    }
  });
});
