/**
 * A write LGD applies after the client gave up on it (a hung write: LGD still working), whose
 * answer a proxy replaced with 502 / 504, or that a proxy answered 504 while LGD went on with it, is not sent twice: it is looked for in LGD once LGD has had
 * time to finish it (the settle time), and sent again only when it is not there. Real simulator over
 * HTTP on the test's clock, real client (200 ms timeout), real embedded store; the clock moves on
 * one second at a time, as it would, with the outbox looking for due work at every step. Each write
 * must be applied exactly once, counted in the simulator's own records.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { approve, resolve, takeOwnership, updateUser } from '../../bot/domain/commands.js';
import { outboxRef, type OutboxEntry } from '../../bot/domain/outbox.js';
import { LgdClient } from '../../bot/lgd/client/lgd-client.js';
import { defaultLgdMapping } from '../../bot/lgd/lgd-mapping.js';
import type { FaultOptions } from '../../bot/lgd/simulator/faults.js';
import { seedTeam, startSyncHarness, type SyncHarness } from '../support/sync-harness.js';

let h: SyncHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ann = { name: 'Ann Lead', aadObjectId: 'aad-ann' };
const dev = { name: 'Dev One', aadObjectId: 'aad-dev' };
/** The deliverer's settle time in these tests. */
const SETTLE_MS = 90_000;
/** How long LGD works on a hung write: less than the settle time, far more than the client waits. */
const LATE_MS = 40_000;

const shortTimeoutClient = (baseUrl: string) =>
  new LgdClient({ baseUrl, username: 'lgd.service', password: 'lgd-simulator', mapping: defaultLgdMapping, timeoutMs: 200 });

async function harness(): Promise<SyncHarness> {
  h = await startSyncHarness({ simOnClock: true, settleMs: SETTLE_MS, lgd: shortTimeoutClient });
  return h;
}

/** Queues one write of each kind on three tickets: an approval; an approval, an ownership and a resolve; a message to the user. */
async function queueWrites(hh: SyncHarness): Promise<string[]> {
  const s = seedTeam(hh.sim.state, 3);
  await hh.sync.syncOnce();
  const keys = (await hh.tickets.list({ limit: 10 })).map((t) => t._id).sort();
  const [k0, k1, k2] = keys as [string, string, string];
  expect((await hh.commands.run(k0, ann, approve)).ok).toBe(true);
  expect((await hh.commands.run(k1, ann, approve)).ok).toBe(true);
  expect((await hh.commands.run(k1, dev, (t, ctx) => takeOwnership(t, { key: s.dev.guid, title: 'Dev One' }, ctx))).ok).toBe(true);
  const cat = [...hh.sim.state.resolutionCategories.values()][0]!;
  expect((await hh.commands.run(k1, dev, (t, ctx) => resolve(t, { categoryKey: cat.guid, description: 'Fixed the form' }, ctx))).ok).toBe(true);
  expect((await hh.commands.run(k2, dev, (t, ctx) => updateUser(t, 'Looking at it today.', ctx))).ok).toBe(true);
  return keys;
}

/** One delivery pass with `faults` on (every write LGD sees then meets them), then none. */
async function firstPassWith(hh: SyncHarness, faults: FaultOptions): Promise<void> {
  hh.sim.resetStats();
  hh.sim.setFaults(faults);
  await hh.deliverer.deliverDue();
  hh.sim.setFaults({});
}

/** Moves the clock on a second at a time for `ms`, the outbox looking for due work at each step. */
async function run(hh: SyncHarness, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 1_000) {
    hh.clock.advance(1_000);
    await hh.deliverer.deliverDue();
  }
}

async function entries(hh: SyncHarness): Promise<{ ticketKey: string; e: OutboxEntry }[]> {
  const ts = await hh.tickets.list({ limit: 100 });
  return ts.flatMap((t) => t.outbox.map((e) => ({ ticketKey: t._id, e })));
}

/** How many times LGD holds each entry's write, by the simulator's own records. */
async function timesApplied(hh: SyncHarness): Promise<Record<string, number>> {
  const st = hh.sim.state;
  const out: Record<string, number> = {};
  for (const { ticketKey, e } of await entries(hh)) {
    const ref = outboxRef(e.id);
    const hits =
      e.write.kind === 'note'
        ? st.notesOf(ticketKey).filter((n) => n.text.includes(ref))
        : e.write.kind === 'end_user_update'
          ? st.notesOf(ticketKey).filter((n) => n.text.startsWith('Looking at it today.'))
          : e.write.kind === 'assign'
            ? st.assignmentsOf(ticketKey).filter((a) => a.description.includes(ref))
            : [...st.resolutions.values()].filter((r) => r.incidentKey === ticketKey);
    out[`${e.write.kind} ${ref}`] = hits.length;
  }
  return out;
}

const once = (applied: Record<string, number>): Record<string, number> => Object.fromEntries(Object.keys(applied).map((k) => [k, 1]));

/** After the next sync (whatever LGD was still working on has landed by then), each write is in LGD once. */
async function expectEachDeliveredOnce(hh: SyncHarness): Promise<void> {
  await hh.sync.syncOnce();
  const applied = await timesApplied(hh);
  expect(Object.keys(applied)).toHaveLength(5);
  expect(applied).toEqual(once(applied));
  for (const { e } of await entries(hh)) expect(e.status, `${e.write.kind} ${e.id}`).toBe('delivered');
  expect(hh.sim.heldWrites).toBe(0);
}

describe('a write LGD applies after the client gave up (hung write)', () => {
  it('is looked for once LGD has had time to finish it, found, and not sent again', async () => {
    const hh = await harness();
    await queueWrites(hh);
    await firstPassWith(hh, { lateApplyRate: 1, lateApplyMs: LATE_MS });
    // Every ticket's first write hung: LGD is working on three of them, none applied yet.
    expect(hh.sim.stats.faults.lateApply).toBe(3);
    expect(hh.sim.heldWrites).toBe(3);
    const open = (await entries(hh)).filter(({ e }) => e.status === 'unknown');
    expect(open).toHaveLength(3);

    await run(hh, SETTLE_MS + 60_000);
    await expectEachDeliveredOnce(hh);
    // The three hung writes landed late and were found; only the ownership and resolve behind one were sent after them.
    expect(hh.sim.stats.writesApplied).toBe(5);
  });
});

describe('a write whose answer is lost but LGD never got it', () => {
  it('is sent again once, after the settle time and a look that does not find it', async () => {
    const hh = await harness();
    await queueWrites(hh);
    await firstPassWith(hh, { timeoutRate: 1, hangMs: 400 });
    expect(hh.sim.stats.faults.timeout).toBeGreaterThanOrEqual(3);

    // Not before the settle time: LGD could still be working on it.
    await run(hh, SETTLE_MS - 5_000);
    expect(hh.sim.stats.writesApplied).toBe(0);
    await run(hh, 65_000);
    await expectEachDeliveredOnce(hh);
    expect(hh.sim.stats.writesApplied).toBe(5);
  });
});

describe('a proxy\'s 502 / 504 to a write', () => {
  it('after LGD applied it: the write is found, not sent again', async () => {
    const hh = await harness();
    await queueWrites(hh);
    await firstPassWith(hh, { applyThenGatewayErrorRate: 1, seed: 3 });
    expect(hh.sim.stats.faults.applyThenGatewayError).toBe(3);
    await run(hh, SETTLE_MS + 30_000);
    await expectEachDeliveredOnce(hh);
    expect(hh.sim.stats.writesApplied).toBe(5);
  });

  it('while LGD is still working on it (the proxy gave up first): not sent again while LGD works, found once it landed', async () => {
    const hh = await harness();
    await queueWrites(hh);
    await firstPassWith(hh, { gatewayTimeoutWhileWorkingRate: 1, lateApplyMs: LATE_MS });
    // A 504 at once for each ticket's first write; LGD goes on with all three.
    expect(hh.sim.stats.faults.gatewayTimeoutWhileWorking).toBe(3);
    expect(hh.sim.heldWrites).toBe(3);
    expect((await entries(hh)).filter(({ e }) => e.status === 'unknown')).toHaveLength(3);
    // Past the time LGD takes, but within the settle time: the outbox asks LGD nothing meanwhile.
    const asked = hh.sim.stats.requests;
    await run(hh, LATE_MS + 5_000);
    expect(hh.sim.stats.requests).toBe(asked);
    await run(hh, SETTLE_MS);
    await expectEachDeliveredOnce(hh);
    expect(hh.sim.stats.writesApplied).toBe(5);
  });

  it('before LGD got it: the write is sent again once, after the settle time', async () => {
    const hh = await harness();
    await queueWrites(hh);
    await firstPassWith(hh, { gatewayErrorRate: 1, seed: 3 });
    expect(hh.sim.stats.faults.gatewayError).toBeGreaterThanOrEqual(3);
    await run(hh, SETTLE_MS + 30_000);
    await expectEachDeliveredOnce(hh);
    expect(hh.sim.stats.writesApplied).toBe(5);
  });
});

describe('an answer that says LGD did not take the write (500, 503)', () => {
  it('is sent again after the usual backoff, without waiting the settle time', async () => {
    const hh = await harness();
    await queueWrites(hh);
    await firstPassWith(hh, { errorRate: 1 });
    expect(hh.sim.stats.faults.error).toBeGreaterThanOrEqual(3);
    expect((await entries(hh)).filter(({ e }) => e.status === 'pending' && e.attempts === 1)).toHaveLength(3);
    await run(hh, 30_000);
    await expectEachDeliveredOnce(hh);
  });
});

describe('a write a deliverer sent and then stopped waiting for', () => {
  /** Queues an approval and sends it as a deliverer would, claim and all, while LGD takes `lateMs` over it; the deliverer then stops waiting. */
  async function sentAndAbandoned(hh: SyncHarness, lateMs: number): Promise<string> {
    seedTeam(hh.sim.state, 1);
    await hh.sync.syncOnce();
    const key = (await hh.tickets.list({ limit: 1 }))[0]!._id;
    expect((await hh.commands.run(key, ann, approve)).ok).toBe(true);
    const claimed = await hh.tickets.mutate(key, (t, now) => ({
      ...t,
      outbox: t.outbox.map((e) => ({ ...e, status: 'in_flight' as const, claimedUntil: new Date(now.getTime() + 60_000), attempts: 1, firstSentAt: now })),
    }));
    const entry = claimed!.after.outbox[0]!;
    if (entry.write.kind !== 'note') throw new Error('an approval is a note');
    hh.sim.setFaults({ lateApplyRate: 1, lateApplyMs: lateMs });
    await expect(hh.lgd.addNote(key, { text: entry.write.text, onBehalfOf: ann.name, ref: outboxRef(entry.id) })).rejects.toThrow(/no answer within 200 ms/);
    hh.sim.setFaults({});
    expect(hh.sim.heldWrites).toBe(1);
    return key;
  }

  const approvals = (hh: SyncHarness, key: string) => hh.sim.state.notesOf(key).filter((n) => n.text.startsWith('Approved'));

  it('killed: its claim, freed at the next start, waits out the settle time from when it was sent, and the write is found', async () => {
    const hh = await harness();
    const key = await sentAndAbandoned(hh, LATE_MS);
    hh.clock.advance(5_000);
    expect(await hh.deliverer.releaseAbandonedClaims()).toBe(1);
    const freed = (await hh.tickets.get(key))!.outbox[0]!;
    expect(freed.status).toBe('unknown');
    await run(hh, SETTLE_MS + 10_000);
    await hh.sync.syncOnce();
    expect(approvals(hh, key)).toHaveLength(1);
    expect((await hh.tickets.get(key))!.outbox[0]!.status).toBe('delivered');
  });

  it('hung past its claim: the claim running out is not taken for "not applied" before the settle time', async () => {
    const hh = await harness();
    // LGD finishes it after the one-minute claim ran out, within the settle time.
    const key = await sentAndAbandoned(hh, 75_000);
    await run(hh, SETTLE_MS + 10_000);
    await hh.sync.syncOnce();
    expect(approvals(hh, key)).toHaveLength(1);
    expect((await hh.tickets.get(key))!.outbox[0]!.status).toBe('delivered');
  });
});
