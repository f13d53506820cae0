/**
 * The embedded store's index-backed reads (bot/store/ordered-view.ts, the count through an index)
 * give the same answers as sorting every match with mingo, through random writes; and the lists
 * the tab reads (the tickets' newest-change order, their counts, the insights' event histories)
 * read only what they show, not the whole history stored (counted by the store's `examined`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Query } from 'mingo';
import { ObjectId, type Document } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { CalendarSource } from '../../bot/calendar/calendar-source.js';
import { decisionPatterns } from '../../bot/domain/triage-decision.js';
import type { LgdIncident } from '../../bot/lgd/lgd-types.js';
import { openEmbeddedStore, type EmbeddedStore } from '../../bot/store/embedded-store.js';
import { openRepositories } from '../../bot/store/open-repositories.js';

const SEED = Number(process.env.ORDERED_READ_SEED ?? 20261202);
const DAY = 86_400_000;

/** A small deterministic PRNG. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

const dirs: string[] = [];
const stores: EmbeddedStore[] = [];
async function freshStore(): Promise<EmbeddedStore> {
  const dir = mkdtempSync(join(tmpdir(), 'ordered-read-'));
  dirs.push(dir);
  const store = await openEmbeddedStore({ dataDir: dir });
  stores.push(store);
  return store;
}
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe(`sorted reads through an index agree with sorting every match (seed ${SEED})`, () => {
  it('on random documents, filters, sorts and pages, across inserts, updates and deletes', async () => {
    const rnd = prng(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const base = Date.UTC(2026, 0, 1);
    // Values of every type the view orders, ties included (few distinct dates), and now and then a missing field.
    const value = (): unknown => pick([null, undefined, 1, 2, 2.5, -3, 'a', 'b', 'B', new Date(base), new Date(base + DAY), new Date(base + 2 * DAY), true, false]);
    const doc = (i: number): Document => {
      const d: Document = { _id: i % 7 === 0 ? new ObjectId() : `d${String(i).padStart(5, '0')}`, state: pick(['open', 'owned', 'resolved', 'resolved', 'resolved']), at: value(), n: Math.floor(rnd() * 5) };
      if (d.at === undefined) delete d.at;
      return d;
    };
    const store = await freshStore();
    const col = store.collection<Document>('things');
    await col.createIndex({ state: 1 });
    await col.createIndex({ at: -1, _id: 1 });
    await col.createIndex({ n: 1 });
    const all: Document[] = Array.from({ length: 2000 }, (_, i) => doc(i));
    await col.insertMany(all.map((d) => ({ ...d })));

    const sorts: Record<string, 1 | -1>[] = [{ at: -1, _id: 1 }, { at: 1, _id: -1 }, { at: -1 }, { n: 1 }, { n: -1, _id: -1 }];
    const filters: Document[] = [{}, { state: 'resolved' }, { state: { $in: ['open', 'owned'] } }, { state: 'resolved', n: { $gte: 2 } }, { n: 3 }, { at: { $ne: null } }];
    let next = all.length;
    for (let round = 0; round < 40; round++) {
      // A few writes between reads: the view brings itself up to date (some rounds many, some few).
      const writes = round % 5 === 0 ? 80 : 3;
      for (let w = 0; w < writes; w++) {
        const r = rnd();
        const victim = pick(all);
        if (r < 0.4) {
          const d = doc(next++);
          all.push(d);
          await col.insertOne({ ...d });
        } else if (r < 0.8) {
          const at = value();
          await col.updateOne({ _id: victim._id }, at === undefined ? { $unset: { at: '' } } : { $set: { at } });
          if (at === undefined) delete victim.at;
          else victim.at = at;
        } else {
          await col.deleteOne({ _id: victim._id });
          all.splice(all.indexOf(victim), 1);
        }
      }
      const sort = pick(sorts);
      const filter = pick(filters);
      const skip = pick([0, 0, 10, 950]);
      const limit = pick([1, 50, 0]);
      let expected = new Query(filter).find<Document>(all).sort(sort).skip(skip);
      if (limit > 0) expected = expected.limit(limit);
      const want = expected.all();
      const walked = store.examined('things');
      const got = await col.find(filter, { sort, skip, limit }).toArray();
      // Unfiltered, in an index's order: only the page and what it skips are read.
      if (Object.keys(filter).length === 0 && 'at' in sort && limit > 0) expect(store.examined('things') - walked, JSON.stringify({ round, sort, skip, limit })).toBe(skip + limit);
      // Ties in a sort without _id may come in either order (MongoDB does not promise one): compare the sort keys then.
      const keyOf = (d: Document): string =>
        JSON.stringify(
          Object.keys(sort).map((k): unknown => {
            const v: unknown = d[k];
            return v instanceof Date ? v.getTime() : (v ?? null);
          }),
        );
      const total = Object.keys(sort).includes('_id');
      expect(got.map((d) => (total ? String(d._id) : keyOf(d))), `round ${round}: ${JSON.stringify({ filter, sort, skip, limit })}`).toEqual(want.map((d) => (total ? String(d._id) : keyOf(d))));
      expect(await col.countDocuments(filter)).toBe(new Query(filter).find(all).all().length);
    }
  });

  it('declines when a sorted field holds an array or a document, and still answers right', async () => {
    const store = await freshStore();
    const col = store.collection<{ _id: string; at?: unknown }>('things');
    await col.createIndex({ at: 1 });
    const docs: { _id: string; at?: unknown }[] = [{ _id: 'a', at: 3 }, { _id: 'b', at: [1, 9] }, { _id: 'c', at: 2 }, { _id: 'd', at: { x: 1 } }, { _id: 'e' }];
    await col.insertMany(docs.map((d) => ({ ...d })));
    const want = new Query({}).find<{ _id: string }>(docs).sort({ at: 1 }).all().map((d) => d._id);
    expect((await col.find({}, { sort: { at: 1 }, limit: 5 }).toArray()).map((d) => d._id)).toEqual(want);
    await col.deleteMany({ _id: { $in: ['b', 'd'] } });
    expect((await col.find({}, { sort: { at: 1 }, limit: 5 }).toArray()).map((d) => d._id)).toEqual(['e', 'c', 'a']);
  });
});

const rules = {
  groups: ['LGSS-IT-Digital'],
  resolvedStatuses: ['Resolved', 'Closed'],
  resolvedStatus: 'Resolved',
  patterns: decisionPatterns({ approved: ['Approved'], project: ['Project'] }),
  deciders: 'analysts' as const,
};

function incident(i: number, status: string, lastUpdate: Date): LgdIncident {
  return {
    key: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    id: 1000 + i,
    title: `Ticket ${i}`,
    description: '',
    status,
    groupTitle: 'LGSS-IT-Digital',
    groupKey: null,
    userTitle: null,
    userKey: null,
    raiseUser: 'Pat User',
    priority: '3',
    category: 'Software',
    createdAt: new Date(lastUpdate.getTime() - DAY),
    lastUpdate,
  };
}

describe('the lists read what they show, not the history', () => {
  it("the tickets' first page, a deep page and a state's page walk the newest-change order; counts come from the indexes", async () => {
    const store = await freshStore();
    const repos = await openRepositories(store, { rules, noteAuthors: { serviceUsername: 'lgd.service', leads: () => [] } });
    const now = Date.UTC(2026, 10, 25, 12);
    // 40 open tickets changed lately, 3,000 resolved long ago.
    const items = [
      ...Array.from({ length: 40 }, (_, i) => ({ inc: incident(i, 'Active', new Date(now - i * 60_000)), notes: [] })),
      ...Array.from({ length: 3000 }, (_, i) => ({ inc: incident(100 + i, 'Resolved', new Date(now - 400 * DAY - i * 60_000)), notes: [] })),
    ];
    for (let i = 0; i < items.length; i += 500) await repos.tickets.insertNew(items.slice(i, i + 500));
    const before = store.examined('tickets');
    const first = await repos.tickets.list({ limit: 50 });
    expect(first.map((t) => t.lgd.id)).toEqual([...Array.from({ length: 40 }, (_, i) => 1000 + i), ...Array.from({ length: 10 }, (_, i) => 1100 + i)]);
    const deep = await repos.tickets.list({ skip: 950, limit: 50 });
    expect(deep.map((t) => t.lgd.id)).toEqual(Array.from({ length: 50 }, (_, i) => 1100 + 910 + i));
    const resolved = await repos.tickets.list({ states: ['resolved'], limit: 50 });
    expect(resolved.map((t) => t.lgd.id)).toEqual(Array.from({ length: 50 }, (_, i) => 1100 + i));
    expect(await repos.tickets.count()).toBe(3040);
    expect(await repos.tickets.count(['resolved'])).toBe(3000);
    expect(await repos.tickets.count(['needs_triage'])).toBe(40);
    // 50 + 1,000 + 50 documents walked (and none for the counts), where sorting read all 3,040 three times.
    expect(store.examined('tickets') - before).toBeLessThanOrEqual(50 + 1000 + 50);
  });

  it("the delivery's outbox lookup and the sync's open-in-group read judge the open tickets, not the history", async () => {
    const store = await freshStore();
    const repos = await openRepositories(store, { rules, noteAuthors: { serviceUsername: 'lgd.service', leads: () => [] } });
    const now = Date.UTC(2026, 10, 25, 12);
    const items = [
      ...Array.from({ length: 40 }, (_, i) => ({ inc: incident(i, 'Active', new Date(now - i * 60_000)), notes: [] })),
      ...Array.from({ length: 3000 }, (_, i) => ({ inc: incident(100 + i, 'Resolved', new Date(now - 400 * DAY - i * 60_000)), notes: [] })),
    ];
    for (let i = 0; i < items.length; i += 500) await repos.tickets.insertNew(items.slice(i, i + 500));
    // One open ticket with a write delivered and not read back yet, one resolved one with a write waiting.
    const tickets = store.collection<Document>('tickets');
    await tickets.updateOne({ 'lgd.id': 1003 }, { $set: { outbox: [{ id: 'w1', status: 'delivered', settledAt: null }] } });
    await tickets.updateOne({ 'lgd.id': 1200 }, { $set: { outbox: [{ id: 'w2', status: 'pending' }] } });
    const before = store.examined('tickets');
    expect((await repos.tickets.withOutbox(['pending', 'failed'])).map((t) => t.lgd.id)).toEqual([1200]);
    expect((await repos.tickets.withOutbox(['delivered'])).map((t) => t.lgd.id)).toEqual([1003]);
    expect((await repos.tickets.openInGroup()).map((t) => t.id).sort()).toEqual(Array.from({ length: 40 }, (_, i) => 1000 + i));
    // The two written-to tickets, then the 40 open ones (and the delivered one twice): not the 3,040.
    expect(store.examined('tickets') - before).toBeLessThanOrEqual(2 + 41);
  });

  it('insights read the histories of the tickets they follow, not of those that only arrived closed, with the same figures', async () => {
    const store = await freshStore();
    const repos = await openRepositories(store, { rules, noteAuthors: { serviceUsername: 'lgd.service', leads: () => [] } });
    // Wednesday 25 November 2026; X owns three tickets since Monday, and a fourth that arrived resolved
    // on Monday (with X on it) and was reopened into X's hands on Tuesday: X is over the limit from Tuesday.
    const now = new Date('2026-11-25T15:00:00Z');
    const mon = new Date('2026-11-23T10:00:00Z');
    const tue = new Date('2026-11-24T10:00:00Z');
    const events: Document[] = [
      ...['o1', 'o2', 'o3'].map((k) => ({ kind: 'ticket_new', ticketKey: k, state: 'owned', owner: 'X', at: mon })),
      { kind: 'ticket_new', ticketKey: 'r1', state: 'resolved', owner: 'X', at: mon },
      { kind: 'state_changed', ticketKey: 'r1', from: 'resolved', to: 'owned', source: 'lgd', at: tue },
      // A first sync's history: tickets that arrived closed and never changed.
      ...Array.from({ length: 2000 }, (_, i) => ({ kind: 'ticket_new', ticketKey: `old${i}`, state: i % 3 === 0 ? 'reassigned' : 'resolved', owner: i % 2 ? 'Y' : null, at: mon })),
    ];
    await store.collection<Document & { _id: number }>('events').insertMany(events.map((e, i) => ({ ...e, _id: i + 1 })));
    const calendar = await new CalendarSource({ timeZone: 'Europe/London', region: 'GB-ENG', daysOff: repos.daysOff, clock: () => now }).current();
    const before = store.examined('events');
    const weeks = await repos.insights.weeks({ weeks: 2, now, calendar, maxOwned: 3 });
    expect(weeks.at(-1)).toMatchObject({ weekStart: '2026-11-23', ticketsOverLimit: 1, decisions: { approved: 0, project: 0, reassigned: 0 } });
    expect(weeks.at(-1)?.dailyUpdateShare).toBe(0);
    // The five events of the four followed tickets are read (twice: which tickets, then their histories), not the 2,000 others.
    expect(store.examined('events') - before).toBeLessThanOrEqual(20);
  });
});

describe('the MongoDB index definitions back the same reads', () => {
  it("the tickets list's sort, with and without a state, is an index's key order (MongoDB reads it from the index, no in-memory sort)", async () => {
    const store = await freshStore();
    const indexes = new Map<string, Record<string, 1 | -1>[]>();
    const sorts: { filter: Document; sort: unknown }[] = [];
    // The repositories over a store that records the index definitions and the sorted reads they ask of MongoDB.
    const recording: typeof store = {
      ...store,
      collection<T extends Document>(name: string) {
        const col = store.collection<T>(name);
        return {
          ...col,
          insertMany: col.insertMany.bind(col),
          countDocuments: col.countDocuments.bind(col),
          createIndex: (keys: Record<string, 1 | -1>, opts?: Parameters<typeof col.createIndex>[1]) => {
            indexes.set(name, [...(indexes.get(name) ?? []), keys]);
            return col.createIndex(keys, opts);
          },
          find: (filter: Parameters<typeof col.find>[0], opts?: Parameters<typeof col.find>[1]) => {
            if (name === 'tickets' && opts?.sort) sorts.push({ filter: filter, sort: opts.sort });
            return col.find(filter, opts);
          },
        } as typeof col;
      },
    };
    const repos = await openRepositories(recording, { rules, noteAuthors: { serviceUsername: 'lgd.service', leads: () => [] } });
    await repos.tickets.list({ limit: 50 });
    await repos.tickets.list({ states: ['owned', 'needs_triage'], limit: 50 });
    const keyLists = (indexes.get('tickets') ?? []).map((k) => JSON.stringify(Object.entries(k)));
    expect(sorts).toHaveLength(2);
    for (const { filter, sort } of sorts) {
      const equality = Object.keys(filter);
      expect(keyLists, JSON.stringify({ filter, sort })).toContain(JSON.stringify([...equality.map((f) => [f, 1]), ...Object.entries(sort as Record<string, number>)]));
    }
  });
});
