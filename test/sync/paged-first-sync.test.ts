/**
 * A first sync stores LGD's ticket list as its pages arrive, instead of reading every page before
 * it stores anything: its memory is bounded by two batches (one stored, the next read meanwhile), not by the size of the group. With 1,200
 * tickets (12 pages of 100), the last page is asked for only once the first batch is stored, and
 * the pass still ends with every ticket, each with its "new ticket" event, and the first-sync
 * progress counted up to the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { LgdClient } from '../../bot/lgd/client/lgd-client.js';
import { defaultLgdMapping } from '../../bot/lgd/lgd-mapping.js';
import type { ListIncidentsQuery } from '../../bot/lgd/lgd-port.js';
import type { LgdIncident } from '../../bot/lgd/lgd-types.js';
import { startLgdSimulator, type LgdSimulator } from '../../bot/lgd/simulator/lgd-simulator.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import type { Store } from '../../bot/store/doc-collection.js';
import { openTeamRepositories, seedTeam, simClient, teamSync } from '../support/sync-harness.js';

let sim: LgdSimulator | undefined;
let store: Store | undefined;
let dir: string | undefined;

afterEach(async () => {
  await store?.close();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  sim = store = dir = undefined;
});

describe('a first sync of many tickets', () => {
  it('stores each batch of the list before it reads the last page, and ends with every ticket announced', async () => {
    sim = await startLgdSimulator();
    seedTeam(sim.state, 1200);
    dir = mkdtempSync(join(tmpdir(), 'lgd-paged-sync-'));
    store = await openEmbeddedStore({ dataDir: dir });
    const repos = await openTeamRepositories(store);
    // For each page of the incident list asked for: how many tickets the store held at that moment.
    const storedWhenAsked = new Map<number, number>();
    // And how many events the event log held then (the pass drains after each batch but the last two).
    const announcedWhenAsked = new Map<number, number>();
    // Every list request, in order (class and page).
    const asked: string[] = [];
    const progress: { done: number; of: number | null }[] = [];
    const lgd = simClient(sim.baseUrl, {
      timeoutMs: 5000,
      fetch: async (input, init) => {
        const url = new URL(input instanceof Request ? input.url : input.toString());
        if (url.pathname.endsWith('list.rails')) asked.push(`${url.searchParams.get('class_name')} ${url.searchParams.get('page')}`);
        if (url.pathname.endsWith('list.rails') && url.searchParams.get('class_name') === defaultLgdMapping.classes.incident) {
          storedWhenAsked.set(Number(url.searchParams.get('page')), await repos.tickets.count());
          announcedWhenAsked.set(Number(url.searchParams.get('page')), (await repos.events.after(0, 10_000)).length);
        }
        return fetch(input, init);
      },
    });
    const recordFirstSync = repos.syncState.recordFirstSync.bind(repos.syncState);
    repos.syncState.recordFirstSync = async (p) => {
      progress.push({ done: p.done, of: p.of });
      await recordFirstSync(p);
    };
    const sync = teamSync(repos, lgd, { journal: repos.journal });

    const report = await sync.syncOnce();

    expect(report).toMatchObject({ full: true, fetched: 1200, created: 1200 });
    expect([...storedWhenAsked.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // Batches of 500: the first is stored once 5 pages are in, while the next batch (and one page) is
    // read ahead; no more: the third batch's last page waits until the first batch is stored.
    expect(storedWhenAsked.get(1)).toBe(0);
    expect(storedWhenAsked.get(12)).toBeGreaterThanOrEqual(500);
    // The notes of the first page's open tickets are asked for before the batch's last page is.
    expect(asked.findIndex((a) => a.startsWith(defaultLgdMapping.classes.note))).toBeLessThan(asked.indexOf(`${defaultLgdMapping.classes.incident} 5`));
    // The first batch's tickets were announced during the pass, while LGD was answering for the next.
    expect(announcedWhenAsked.get(1)).toBe(0);
    expect(announcedWhenAsked.get(12)).toBeGreaterThanOrEqual(500);
    expect(progress).toEqual([
      { done: 0, of: null },
      { done: 0, of: 1200 },
      { done: 500, of: 1200 },
      { done: 1000, of: 1200 },
    ]);
    expect(await repos.syncState.firstSync()).toMatchObject({ complete: true });
    expect(await repos.tickets.count()).toBe(1200);
    while ((await repos.journal.drain()).tickets > 0);
    const announced = (await repos.events.after(0, 10_000)).filter((e) => e.kind === 'ticket_new').map((e) => e.ticketKey);
    expect(announced).toHaveLength(1200);
    expect(new Set(announced).size).toBe(1200);
  });

  it('stores a short tail of the list with the batch before it: 1,050 tickets in two batches, not three, their events moved by one drain after the pass', async () => {
    sim = await startLgdSimulator();
    seedTeam(sim.state, 1050);
    dir = mkdtempSync(join(tmpdir(), 'lgd-paged-sync-'));
    store = await openEmbeddedStore({ dataDir: dir });
    const repos = await openTeamRepositories(store);
    const progress: { done: number; of: number | null }[] = [];
    const recordFirstSync = repos.syncState.recordFirstSync.bind(repos.syncState);
    repos.syncState.recordFirstSync = async (p) => {
      progress.push({ done: p.done, of: p.of });
      await recordFirstSync(p);
    };
    const batches: number[] = [];
    let drainsInPass = 0;
    const lookedUp: string[] = [];
    const getMany = repos.tickets.getMany.bind(repos.tickets);
    repos.tickets.getMany = async (keys) => {
      lookedUp.push(...keys);
      return getMany(keys);
    };
    const insertNew = repos.tickets.insertNew.bind(repos.tickets);
    repos.tickets.insertNew = async (items) => {
      batches.push(items.length);
      return insertNew(items);
    };
    const sync = teamSync(repos, simClient(sim.baseUrl, { timeoutMs: 5000 }), { journal: { drain: () => (drainsInPass++, repos.journal.drain()) } });

    expect(await sync.syncOnce()).toMatchObject({ full: true, fetched: 1050, created: 1050 });
    expect(batches).toEqual([500, 550]);
    expect(drainsInPass).toBe(0);
    // The store was empty: no listed key was looked up (none was listed twice).
    expect(lookedUp).toEqual([]);
    expect((await repos.journal.drain()).events).toBe(1050);
    expect(progress).toEqual([
      { done: 0, of: null },
      { done: 0, of: 1050 },
      { done: 500, of: 1050 },
    ]);
    while ((await repos.journal.drain()).tickets > 0);
    const announced = (await repos.events.after(0, 10_000)).filter((e) => e.kind === 'ticket_new').map((e) => e.ticketKey);
    expect(new Set(announced).size).toBe(1050);
    expect(announced).toHaveLength(1050);
  });

  it('into an empty store, looks up only a key LGD lists a second time, and keeps its newer view, announced once', async () => {
    sim = await startLgdSimulator();
    seedTeam(sim.state, 1200);
    dir = mkdtempSync(join(tmpdir(), 'lgd-paged-sync-'));
    store = await openEmbeddedStore({ dataDir: dir });
    const repos = await openTeamRepositories(store);
    const lookedUp: string[] = [];
    const getMany = repos.tickets.getMany.bind(repos.tickets);
    repos.tickets.getMany = async (keys) => {
      lookedUp.push(...keys);
      return getMany(keys);
    };
    const client = simClient(sim.baseUrl, { timeoutMs: 5000 });
    // LGD's paging shifts: the first page's first ticket, changed meanwhile, is listed again on the seventh page (the second batch).
    let again: LgdIncident | undefined;
    const lgd = Object.assign(Object.create(client) as LgdClient, {
      async *listIncidentPages(query: ListIncidentsQuery) {
        let n = 0;
        for await (const page of client.listIncidentPages(query)) {
          n++;
          if (n === 1) again = { ...page.items[0]!, title: 'Changed meanwhile', lastUpdate: new Date(page.items[0]!.lastUpdate.getTime() + 60_000) };
          yield n === 7 ? { ...page, items: [again!, ...page.items] } : page;
        }
      },
    });
    const sync = teamSync(repos, lgd, { journal: repos.journal });

    expect(await sync.syncOnce()).toMatchObject({ full: true, fetched: 1200, created: 1200 });
    expect(lookedUp).toEqual([again!.key]);
    expect(await repos.tickets.get(again!.key)).toMatchObject({ lgd: { title: 'Changed meanwhile' } });
    expect(await repos.tickets.count()).toBe(1200);
    while ((await repos.journal.drain()).tickets > 0);
    const announced = (await repos.events.after(0, 10_000)).filter((e) => e.kind === 'ticket_new').map((e) => e.ticketKey);
    expect(announced).toHaveLength(1200);
    expect(new Set(announced).size).toBe(1200);
  });

  it('syncs on when its drain between batches fails, saying so, and the drain after the pass announces every ticket once', async () => {
    sim = await startLgdSimulator();
    // Three batches (500, 500, 200): one drain during the pass (none before the last batch: the drain after the pass takes both).
    seedTeam(sim.state, 1200);
    dir = mkdtempSync(join(tmpdir(), 'lgd-paged-sync-'));
    store = await openEmbeddedStore({ dataDir: dir });
    const repos = await openTeamRepositories(store);
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const sync = teamSync(repos, simClient(sim.baseUrl, { timeoutMs: 5000 }), {
      journal: { drain: () => Promise.reject(new Error('the store refused the drain')) },
      logger,
    });
    expect(await sync.syncOnce()).toMatchObject({ full: true, created: 1200 });
    expect(lines.some((l) => l.includes('could not drain the journals during the sync pass') && l.includes('the store refused the drain'))).toBe(true);
    while ((await repos.journal.drain()).tickets > 0);
    expect((await repos.events.after(0, 10_000)).filter((e) => e.kind === 'ticket_new')).toHaveLength(1200);
  });
});
