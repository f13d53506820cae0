import { afterEach, describe, expect, it } from 'vitest';
import { LgdClient } from '../../bot/lgd/client/lgd-client.js';
import { defaultLgdMapping } from '../../bot/lgd/lgd-mapping.js';
import { seedTeam, startSyncHarness, TEAM, type SyncHarness } from '../support/sync-harness.js';

let h: SyncHarness | undefined;

/** A client of the harness's simulator whose requests pass through `intercept` first. */
function clientVia(hh: SyncHarness, intercept: (url: string) => void): LgdClient {
  return new LgdClient({
    baseUrl: hh.sim.baseUrl,
    username: 'lgd.service',
    password: 'lgd-simulator',
    mapping: defaultLgdMapping,
    fetch: async (input, init) => {
      intercept(String(input instanceof Request ? input.url : input));
      return fetch(input, init);
    },
  });
}
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('sync worker against the simulator', () => {
  it('a full sync matches the simulator ticket for ticket, across pages, and only the group', async () => {
    h = await startSyncHarness();
    const { team, dev } = seedTeam(h.sim.state, 130, 40);
    const [preassigned, later] = [...h.sim.state.incidents.values()].filter((i) => i.groupKey === team.guid);
    h.sim.state.assign(preassigned!.key, { groupKey: team.guid, userKey: dev.guid });

    const report = await h.sync.syncOnce();
    expect(report.full).toBe(true);
    expect(report.created).toBe(130);
    expect(h.sim.stats.requests).toBeGreaterThan(2);

    const inGroup = [...h.sim.state.incidents.values()].filter((i) => i.groupKey === team.guid);
    expect(await h.tickets.count()).toBe(inGroup.length);
    for (const inc of inGroup) {
      const t = await h.tickets.get(inc.key);
      expect(t, `ticket ${inc.id}`).not.toBeNull();
      expect(t!.lgd).toMatchObject({ id: inc.id, title: inc.title, status: inc.status, groupTitle: TEAM, userKey: inc.userKey });
      expect(t!.lgd.lastUpdate.getTime()).toBe(Math.floor(inc.lastUpdate.getTime() / 1000) * 1000);
    }
    // Every ticket of the group is triaged: a person already on it when it arrived is no decision.
    expect(await h.tickets.get(preassigned!.key)).toMatchObject({ state: 'needs_triage', owner: { key: dev.guid, title: 'Dev One' } });
    expect((await h.tickets.list({ states: ['needs_triage'], limit: 500 })).length).toBe(130);
    // A person assigned in LGD while it waits for triage is a decision in itself.
    h.sim.state.assign(later!.key, { groupKey: team.guid, userKey: dev.guid });
    await h.sync.syncOnce();
    expect((await h.tickets.get(later!.key))!.state).toBe('owned');
  });

  it('reads the notes of new open tickets a few at a time, each ticket with its own notes', async () => {
    h = await startSyncHarness();
    seedTeam(h.sim.state, 24);
    const some = [...h.sim.state.incidents.values()].slice(0, 3);
    for (const inc of some) h.sim.state.addNote(inc.key, { title: 'Checked', text: `Looked at ${inc.id}`, by: 'Dev One' });
    let inFlight = 0;
    let most = 0;
    const client = new LgdClient({
      baseUrl: h.sim.baseUrl,
      username: 'lgd.service',
      password: 'lgd-simulator',
      mapping: defaultLgdMapping,
      fetch: async (input, init) => {
        const notes = String(input instanceof Request ? input.url : input).includes('IncidentManagement.Note');
        if (notes) most = Math.max(most, ++inFlight);
        try {
          return await fetch(input, init);
        } finally {
          if (notes) inFlight--;
        }
      },
    });
    const report = await h.restartSync(client).syncOnce();
    expect(report.created).toBe(24);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);
    for (const inc of some) expect((await h.tickets.get(inc.key))!.notes.map((n) => n.text)).toEqual([`Looked at ${inc.id}`]);
  });

  it('is idempotent: a second pass over unchanged data changes nothing and emits nothing', async () => {
    h = await startSyncHarness();
    seedTeam(h.sim.state, 20);
    await h.sync.syncOnce();
    await h.drain();
    const eventsBefore = (await h.events.after(0)).length;
    const again = await h.sync.syncOnce();
    expect(again.full).toBe(false);
    expect(again.created + again.changed).toBe(0);
    await h.drain();
    expect((await h.events.after(0)).length).toBe(eventsBefore);
  });

  it('resumes after a crash between two pages without losing or repeating a ticket', async () => {
    h = await startSyncHarness();
    seedTeam(h.sim.state, 700);
    let listCalls = 0;
    const crashing = clientVia(h, (url) => {
      // From the second page on the process is gone: every request fails (the client's one retry too).
      if (url.includes('list.rails') && url.includes('IncidentManagement.Incident') && ++listCalls >= 2) {
        throw new Error('process killed between pages');
      }
    });
    await expect(h.restartSync(crashing).syncOnce()).rejects.toThrow();
    expect(await h.tickets.count()).toBe(0);

    // A crash half-way through applying (tickets go in by batches of 500): the notes of the 600th cannot be read.
    let notesCalls = 0;
    const dying = clientVia(h, (url) => {
      if (url.includes('IncidentManagement.Note') && ++notesCalls >= 600) throw new Error('process killed while applying');
    });
    await expect(h.restartSync(dying).syncOnce()).rejects.toThrow();
    const partial = await h.tickets.count();
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(700);

    const report = await h.restartSync().syncOnce();
    expect(report.full).toBe(true);
    expect(await h.tickets.count()).toBe(700);
    await h.drain();
    const created = (await h.events.after(0, 10_000)).filter((e) => e.kind === 'ticket_new');
    expect(created.length).toBe(700);
    expect(new Set(created.map((e) => e.ticketKey)).size).toBe(700);
  });

  it('reads the list while the reference lists are refreshed, and stores none of it before them', async () => {
    h = await startSyncHarness();
    seedTeam(h.sim.state, 10);
    let analystsAnswered = false;
    let listAskedBeforeAnalysts = false;
    let storedBeforeAnalysts = -1;
    const slowReference = new LgdClient({
      baseUrl: h.sim.baseUrl,
      username: 'lgd.service',
      password: 'lgd-simulator',
      mapping: defaultLgdMapping,
      fetch: async (input, init) => {
        const url = String(input instanceof Request ? input.url : input);
        if (url.includes('IncidentManagement.Incident') && !analystsAnswered) listAskedBeforeAnalysts = true;
        if (url.includes('System.Analyst')) {
          // LGD is slow with the analysts: the list of tickets is asked for meanwhile.
          await new Promise((r) => setTimeout(r, 300));
          storedBeforeAnalysts = await h!.tickets.count();
          analystsAnswered = true;
        }
        return fetch(input, init);
      },
    });
    const report = await h.restartSync(slowReference).syncOnce();
    expect(report).toMatchObject({ full: true, created: 10 });
    expect(listAskedBeforeAnalysts).toBe(true);
    expect(storedBeforeAnalysts).toBe(0);
  });

  it('fails the pass when LGD stops answering during the reference lists, the list read in flight let finish', async () => {
    h = await startSyncHarness();
    seedTeam(h.sim.state, 10);
    const failing = clientVia(h, (url) => {
      if (url.includes('System.SupportGroup')) throw new Error('connection refused');
    });
    await expect(h.restartSync(failing).syncOnce()).rejects.toThrow();
    expect(await h.tickets.count()).toBe(0);
    expect((await h.restartSync().syncOnce()).created).toBe(10);
  });

  it('keeps its cursor across restarts', async () => {
    h = await startSyncHarness();
    seedTeam(h.sim.state, 10);
    await h.sync.syncOnce();
    const second = await h.restartSync().syncOnce();
    expect(second.full).toBe(false);
  });
});
