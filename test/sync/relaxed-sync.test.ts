/**
 * A sync pass writes what LGD can give again relaxed (no fsync of its own on the embedded store),
 * and saves its cursor last with a full write, which makes the whole pass durable: a power cut
 * can only lose the pass's last writes together with the cursor that covers them. A person's
 * writes in between stay full. Observed through the store's commit seam (the connection's
 * `synchronous` as each write commits), not by timing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { approve } from '../../bot/domain/commands.js';
import type { EmbeddedStore } from '../../bot/store/embedded-store.js';
import { seedTeam, startSyncHarness, type SyncHarness } from '../support/sync-harness.js';

let h: SyncHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The commits made while `fn` runs, as `collection:synchronous`. */
async function commitsDuring(fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const stop = (h!.store as EmbeddedStore).observeCommits((c) => seen.push(`${c.collection}:${c.synchronous}`));
  try {
    await fn();
  } finally {
    stop();
  }
  return seen;
}

describe("a sync pass's durability", () => {
  it('is relaxed for every write of a pass but the cursor save, its last commit, which is full; a person\'s writes stay full', async () => {
    h = await startSyncHarness();
    const { team, dev } = seedTeam(h.sim.state, 130);
    const first = await commitsDuring(() => h!.sync.syncOnce());
    expect(first.at(-1)).toBe('sync_state:full');
    expect(first.slice(0, -1).filter((c) => !c.endsWith(':normal'))).toEqual([]);
    // Reference lists, first-sync progress, the new tickets and their announcements: all written, relaxed.
    for (const c of ['lgd_groups', 'lgd_analysts', 'sync_state', 'ticket_announcements', 'tickets']) expect(first).toContain(`${c}:normal`);
    // The worker's drain of the new tickets' events: relaxed as well.
    const drained = await commitsDuring(() => h!.drain());
    expect(drained).toContain('events:normal');
    expect(drained.filter((c) => !c.endsWith(':normal'))).toEqual([]);
    expect((await h.events.after(0, 1000)).filter((e) => e.kind === 'ticket_new')).toHaveLength(130);

    // LGD changes two tickets; a person takes a third from Teams (full), then the next pass: relaxed until its cursor save.
    const [a, b, c] = h.sim.state.incidentsByTitle('Team ticket 1').concat(h.sim.state.incidentsByTitle('Team ticket 2'), h.sim.state.incidentsByTitle('Team ticket 3'));
    h.clock.advance(60_000);
    h.sim.state.assign(a!.key, { groupKey: team.guid, userKey: dev.guid });
    h.sim.state.addNote(b!.key, { text: 'Looked at it', by: 'Dev One' });
    const approved = await commitsDuring(async () => expect((await h!.commands.run(c!.key, { name: 'Ann Lead', aadObjectId: 'aad-ann' }, approve)).ok).toBe(true));
    expect(approved).toEqual(['tickets:full']);
    // The drain that moves its event and audit out of the ticket's journal: full.
    const moved = await commitsDuring(() => h!.drain());
    expect(moved).toContain('events:full');
    expect(moved.filter((x) => !x.endsWith(':full'))).toEqual([]);
    const next = await commitsDuring(() => h!.sync.syncOnce());
    expect(next).toContain('tickets:normal');
    expect(next.at(-1)).toBe('sync_state:full');
    expect(next.slice(0, -1).filter((x) => !x.endsWith(':normal'))).toEqual([]);
    expect((await h.tickets.get(a!.key))?.owner?.key.toLowerCase()).toBe(dev.guid.toLowerCase());
  });
});
