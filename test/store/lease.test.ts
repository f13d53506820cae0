import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import type { Store } from '../../bot/store/doc-collection.js';
import { Lease } from '../../bot/store/lease.js';
import { TestClock } from '../support/sync-harness.js';

let store: Store | undefined;
let dir: string | undefined;
afterEach(async () => {
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('worker lease', () => {
  it('lets exactly one instance work, and another take over when it stops renewing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lgd-lease-'));
    const open = (store = await openEmbeddedStore({ dataDir: dir }));
    const clock = new TestClock(Date.parse('2026-11-27T09:00:00Z'));
    const instances = Array.from({ length: 5 }, (_, i) => new Lease(open, 'worker', `instance-${i}`, 60_000, clock.now));

    const first = await Promise.all(instances.map((l) => l.acquire()));
    expect(first.filter(Boolean)).toHaveLength(1);
    const holder = instances[first.indexOf(true)]!;

    clock.advance(30_000);
    expect(await holder.acquire()).toBe(true); // renewal
    expect((await Promise.all(instances.filter((l) => l !== holder).map((l) => l.acquire()))).some(Boolean)).toBe(false);

    clock.advance(61_000); // the holder died and stopped renewing
    const second = await Promise.all(instances.filter((l) => l !== holder).map((l) => l.acquire()));
    expect(second.filter(Boolean)).toHaveLength(1);
    expect(await holder.acquire()).toBe(false);
  });

  it('hands over at once when released', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lgd-lease-'));
    store = await openEmbeddedStore({ dataDir: dir });
    const a = new Lease(store, 'worker', 'a', 60_000);
    const b = new Lease(store, 'worker', 'b', 60_000);
    expect(await a.acquire()).toBe(true);
    expect(await b.acquire()).toBe(false);
    await a.release();
    expect(await b.acquire()).toBe(true);
  });

  it('takes over a lease another holder still holds, when the store proves that holder is gone', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lgd-lease-'));
    store = await openEmbeddedStore({ dataDir: dir });
    expect(store.exclusive).toBe(true);
    const clock = new TestClock(Date.parse('2026-11-27T09:00:00Z'));
    const dead = new Lease(store, 'worker', 'dead-instance', 90_000, clock.now);
    const next = new Lease(store, 'worker', 'next-instance', 90_000, clock.now);
    expect(await dead.acquire()).toBe(true);
    clock.advance(5_000);
    expect(await next.acquire()).toBe(false);

    expect(await next.takeOver()).toBe('dead-instance');
    expect(await next.acquire()).toBe(true);
    expect(await dead.acquire()).toBe(false);
    // Taking over one's own lease, or an expired one, names no previous holder.
    expect(await next.takeOver()).toBeNull();
    clock.advance(100_000);
    expect(await dead.takeOver()).toBeNull();
  });
});
