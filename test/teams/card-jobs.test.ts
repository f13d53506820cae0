/**
 * Card work an action leaves to the worker (the Discuss reply in the ops channel's thread): the
 * action answers at once without calling Teams; the worker does the work, retries it with backoff
 * when Teams fails, and does it once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimIncident } from '../../bot/lgd/simulator/sim-state.js';
import { cardAction, OPS_CHANNEL, postActivity, testUser } from '../support/teams-activities.js';
import { startTeamsWorld, type TeamsWorld } from '../support/teams-world.js';

const ann = testUser(41, 'Ann Lead', 'ann.lead@lgd.example');
const dev1 = testUser(42, 'Dev One', 'dev.one@lgd.example');
let w: TeamsWorld;
let inc: SimIncident;

const threadReplies = (from: number) =>
  w.connector.calls.slice(from).filter((c) => c.method === 'POST' && c.status < 300 && decodeURIComponent(c.path).includes(`${OPS_CHANNEL};messageid=`));

beforeAll(async () => {
  w = await startTeamsWorld({
    users: [ann, dev1],
    analysts: [ann, dev1],
    leads: [ann.email],
    seed: (sim, team) => {
      inc = sim.state.raiseIncident({ title: 'Ticket A', description: '', groupKey: team.guid, status: 'Active', raiseUser: 'Pat User' });
    },
  });
  await w.install(ann);
});
afterAll(async () => {
  await w?.close();
});

describe('a Discuss reply', () => {
  it('is sent by the worker, retried with backoff when Teams fails, and sent once', async () => {
    const from = w.connector.calls.length;
    const t = (await w.app.tickets.get(inc.key))!;
    const res = await postActivity(w.app.url, cardAction(w.connector.url, dev1, 'discuss', { ticketKey: t._id, v: t.version }));
    expect(JSON.stringify(res.body)).toMatch(/go to the discussion/);
    expect(w.connector.calls.length).toBe(from);

    w.connector.failNext(1, { status: 500, match: (m, p) => m === 'POST' && decodeURIComponent(p).includes(';messageid=') });
    await w.app.worker.tick();
    expect(threadReplies(from)).toHaveLength(0);
    const job = await w.app.repos.cardJobs.get(`discuss:${inc.key}`);
    expect(job).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringMatching(/500/) });
    expect(job!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());

    await w.app.teams.cardJobs.runDue(new Date(Date.now() + 60_000));
    expect(threadReplies(from)).toHaveLength(1);
    expect(await w.app.repos.cardJobs.get(`discuss:${inc.key}`)).toMatchObject({ status: 'done', attempts: 2 });
    expect(await w.app.repos.cards.opsCardOf(inc.key)).toMatchObject({ discussStartedAt: expect.any(Date) });

    await w.app.teams.cardJobs.runDue(new Date(Date.now() + 3_600_000));
    await w.app.worker.tick();
    expect(threadReplies(from)).toHaveLength(1);
  });
});
