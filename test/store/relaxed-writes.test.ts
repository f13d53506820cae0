/**
 * Relaxed writes (RELAXED_WRITE, `writeConcern: { journal: false }`): the embedded store commits
 * them under SQLite's synchronous=NORMAL and every other write under FULL, the setting restored
 * whatever the relaxed write did (committed, refused by a full disk, stopped by a duplicate key),
 * so that a person's write never runs relaxed. The repositories ask for it only for what LGD can
 * give again: a ticket write that settles a person's outbox entry, and a drain that moves a
 * ticket's journal, stay full. Observed through the store's commit seam (the connection's setting
 * read as each write commits), not by timing.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Collection } from 'mongodb';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../bot/errors.js';
import { RELAXED_WRITE } from '../../bot/store/doc-collection.js';
import { openEmbeddedStore, type EmbeddedStore } from '../../bot/store/embedded-store.js';
import { mongoCollection } from '../../bot/store/mongo-collection.js';
import { openRepositories, type Repositories } from '../../bot/store/open-repositories.js';
import type { CommitSeen } from '../../bot/store/sqlite-file.js';
import { at, entry, incident, rules } from '../domain/ticket-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'lgd-relaxed-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => join(root, `d${++dirs}`);

/** The commits `store` makes while `fn` runs, as `collection:synchronous`. */
async function commitsDuring(store: EmbeddedStore, fn: () => Promise<unknown>): Promise<string[]> {
  const seen: CommitSeen[] = [];
  const stop = store.observeCommits((c) => seen.push(c));
  try {
    await fn();
  } finally {
    stop();
  }
  return seen.map((c) => `${c.collection}:${c.synchronous}`);
}

describe('the embedded store commits a relaxed write under synchronous=NORMAL, every other under FULL', () => {
  let store: EmbeddedStore;
  beforeEach(async () => {
    store = await openEmbeddedStore({ dataDir: freshDir() });
  });
  afterEach(async () => {
    await store.close();
  });

  it('for every write method, and the write right after a relaxed one is full again', async () => {
    const col = store.collection<{ _id: number; v: number }>('c');
    await col.insertMany([{ _id: 100, v: 0 }]);
    const r = RELAXED_WRITE;
    const relaxed: [string, () => Promise<unknown>][] = [
      ['insertOne', () => col.insertOne({ _id: 1, v: 1 }, r)],
      ['insertMany', () => col.insertMany([{ _id: 2, v: 1 }, { _id: 3, v: 1 }], r)],
      ['updateOne', () => col.updateOne({ _id: 1 }, { $inc: { v: 1 } }, r)],
      ['updateMany', () => col.updateMany({ v: 1 }, { $inc: { v: 1 } }, r)],
      ['findOneAndUpdate', () => col.findOneAndUpdate({ _id: 1 }, { $inc: { v: 1 } }, { returnDocument: 'after', ...r })],
      ['replaceOne', () => col.replaceOne({ _id: 2 }, { v: 9 }, { upsert: true, ...r })],
      ['deleteOne', () => col.deleteOne({ _id: 3 }, r)],
      ['bulkWrite', () => col.bulkWrite([{ insertOne: { document: { _id: 4, v: 0 } } }, { updateOne: { filter: { _id: 4 }, update: { $set: { v: 4 } } } }], r)],
      ['deleteMany', () => col.deleteMany({ _id: { $in: [4] } }, r)],
    ];
    for (const [name, write] of relaxed) {
      const relaxedBefore = store.relaxedCommits();
      const seen = await commitsDuring(store, async () => {
        await write();
        // A plain write issued right after, as a person's would be.
        await col.updateOne({ _id: 100 }, { $inc: { v: 1 } });
      });
      expect(seen, name).toEqual(['c:normal', 'c:full']);
      expect(store.relaxedCommits() - relaxedBefore, name).toBe(1);
    }
    expect(await col.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 1, v: 3 },
      { _id: 2, v: 9 },
      { _id: 100, v: relaxed.length },
    ]);
    // Without the option, or with a write concern that is not `journal: false`: full.
    expect(
      await commitsDuring(store, async () => {
        await col.insertOne({ _id: 5, v: 0 });
        await col.insertOne({ _id: 6, v: 0 }, { writeConcern: { journal: true } });
        await col.insertOne({ _id: 7, v: 0 }, { writeConcern: {} });
      }),
    ).toEqual(['c:full', 'c:full', 'c:full']);
  });

  it('restores FULL after a relaxed write the disk refuses, and after one a duplicate key stops part-way', async () => {
    await store.close();
    store = await openEmbeddedStore({ dataDir: freshDir(), maxSizeBytes: 256 * 1024 });
    const col = store.collection<{ _id: number; pad: string }>('full');
    const pad = 'x'.repeat(4000);
    let refusal: unknown;
    for (let i = 0; i < 500 && refusal === undefined; i++) {
      try {
        await col.insertOne({ _id: i, pad }, RELAXED_WRITE);
      } catch (err) {
        refusal = err;
      }
    }
    expect(refusal).toBeInstanceOf(StoreError);
    expect(String((refusal as Error).message)).toMatch(/SQLITE_FULL/);
    // A batch refused inside its transaction, too.
    await expect(col.insertMany([{ _id: 10_001, pad }, { _id: 10_002, pad: pad.repeat(20) }], RELAXED_WRITE)).rejects.toBeInstanceOf(StoreError);
    // The next plain write (a delete: it needs no room) commits under FULL.
    expect(await commitsDuring(store, () => col.deleteOne({ _id: 0 }))).toEqual(['full:full']);

    // A duplicate key in the 2nd of 3 inserts: the 1st is committed (relaxed), the error rethrown, the setting restored.
    expect(
      await commitsDuring(store, async () => {
        await expect(col.insertMany([{ _id: 20_001, pad: '' }, { _id: 1, pad: '' }, { _id: 20_003, pad: '' }], RELAXED_WRITE)).rejects.toMatchObject({ code: 11000 });
        await col.deleteOne({ _id: 20_001 });
      }),
    ).toEqual(['full:normal', 'full:full']);
  });

  it('keeps relaxed writes when the process that made them is killed (kill -9): they are in the OS cache, not in the process', async () => {
    const dataDir = freshDir();
    const storeModule = resolve('bot/store/embedded-store.ts');
    const docModule = resolve('bot/store/doc-collection.ts');
    const code = `
      const { openEmbeddedStore } = await import(${JSON.stringify(storeModule)});
      const { RELAXED_WRITE } = await import(${JSON.stringify(docModule)});
      const store = await openEmbeddedStore({ dataDir: ${JSON.stringify(dataDir)} });
      const col = store.collection('k');
      for (let i = 0; i < 50; i++) await col.insertOne({ _id: i, pad: 'x'.repeat(2000) }, RELAXED_WRITE);
      await col.updateMany({}, { $set: { v: 1 } }, RELAXED_WRITE);
      process.stdout.write('written ' + store.relaxedCommits() + '\\n');
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((ok) => child.on('exit', (_code, signal) => ok(signal)));
    await new Promise<void>((ok, fail) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) ok();
      });
      child.on('exit', () => fail(new Error(`the writer exited before writing: ${err}`)));
    });
    expect(out.trim()).toBe('written 51');
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    await store.close();
    store = await openEmbeddedStore({ dataDir });
    const col = store.collection<{ _id: number; v?: number }>('k');
    expect(await col.countDocuments({ v: 1 })).toBe(50);
  }, 30_000);

  it('keeps a relaxed write across close and reopen', async () => {
    const dataDir = freshDir();
    await store.close();
    store = await openEmbeddedStore({ dataDir });
    await store.collection<{ _id: string; v: number }>('k').insertOne({ _id: 'a', v: 1 }, RELAXED_WRITE);
    await store.close();
    store = await openEmbeddedStore({ dataDir });
    expect(await store.collection<{ _id: string; v: number }>('k').findOne({ _id: 'a' })).toEqual({ _id: 'a', v: 1 });
  });
});

describe('the repositories ask for relaxed writes only for what LGD can give again', () => {
  let store: EmbeddedStore;
  let repos: Repositories;
  beforeEach(async () => {
    store = await openEmbeddedStore({ dataDir: freshDir() });
    repos = await openRepositories(store, { rules, noteAuthors: { serviceUsername: 'lgd.service', leads: () => [] } });
  });
  afterEach(async () => {
    await store.close();
  });

  it("a sync's ticket write is relaxed, but not one that settles a person's delivered write", async () => {
    const inc = incident({ key: 'k-1', id: 101 });
    expect(await commitsDuring(store, () => repos.tickets.insertNew([{ inc, notes: [], read: { readAt: at(0) } }], RELAXED_WRITE))).toEqual([
      'ticket_announcements:normal',
      'tickets:normal',
    ]);
    // LGD's fields changed: relaxed.
    const retitled = { ...inc, title: 'Still broken', lastUpdate: at(2) };
    expect(await commitsDuring(store, () => repos.tickets.applyLgd(retitled, [], { readAt: at(2) }, RELAXED_WRITE))).toEqual(['tickets:normal']);
    // A person's resolve, delivered to LGD (the person's writes: full).
    const resolve = entry('e-1', { kind: 'resolve', categoryKey: 'c-1', description: 'Fixed' }, { status: 'delivered', finishedAt: at(3) });
    expect(await commitsDuring(store, () => repos.tickets.mutate('k-1', (t) => ({ ...t, outbox: [resolve] })))).toEqual(['tickets:full']);
    // The sync reads the ticket resolved: the write that settles the entry is full, though asked relaxed.
    const resolved = { ...retitled, status: 'Resolved', lastUpdate: at(4) };
    expect(await commitsDuring(store, () => repos.tickets.applyLgd(resolved, [], { readAt: at(4) }, RELAXED_WRITE))).toEqual(['tickets:full']);
    expect((await repos.tickets.get('k-1'))?.outbox[0]?.settledAt).toBeInstanceOf(Date);
    // Once settled, LGD's next change is relaxed again; the deliverer's read-back (no option) is full.
    expect(await commitsDuring(store, () => repos.tickets.applyLgd({ ...resolved, title: 'Done', lastUpdate: at(5) }, [], { readAt: at(5) }, RELAXED_WRITE))).toEqual(['tickets:normal']);
    expect(await commitsDuring(store, () => repos.tickets.applyLgd({ ...resolved, title: 'Done!', lastUpdate: at(6) }, [], { readAt: at(6) }, { announce: false }))).toEqual(['tickets:full']);
  });

  it("the drain of new tickets' announcements is relaxed; one that moves a ticket's journal is full", async () => {
    await repos.tickets.insertNew([{ inc: incident({ key: 'k-1', id: 101 }), notes: [] }, { inc: incident({ key: 'k-2', id: 102 }), notes: [] }], RELAXED_WRITE);
    expect(await commitsDuring(store, () => repos.journal.drain())).toEqual(['counters:normal', 'events:normal', 'ticket_announcements:normal']);
    expect((await repos.events.after(0)).map((e) => [e.kind, e.ticketKey])).toEqual([
      ['ticket_new', 'k-1'],
      ['ticket_new', 'k-2'],
    ]);
    // A person's action recorded on a ticket (its audit in the journal), and a new ticket announced: one drain, full.
    const actor = { name: 'Ann Lead', aadObjectId: null, email: null };
    await repos.tickets.record('k-1', { audit: [{ actor, action: 'approve', ticketKey: 'k-1', ticketNumber: 101, outcome: 'done', source: 'teams', detail: null }] });
    await repos.tickets.insertNew([{ inc: incident({ key: 'k-3', id: 103 }), notes: [] }], RELAXED_WRITE);
    const seen = await commitsDuring(store, () => repos.journal.drain());
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((s) => s.endsWith(':full'))).toBe(true);
    expect(seen).toContain('audit:full');
  });
});

describe('the MongoDB store keeps the server write concern', () => {
  it('passes every write on without its writeConcern, and everything else as given', async () => {
    const calls: [string, unknown[]][] = [];
    // The driver's collection as far as the port uses it: each call recorded (no server here; the contract suite runs the real one with MONGODB_URI).
    const driver = new Proxy({}, { get: (_t, name: string) => (...args: unknown[]) => (calls.push([name, args]), Promise.resolve(null)) }) as Collection<{ _id: number; a?: number }>;
    const col = mongoCollection(driver);
    await col.insertOne({ _id: 1 }, RELAXED_WRITE);
    await col.insertMany([{ _id: 2 }], RELAXED_WRITE);
    await col.updateOne({ _id: 1 }, { $set: { a: 1 } }, { upsert: true, ...RELAXED_WRITE });
    await col.updateMany({}, { $set: { a: 1 } }, RELAXED_WRITE);
    await col.findOneAndUpdate({ _id: 1 }, { $set: { a: 1 } }, { returnDocument: 'after', upsert: true, ...RELAXED_WRITE });
    await col.replaceOne({ _id: 1 }, { a: 2 }, { upsert: true, ...RELAXED_WRITE });
    await col.deleteOne({ _id: 1 }, RELAXED_WRITE);
    await col.deleteMany({}, RELAXED_WRITE);
    await col.bulkWrite([{ deleteMany: { filter: {} } }], RELAXED_WRITE);
    await col.updateOne({ _id: 1 }, { $set: { a: 1 } });
    const options = calls.map(([name, args]) => [name, args.at(-1)]);
    expect(options).toEqual([
      ['insertOne', {}],
      ['insertMany', {}],
      ['updateOne', { upsert: true }],
      ['updateMany', {}],
      ['findOneAndUpdate', { returnDocument: 'after', upsert: true }],
      ['replaceOne', { upsert: true }],
      ['deleteOne', {}],
      ['deleteMany', {}],
      ['bulkWrite', {}],
      ['updateOne', undefined],
    ]);
    // A method the port gains is either a write, to be exercised above with RELAXED_WRITE, or a read named here:
    // this names it, so that a new write cannot pass an operation's write concern to the driver unnoticed.
    const reads = ['findOne', 'find', 'countDocuments', 'createIndex', 'aggregate'];
    const exercised = new Set(calls.map(([name]) => name));
    expect(Object.keys(col).filter((k) => !exercised.has(k) && !reads.includes(k))).toEqual([]);
  });
});
