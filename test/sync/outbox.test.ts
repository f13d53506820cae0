import { afterEach, describe, expect, it } from 'vitest';
import { approve, resolve, takeOwnership, updateUser } from '../../bot/domain/commands.js';
import { outboxRef, type OutboxEntry } from '../../bot/domain/outbox.js';
import { LgdClient } from '../../bot/lgd/client/lgd-client.js';
import { defaultLgdMapping } from '../../bot/lgd/lgd-mapping.js';
import { seedTeam, startSyncHarness, type SyncHarness } from '../support/sync-harness.js';

let h: SyncHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ann = { name: 'Ann Lead', aadObjectId: 'aad-ann' };
const dev = { name: 'Dev One', aadObjectId: 'aad-dev' };

/** Delivers until nothing is owed to LGD, moving the clock past every backoff. */
async function drain(hh: SyncHarness, maxRounds = 400): Promise<number> {
  for (let round = 1; round <= maxRounds; round++) {
    await hh.deliverer.deliverDue();
    const open = await hh.tickets.withOutbox(['pending', 'in_flight', 'unknown']);
    if (open.length === 0) return round;
    hh.clock.advance(11 * 60_000);
  }
  throw new Error('outbox did not drain');
}

async function allEntries(hh: SyncHarness): Promise<{ ticketKey: string; e: OutboxEntry }[]> {
  const ts = await hh.tickets.list({ limit: 1000 });
  return ts.flatMap((t) => t.outbox.map((e) => ({ ticketKey: t._id, e })));
}

describe('outbox', () => {
  it('delivers every write exactly once while LGD fails 30% of requests, applied-then-dropped writes included', async () => {
    h = await startSyncHarness();
    const s = seedTeam(h.sim.state, 24);
    await h.sync.syncOnce();
    const keys = (await h.tickets.list({ limit: 100 })).map((t) => t._id).sort();

    // Triage 16, take 12 of them, update the user on 8, resolve 4: 40 writes.
    for (const k of keys.slice(0, 16)) expect((await h.commands.run(k, ann, approve)).ok).toBe(true);
    for (const k of keys.slice(0, 12)) {
      const r = await h.commands.run(k, dev, (t, ctx) => takeOwnership(t, { key: s.dev.guid, title: 'Dev One' }, ctx));
      expect(r.ok).toBe(true);
    }
    for (const k of keys.slice(0, 8)) expect((await h.commands.run(k, dev, (t, ctx) => updateUser(t, 'Looking at it today.', ctx))).ok).toBe(true);
    const cat = [...h.sim.state.resolutionCategories.values()][0]!;
    for (const k of keys.slice(0, 4)) {
      expect((await h.commands.run(k, dev, (t, ctx) => resolve(t, { categoryKey: cat.guid, description: 'Fixed the form' }, ctx))).ok).toBe(true);
    }
    const queued = await allEntries(h);
    expect(queued.length).toBe(40);

    h.sim.setFaults({ seed: 42, errorRate: 0.1, dropRate: 0.1, applyThenDropRate: 0.1 });
    const rounds = await drain(h);
    h.sim.setFaults({});

    const faults = h.sim.stats.faults as Record<string, number>;
    expect(faults.applyThenDrop ?? 0).toBeGreaterThan(0);
    expect((faults.drop ?? 0) + (faults.error ?? 0)).toBeGreaterThan(0);
    expect(rounds).toBeGreaterThan(1);

    const st = h.sim.state;
    for (const { ticketKey, e } of await allEntries(h)) {
      expect(e.status, `entry ${e.id} (${e.write.kind})`).toBe('delivered');
      // Internal notes and assignments carry the entry's reference; what the customer reads
      // (the message, the resolution) does not: each ticket got one of each, with its text.
      const ref = outboxRef(e.id);
      const hits =
        e.write.kind === 'note'
          ? [...st.notes.values()].filter((n) => n.incidentKey === ticketKey && n.text.includes(ref))
          : e.write.kind === 'end_user_update'
            ? [...st.notes.values()].filter((n) => n.incidentKey === ticketKey && n.text === 'Looking at it today.\n\n— Dev One, LGSS IT Digital')
            : e.write.kind === 'assign'
              ? [...st.assignments.values()].filter((a) => a.incidentKey === ticketKey && a.description.includes(ref))
              : [...st.resolutions.values()].filter((r) => r.incidentKey === ticketKey && r.description === 'Fixed the form\n\n— Dev One, LGSS IT Digital');
      expect(hits.length, `${e.write.kind} ${ref} on ${ticketKey}`).toBe(1);
    }
    // What LGD now holds: 4 resolved, 8 more owned by Dev One, notes say who approved.
    const incidents = keys.map((k) => st.incident(k)!);
    expect(incidents.filter((i) => i.status === 'Resolved').length).toBe(4);
    expect(incidents.filter((i) => i.userKey === s.dev.guid).length).toBe(12);
    const approvals = [...st.notes.values()].filter((n) => n.text.startsWith('Approved — Ann Lead via Teams'));
    expect(approvals.length).toBe(16);
    const updates = [...st.notes.values()].filter((n) => n.notifyRaiseUser);
    expect(updates.length).toBe(8);
  });

  it('marks what LGD refuses, returns the ticket to LGD state and tells the requester', async () => {
    h = await startSyncHarness();
    const s = seedTeam(h.sim.state, 3);
    await h.sync.syncOnce();
    const key = (await h.tickets.list({ limit: 10 }))[0]!._id;
    await h.commands.run(key, ann, approve);
    await drain(h);
    const taken = await h.commands.run(key, dev, (t, ctx) => takeOwnership(t, { key: s.dev.guid, title: 'Dev One' }, ctx));
    expect(taken.ok && taken.ticket.state).toBe('owned');

    // Meanwhile someone resolves it in LGD: the assignment will be refused.
    const cat = [...h.sim.state.resolutionCategories.values()][0]!;
    h.sim.state.resolve(key, { categoryKey: cat.guid, status: 'Resolved' });
    await h.deliverer.deliverDue();

    const t = (await h.tickets.get(key))!;
    const entry = t.outbox.at(-1)!;
    expect(entry.status).toBe('refused');
    expect(entry.refusal).toMatch(/AddAssignment|not available|resolved/i);
    expect(t.state).toBe('resolved');
    expect(t.owner).toBeNull();
    await h.drain();
    const refused = (await h.events.after(0, 1000)).filter((e) => e.kind === 'write_refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ ticketKey: key, requestedBy: { name: 'Dev One', aadObjectId: 'aad-dev' } });
    expect([...h.sim.state.assignments.values()].filter((a) => a.incidentKey === key && a.userKey === s.dev.guid)).toHaveLength(0);
  });

  it('refuses a command that does not fit the ticket and writes nothing', async () => {
    h = await startSyncHarness();
    seedTeam(h.sim.state, 2);
    await h.sync.syncOnce();
    const key = (await h.tickets.list({ limit: 10 }))[0]!._id;
    const r = await h.commands.run(key, dev, (t, ctx) => takeOwnership(t, { key: 'x', title: 'Dev One' }, ctx));
    expect(r).toMatchObject({ ok: false, code: 'WRONG_STATE' });
    const missing = await h.commands.run('no-such-key', ann, approve);
    expect(missing).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect((await h.tickets.get(key))!.outbox).toHaveLength(0);
  });

  it('exactly one of many simultaneous owners wins', async () => {
    h = await startSyncHarness();
    const s = seedTeam(h.sim.state, 1);
    await h.sync.syncOnce();
    const key = (await h.tickets.list({ limit: 10 }))[0]!._id;
    await h.commands.run(key, ann, approve);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        h!.commands.run(key, { name: `Dev ${i}` }, (t, ctx) => takeOwnership(t, { key: s.dev.guid, title: `Dev ${i}` }, ctx)),
      ),
    );
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const losers = results.filter((r) => !r.ok);
    expect(losers.every((r) => !r.ok && r.code === 'ALREADY_OWNED')).toBe(true);
    expect((await h.tickets.get(key))!.outbox.filter((e) => e.write.kind === 'assign')).toHaveLength(1);
  });

  it('dry run logs the writes and makes none', async () => {
    h = await startSyncHarness({ dryRun: true });
    seedTeam(h.sim.state, 2);
    await h.sync.syncOnce();
    const key = (await h.tickets.list({ limit: 10 }))[0]!._id;
    await h.commands.run(key, ann, approve);
    const writesBefore = h.sim.stats.writesApplied;
    const report = await h.deliverer.deliverDue();
    expect(report.dryRun).toBe(1);
    expect(h.sim.stats.writesApplied).toBe(writesBefore);
    expect([...h.sim.state.notes.values()]).toHaveLength(0);
    expect((await h.tickets.get(key))!.outbox[0]!.status).toBe('dry_run');
  });

  describe('a message to the user whose answer was lost', () => {
    /** A client whose first write to LGD loses its answer: after LGD applied it, or before it got there. */
    const losing = (when: 'after' | 'before') => (baseUrl: string) => {
      let lost = false;
      return new LgdClient({
        baseUrl,
        username: 'lgd.service',
        password: 'lgd-simulator',
        mapping: defaultLgdMapping,
        timeoutMs: 3000,
        fetch: async (input, init) => {
          const url = String(input instanceof Request ? input.url : input);
          if (!lost && /save\.rails/i.test(url)) {
            lost = true;
            if (when === 'after') await fetch(input, init);
            throw new TypeError('socket hang up');
          }
          return fetch(input, init);
        },
      });
    };

    async function sendUpdate(hh: SyncHarness): Promise<string> {
      seedTeam(hh.sim.state, 1);
      await hh.sync.syncOnce();
      const key = (await hh.tickets.list({ limit: 1 }))[0]!._id;
      expect((await hh.commands.run(key, dev, (t, ctx) => updateUser(t, 'Looking at it today.\nI will call you at 3.', ctx))).ok).toBe(true);
      await hh.deliverer.deliverDue();
      expect((await hh.tickets.get(key))!.outbox[0]).toMatchObject({ status: 'unknown', firstSentAt: expect.any(Date) });
      await drain(hh);
      return key;
    }

    it('is found in LGD by its text and not repeated', async () => {
      h = await startSyncHarness({ lgd: losing('after') });
      const key = await sendUpdate(h);
      expect(h.sim.state.notesOf(key).map((n) => n.text)).toEqual(['Looking at it today.\nI will call you at 3.\n\n— Dev One, LGSS IT Digital']);
      expect((await h.tickets.get(key))!.outbox[0]!.status).toBe('delivered');
    });

    it('is sent once when it never reached LGD', async () => {
      h = await startSyncHarness({ lgd: losing('before') });
      const key = await sendUpdate(h);
      expect(h.sim.state.notesOf(key).map((n) => n.text)).toEqual(['Looking at it today.\nI will call you at 3.\n\n— Dev One, LGSS IT Digital']);
      expect(h.sim.state.notesOf(key)[0]!.notifyRaiseUser).toBe(true);
    });
  });
});
