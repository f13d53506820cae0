/**
 * The embedded store keeps documents in its file, not in memory (FileBodies): every read gives what
 * was last committed, in first-stored order, through writes that fail part-way, and the process's
 * buffers do not grow with what is stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { HOT_DOCUMENTS } from '../../bot/store/embedded-collection.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';

const root = mkdtempSync(join(tmpdir(), 'file-bodies-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => join(root, `d${++dirs}`);

/** A small deterministic generator, so a failure replays. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

type D = { _id: string; op: number; pad: string };

describe('embedded store: documents kept in the file', () => {
  it('reads back every document as last committed, in first-stored order, through inserts, replacements, deletes and ordered writes that fail part-way', async () => {
    const dataDir = freshDir();
    const store = await openEmbeddedStore({ dataDir });
    const col = store.collection<D>('model');
    const rnd = random(14);
    // What MongoDB's natural order would be for this workload: a Map keeps a replaced key in its place.
    const model = new Map<string, D>();
    const keys = HOT_DOCUMENTS + 600; // more than are kept decoded: most reads go to the file
    for (let op = 0; op < 5_000; op++) {
      const id = `k${Math.floor(rnd() * keys)}`;
      const doc: D = { _id: id, op, pad: 'x'.repeat(Math.floor(rnd() * 600)) };
      const r = rnd();
      if (r < 0.15) {
        await col.deleteOne({ _id: id });
        model.delete(id);
      } else if (r < 0.2) {
        // An ordered insertMany whose second document is a duplicate: the first is kept, the rest is not.
        const fresh = `n${op}`;
        const dup = model.keys().next().value;
        if (dup === undefined) continue;
        await expect(col.insertMany([{ ...doc, _id: fresh }, { ...doc, _id: dup }, { ...doc, _id: `m${op}` }])).rejects.toMatchObject({ code: 11000 });
        model.set(fresh, { ...doc, _id: fresh });
      } else {
        await col.replaceOne({ _id: id }, { op, pad: doc.pad }, { upsert: true });
        model.set(id, doc);
      }
      if (op % 1000 === 0) expect(await col.findOne({ _id: id })).toEqual(model.get(id) ?? null);
    }
    const check = async (c: typeof col): Promise<void> => {
      expect(await c.countDocuments()).toBe(model.size);
      expect(await c.find({}).toArray()).toEqual([...model.values()]);
      for (const id of ['k1', 'k2', `k${keys - 1}`, 'absent']) expect(await c.findOne({ _id: id })).toEqual(model.get(id) ?? null);
    };
    await check(col);
    await store.close();
    const reopened = await openEmbeddedStore({ dataDir });
    await check(reopened.collection<D>('model'));
    await reopened.close();
  });

  it('does not hold what it stores in the process: 40 MB of documents grow its buffers by less than 8 MB', async () => {
    setFlagsFromString('--expose-gc');
    const gcNow = runInNewContext('gc') as () => void;
    // V8 frees dead buffers' memory from a background thread after a collection: give it time, and collect again.
    const gc = async (): Promise<void> => {
      gcNow();
      await new Promise((ok) => setTimeout(ok, 200));
      gcNow();
    };
    const store = await openEmbeddedStore({ dataDir: freshDir() });
    const col = store.collection<{ _id: number; pad: string }>('big');
    await gc();
    const before = process.memoryUsage().arrayBuffers;
    const pad = 'p'.repeat(4000);
    for (let b = 0; b < 20; b++) await col.insertMany(Array.from({ length: 500 }, (_, i) => ({ _id: b * 500 + i, pad: `${b}-${i}${pad}` })));
    await gc();
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(await col.countDocuments()).toBe(10_000);
    expect((await col.findOne({ _id: 1234 }))?.pad.startsWith('2-234p')).toBe(true);
    // Were the bytes held in memory (packed in chunks, as before), the 40 MB and more would be here.
    expect(grown).toBeLessThan(8 * 2 ** 20);
    await store.close();
  });
});
