/**
 * A write LGD confirmed keeps counting until the app has read LGD after it: the stored view of a
 * ticket never goes back to a read made before the write, even when a sync pass that listed the
 * ticket before the deliverer wrote applies its listing afterwards. Real simulator, real client,
 * real store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { approve, takeOwnership } from '../../bot/domain/commands.js';
import type { LgdPort } from '../../bot/lgd/lgd-port.js';
import { LgdClient } from '../../bot/lgd/client/lgd-client.js';
import { defaultLgdMapping } from '../../bot/lgd/lgd-mapping.js';
import { seedTeam, startSyncHarness, type SyncHarness } from '../support/sync-harness.js';

let h: SyncHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ann = { name: 'Ann Lead' };

async function approvedTicket(hh: SyncHarness): Promise<{ key: string; dev: string; other: string }> {
  const s = seedTeam(hh.sim.state, 1);
  const other = hh.sim.state.addAnalyst({ name: 'dev.two', title: 'Dev Two', email: 'dev.two@lgd.example' }).guid;
  await hh.sync.syncOnce();
  const key = (await hh.tickets.list({ limit: 1 }))[0]!._id;
  expect((await hh.commands.run(key, ann, approve)).ok).toBe(true);
  await hh.deliverer.deliverDue();
  return { key, dev: s.dev.guid, other };
}

describe('read-your-writes', () => {
  it('a sync pass that listed the ticket before the assignment was written cannot undo it', async () => {
    h = await startSyncHarness();
    const hh = h;
    const { key, dev, other } = await approvedTicket(hh);
    expect((await hh.commands.run(key, { name: 'Dev One' }, (t, ctx) => takeOwnership(t, { key: dev, title: 'Dev One' }, ctx))).ok).toBe(true);

    // The sync lists the group (nobody on the ticket yet); before it applies what it read, the
    // deliverer writes the assignment and re-reads the ticket.
    const racing: LgdPort = Object.create(hh.lgd) as LgdPort;
    racing.listIncidents = async (q) => {
      const listed = await hh.lgd.listIncidents(q);
      hh.clock.advance(1000);
      await hh.deliverer.deliverDue();
      hh.clock.advance(1000);
      return listed;
    };
    // The sync reads the list page by page: the same race, the pages read before the write.
    racing.listIncidentPages = async function* (q) {
      const pages = [];
      for await (const p of hh.lgd.listIncidentPages!(q)) pages.push(p);
      hh.clock.advance(1000);
      await hh.deliverer.deliverDue();
      hh.clock.advance(1000);
      yield* pages;
    };
    await hh.restartSync(racing).syncOnce();

    const t = (await hh.tickets.get(key))!;
    expect(hh.sim.state.incident(key)!.userKey).toBe(dev);
    expect(t.lgd.userKey).toBe(dev);
    expect(t).toMatchObject({ state: 'owned', owner: { key: dev } });
    const second = await hh.commands.run(key, { name: 'Dev Two' }, (tk, ctx) => takeOwnership(tk, { key: other, title: 'Dev Two' }, ctx));
    expect(second).toMatchObject({ ok: false, code: 'ALREADY_OWNED' });
    await hh.deliverer.deliverDue();
    expect(hh.sim.state.assignmentsOf(key).map((a) => a.userKey)).toEqual([dev]);
  });

  it('when the re-read after the write fails, the write keeps counting until a sync reads the ticket', async () => {
    let failReads = false;
    h = await startSyncHarness({
      lgd: (baseUrl) => {
        const real = new LgdClient({
          baseUrl,
          username: 'lgd.service',
          password: 'lgd-simulator',
          mapping: defaultLgdMapping,
          timeoutMs: 3000,
        });
        const port: LgdPort = Object.create(real) as LgdPort;
        port.openIncident = async (k) => {
          if (failReads) throw new Error('LGD did not answer');
          return real.openIncident(k);
        };
        return port;
      },
    });
    const hh = h;
    const { key, dev, other } = await approvedTicket(hh);
    expect((await hh.commands.run(key, { name: 'Dev One' }, (t, ctx) => takeOwnership(t, { key: dev, title: 'Dev One' }, ctx))).ok).toBe(true);
    failReads = true;
    hh.clock.advance(1000);
    await hh.deliverer.deliverDue();
    failReads = false;
    const confirmed = (await hh.tickets.get(key))!;
    expect(confirmed.outbox.at(-1)!.status).toBe('delivered');
    expect(confirmed.lgd.userKey).toBeNull();
    expect(confirmed).toMatchObject({ state: 'owned', owner: { key: dev } });
    expect(await hh.commands.run(key, { name: 'Dev Two' }, (tk, ctx) => takeOwnership(tk, { key: other, title: 'Dev Two' }, ctx))).toMatchObject({ ok: false, code: 'ALREADY_OWNED' });

    hh.clock.advance(1000);
    await hh.sync.syncOnce();
    const synced = (await hh.tickets.get(key))!;
    expect(synced.outbox.at(-1)!.settledAt).toBeInstanceOf(Date);
    expect(synced).toMatchObject({ state: 'owned', owner: { key: dev }, lgd: { userKey: dev } });
    expect(hh.sim.state.assignmentsOf(key).map((a) => a.userKey)).toEqual([dev]);
  });
});
