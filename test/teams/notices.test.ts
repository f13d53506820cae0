/**
 * Nothing a user did is lost silently: "LGD refused your change" survives a failed event handler
 * and a failed send, and a person Teams cannot reach is recorded, not retried forever. Through the
 * real app: LGD simulator, recording connector, embedded store.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SimIncident } from '../../bot/lgd/simulator/sim-state.js';
import type { PersonNotice } from '../../bot/store/notice-repository.js';
import { startTeamsWorld, until, type TeamsWorld } from '../support/teams-world.js';
import { cardAction, postActivity, testUser, type TestUser } from '../support/teams-activities.js';

const ann = testUser(51, 'Ann Lead', 'ann.lead@lgd.example');
const dev1 = testUser(52, 'Dev One', 'dev.one@lgd.example');
const dev2 = testUser(53, 'Dev Two', 'dev.two@lgd.example');

let w: TeamsWorld;
const inc: Record<string, SimIncident> = {};

async function act(user: TestUser, verb: string, k: string): Promise<void> {
  const t = (await w.app.tickets.get(inc[k]!.key))!;
  const res = await postActivity(w.app.url, cardAction(w.connector.url, user, verb, { ticketKey: t._id, v: t.version }));
  expect(res.status).toBe(200);
}
const toldOfRefusal = (from: number) =>
  w.connector.calls.slice(from).filter((c) => c.method === 'POST' && c.status < 300 && /\/activities$/.test(c.path) && JSON.stringify(c.body).includes('LGD refused your change'));
const notice = (id: string) => w.app.store.collection<PersonNotice>('person_notices').findOne({ _id: id });

/** Takes ticket `k` as dev2 after LGD resolved it, so LGD refuses the assignment at the next delivery. */
async function refusedTake(k: string): Promise<string> {
  await act(ann, 'approve', k);
  await w.app.worker.tick();
  await act(dev2, 'takeOwnership', k);
  // The owner's copy goes out from the worker's Teams pass (not its delivery to LGD, which would
  // take the assignment before LGD refuses it): let it, so the failures below meet only what they test.
  await w.app.repos.journal.drain();
  await w.app.teams.processor.processNew();
  await until(async () => !!(await w.app.store.collection<{ _id: string }>('cards').findOne({ ticketKey: inc[k]!.key, kind: 'owner', activityId: { $ne: '' } })), "the owner's copy");
  const cat = [...w.sim.state.resolutionCategories.values()][0]!;
  w.sim.state.resolve(inc[k]!.key, { categoryKey: cat.guid, status: 'Resolved' });
  return (await w.app.tickets.get(inc[k]!.key))!.outbox.find((e) => e.write.kind === 'assign')!.id;
}

beforeAll(async () => {
  w = await startTeamsWorld({
    users: [ann, dev1, dev2],
    analysts: [ann, dev1, dev2],
    leads: [ann.email],
    seed: (sim, team) => {
      for (const k of ['A', 'B']) inc[k] = sim.state.raiseIncident({ title: `Ticket ${k}`, description: '', groupKey: team.guid, status: 'Active', raiseUser: 'Pat User' });
    },
  });
  await w.install(ann);
});
afterAll(async () => {
  await w?.close();
});

describe('telling people what LGD refused', () => {
  it('keeps an event whose handler failed and acts on it next pass; marks the refusal told', async () => {
    const entryId = await refusedTake('A');
    const from = w.connector.calls.length;
    const enqueue = vi.spyOn(w.app.teams.ports.notices, 'enqueue').mockRejectedValueOnce(new Error('the store refused the write'));
    await w.app.worker.tick(); // LGD refuses; acting on the event fails
    expect(enqueue).toHaveBeenCalledTimes(1);
    expect(toldOfRefusal(from)).toHaveLength(0);
    const cursor = await w.app.store.collection<{ _id: string; seq: number; failing?: { attempts: number } }>('event_cursors').findOne({ _id: 'teams' });
    expect(cursor?.failing?.attempts).toBe(1);

    await w.app.worker.tick(); // the same event again: queued and sent
    enqueue.mockRestore();
    expect(toldOfRefusal(from)).toHaveLength(1);
    expect(toldOfRefusal(from)[0]!.path).toContain('/v3/conversations/');
    const entry = (await w.app.tickets.get(inc.A!.key))!.outbox.find((e) => e.id === entryId)!;
    expect(entry).toMatchObject({ status: 'refused', refusalNotified: true });
    expect(await notice(`refusal:${entryId}`)).toMatchObject({ status: 'sent', to: { name: 'Dev Two' } });

    await w.app.worker.tick();
    expect(toldOfRefusal(from)).toHaveLength(1);
  });

  it('retries a send Teams failed, with backoff, until it goes', async () => {
    const entryId = await refusedTake('B');
    const from = w.connector.calls.length;
    w.connector.failNext(1, { status: 500, match: (m, p) => m === 'POST' && /\/activities$/.test(p) });
    await w.app.worker.tick();
    expect(toldOfRefusal(from)).toHaveLength(0);
    const pending = (await notice(`refusal:${entryId}`))!;
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringMatching(/500/) });
    expect(pending.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());

    await w.app.teams.ports.notices.deliverDue(new Date(Date.now() + 60_000));
    expect(toldOfRefusal(from)).toHaveLength(1);
    expect(await notice(`refusal:${entryId}`)).toMatchObject({ status: 'sent', attempts: 2 });
    expect((await w.app.tickets.get(inc.B!.key))!.outbox.find((e) => e.id === entryId)).toMatchObject({ refusalNotified: true });
  });
});

describe('a person Teams cannot reach', () => {
  it('is recorded in the audit trail, told about by someone else when there is a fallback, and not retried', async () => {
    const to = { name: 'Dev One', aadObjectId: dev1.aadObjectId, teamsUserId: dev1.id };
    await w.app.teams.ports.notices.enqueue({
      _id: 'test:blocked',
      to,
      about: 'a test notice',
      message: { title: 'Hello Dev One', text: 'Something for you', kind: 'info' },
      fallback: { id: 'test:blocked:fallback', to: { name: 'Ann Lead', aadObjectId: ann.aadObjectId, teamsUserId: ann.id }, about: 'passing it on', message: { title: 'Please tell Dev One', text: 'They cannot be reached', kind: 'warning' } },
    });
    const from = w.connector.calls.length;
    w.connector.failNext(1, { status: 403, code: 'MessageWritesBlocked', match: (m, p) => m === 'POST' && /\/activities$/.test(p) });
    const first = await w.app.teams.ports.notices.deliverDue();
    expect(first.unreachable).toEqual(['test:blocked']);
    expect(await notice('test:blocked')).toMatchObject({ status: 'unreachable', attempts: 1 });
    const audit = (await w.app.repos.audit.list({ limit: 20 })).find((e) => e.action === 'notify');
    expect(audit).toMatchObject({ outcome: 'unreachable', actor: { name: 'Dev One' }, detail: expect.stringMatching(/a test notice: not reachable in Teams.*Ann Lead is told instead/) });

    const second = await w.app.teams.ports.notices.deliverDue(new Date(Date.now() + 3_600_000));
    expect(second, JSON.stringify(second)).toEqual({ sent: ['test:blocked:fallback'], retrying: [], unreachable: [] });
    const posts = w.connector.calls.slice(from).filter((c) => c.method === 'POST' && /\/activities$/.test(c.path));
    expect(posts.map((c) => JSON.stringify(c.body).includes('Please tell Dev One'))).toEqual([false, true]);
    expect((await w.app.teams.ports.notices.deliverDue(new Date(Date.now() + 86_400_000))).sent).toEqual([]);
  });
});
