import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { StoreError } from '../../bot/errors.js';
import { anchoredLiteral } from '../../bot/store/embedded-collection.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import { openStore } from '../../bot/store/open-store.js';
import { defineStoreContract } from './store-contract.js';

const root = mkdtempSync(join(tmpdir(), 'store-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => join(root, `d${++dirs}`, 'nested');

const contractDir = freshDir();
defineStoreContract('embedded', {
  open: () => openEmbeddedStore({ dataDir: contractDir }),
  destroy: async () => rmSync(contractDir, { recursive: true, force: true }),
});

describe('embedded store specifics', () => {
  it('is what openStore picks when no MongoDB URI is set, creating the data dir', async () => {
    const logger = pino({ level: 'silent' });
    for (const mongodbUri of [undefined, '', '  ']) {
      const store = await openStore({ mongodbUri, dataDir: freshDir(), logger });
      expect(store.kind).toBe('embedded');
      expect((await store.ping()).ok).toBe(true);
      await store.close();
    }
  });

  it('a write the disk refuses is a StoreError and leaves memory as the disk has it', async () => {
    const dataDir = freshDir();
    const store = await openEmbeddedStore({ dataDir, maxSizeBytes: 256 * 1024 });
    const col = store.collection<{ _id: number; pad: string; v?: number }>('full');
    const pad = 'x'.repeat(4000);
    let stored = 0;
    let refusal: unknown;
    for (let i = 0; i < 500 && refusal === undefined; i++) {
      try {
        await col.insertOne({ _id: i, pad });
        stored++;
      } catch (err) {
        refusal = err;
      }
    }
    expect(refusal).toBeInstanceOf(StoreError);
    expect(refusal).toMatchObject({ code: 'STORE_FAILED' });
    expect(String((refusal as Error).message)).toMatch(/SQLITE_FULL/);
    expect(stored).toBeGreaterThan(10);
    expect(await col.countDocuments()).toBe(stored);
    expect(await col.findOne({ _id: stored })).toBeNull();

    // A batch that cannot fit is refused as a whole, and so is an update that grows a document.
    await expect(col.insertMany([{ _id: 10_001, pad }, { _id: 10_002, pad }, { _id: 10_003, pad: pad.repeat(20) }])).rejects.toBeInstanceOf(StoreError);
    expect(await col.countDocuments({ _id: { $gte: 10_000 } })).toBe(0);
    await expect(col.updateOne({ _id: 0 }, { $set: { pad: pad.repeat(100), v: 1 } })).rejects.toBeInstanceOf(StoreError);
    expect(await col.findOne({ _id: 0 })).toEqual({ _id: 0, pad });
    await expect(col.updateMany({}, { $set: { pad: pad.repeat(3) } })).rejects.toBeInstanceOf(StoreError);
    expect(await col.countDocuments({ pad })).toBe(stored);
    await store.close();

    const reopened = await openEmbeddedStore({ dataDir });
    const again = reopened.collection('full');
    expect(await again.countDocuments()).toBe(stored);
    expect(await again.countDocuments({ pad })).toBe(stored);
    await reopened.close();
  });

  it('refuses a second opener of the same data dir while it is open', async () => {
    const dataDir = freshDir();
    const store = await openEmbeddedStore({ dataDir });
    await store.collection('x').insertOne({ a: 1 });
    await expect(openEmbeddedStore({ dataDir, busyTimeoutMs: 50 })).rejects.toBeInstanceOf(StoreError);
    await store.close();
    const next = await openEmbeddedStore({ dataDir });
    expect(await next.collection('x').countDocuments()).toBe(1);
    await next.close();
  });

  it('refuses reads and writes after close with a StoreError', async () => {
    const store = await openEmbeddedStore({ dataDir: freshDir() });
    const col = store.collection('c');
    await col.insertOne({ a: 1 });
    await store.close();
    await expect(col.insertOne({ a: 2 })).rejects.toBeInstanceOf(StoreError);
    await expect(col.findOne({ a: 1 })).rejects.toBeInstanceOf(StoreError);
    expect(() => store.collection('other')).toThrow(StoreError);
    expect((await store.ping()).ok).toBe(false);
  });

  it('answers an $or of indexed lookups and whole-value regex lookups from the indexes exactly as a scan does', async () => {
    const store = await openEmbeddedStore({ dataDir: freshDir() });
    type P = { _id: string; email?: string | null; upn?: string | string[]; n: number };
    const docs: P[] = [
      { _id: 'a', email: 'ann@example.org', upn: 'ALovelace@example.org', n: 1 },
      { _id: 'b', email: 'Ann@Example.org', n: 2 },
      { _id: 'c', email: null, upn: ['bob@example.org', 'b.smith@example.org'], n: 3 },
      { _id: 'd', upn: 'dbrown@example.org', n: 4 },
      { _id: 'e', email: 'a.b@example.org', n: 5 },
      { _id: 'f', email: 'axb@example.org', n: 6 },
      { _id: 'g', email: '\u212Aate@example.org', n: 7 }, // KELVIN SIGN: lower-cases to "k", matches /^kate@/i only in unicode mode
      { _id: 'h', email: 'kate@example.org', n: 8 },
      { _id: 'i', email: 'ÆRØ@example.org', n: 9 },
    ];
    const indexed = store.collection<P>('people_indexed');
    await indexed.createIndex({ email: 1 });
    await indexed.createIndex({ upn: 1 });
    await indexed.insertMany(docs.map((d) => ({ ...d })));
    const plain = store.collection<P>('people_plain');
    await plain.insertMany(docs.map((d) => ({ ...d })));
    const exactly = (v: string, options = 'i') => ({ $regex: `^${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, $options: options });
    const filters = [
      { $or: [{ email: { $in: ['ann@example.org', 'bob@example.org'] } }, { upn: { $in: ['ann@example.org', 'bob@example.org'] } }] },
      { $or: [{ email: 'kate@example.org' }, { _id: 'd' }] },
      { $or: [{ email: 'kate@example.org' }, { n: 5 }] },
      { email: exactly('ANN@EXAMPLE.ORG') },
      { email: exactly('ann@example.org', '') },
      { email: exactly('a.b@example.org') },
      { email: { $regex: '^a.b@example.org$', $options: 'i' } },
      { email: exactly('kate@example.org') },
      { email: exactly('ærø@example.org') },
      { upn: exactly('B.SMITH@example.org') },
      { upn: exactly('alovelace@example.org'), n: { $gt: 0 } },
    ];
    for (const filter of filters) {
      const want = await plain.find(filter, { sort: { _id: 1 } }).toArray();
      expect(await indexed.find(filter, { sort: { _id: 1 } }).toArray(), JSON.stringify(filter)).toEqual(want);
    }
    await store.close();
  });

  it('reads a whole-value regex as its text only when nothing in it is a pattern', () => {
    expect(anchoredLiteral({ $regex: '^ann\\.lovelace@example\\.org$', $options: 'i' })).toEqual({ text: 'ann.lovelace@example.org', ignoreCase: true });
    expect(anchoredLiteral({ $regex: '^a\\$b$' })).toEqual({ text: 'a$b', ignoreCase: false });
    for (const cond of [{ $regex: '^a.b$' }, { $regex: 'ab$' }, { $regex: '^ab' }, { $regex: '^a\\$' }, { $regex: '^a\\db$' }, { $regex: '^ab$', $options: 'im' }, { $regex: '^ab$', $ne: 'x' }, { $regex: /^ab$/ }]) {
      expect(anchoredLiteral(cond), JSON.stringify(cond)).toBeUndefined();
    }
  });

  it('answers equality on an indexed field from the index, as fast as by _id', async () => {
    const store = await openEmbeddedStore({ dataDir: freshDir() });
    const col = store.collection<{ key: string; n: number }>('big');
    await col.createIndex({ key: 1 }, { unique: true });
    await col.insertMany(Array.from({ length: 20_000 }, (_, n) => ({ key: `k${n}`, n })));
    const t0 = performance.now();
    for (let i = 0; i < 2000; i++) expect((await col.findOne({ key: `k${(i * 7) % 20_000}` }))?.n).toBe((i * 7) % 20_000);
    const indexed = performance.now() - t0;
    const t1 = performance.now();
    for (let i = 0; i < 20; i++) expect(await col.findOne({ n: -1 - i })).toBeNull();
    const scanned = (performance.now() - t1) * 100;
    expect(indexed).toBeLessThan(scanned / 5);
    await store.close();
  });
});
