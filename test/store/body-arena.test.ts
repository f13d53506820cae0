import { BSON } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { BodyArena } from '../../bot/store/body-arena.js';

/** A small deterministic generator, so a failure replays. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('BodyArena', () => {
  it('gives back every document as last stored, in first-stored order, through inserts, replacements and deletes that compact its chunks', () => {
    const rnd = random(14);
    const arena = new BodyArena();
    const model = new Map<string, Uint8Array>();
    const held: { view: Uint8Array; copy: Uint8Array }[] = [];
    for (let op = 0; op < 30_000; op++) {
      const id = `k${Math.floor(rnd() * 3000)}`;
      if (rnd() < 0.15) {
        arena.delete(id);
        model.delete(id);
        continue;
      }
      const body = BSON.serialize({ id, op, pad: 'x'.repeat(Math.floor(rnd() * 2000)) });
      arena.set(id, body);
      model.set(id, body); // a replacement keeps the id's place in Map order, as the arena does
      if (op % 500 === 0) {
        const view = arena.get(id)!;
        held.push({ view, copy: view.slice() });
      }
    }
    expect(arena.size).toBe(model.size);
    expect([...arena.keys()]).toEqual([...model.keys()]);
    for (const [id, body] of model) expect(Buffer.from(arena.get(id)!).equals(Buffer.from(body)), id).toBe(true);
    expect(arena.get('absent')).toBeUndefined();
    // A view handed out earlier still says what it said, whatever was moved or dropped since.
    for (const { view, copy } of held) expect(Buffer.from(view).equals(Buffer.from(copy))).toBe(true);
  });

  it('holds a document larger than its first chunks, and refuses none up to BSON\'s 16 MiB', () => {
    const arena = new BodyArena();
    const big = BSON.serialize({ pad: 'y'.repeat(16 * 1024 * 1024 - 100) });
    arena.set('small', BSON.serialize({ a: 1 }));
    arena.set('big', big);
    arena.set('after', BSON.serialize({ b: 2 }));
    expect(BSON.deserialize(arena.get('big')!).pad).toHaveLength(16 * 1024 * 1024 - 100);
    expect(BSON.deserialize(arena.get('small')!)).toEqual({ a: 1 });
    expect(BSON.deserialize(arena.get('after')!)).toEqual({ b: 2 });
  });
});
