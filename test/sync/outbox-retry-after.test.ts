/**
 * When LGD answers a write 429 with Retry-After, the outbox waits at least that long before the
 * next attempt instead of its own shorter backoff (which would only meet more 429s). Real app,
 * LGD simulator, controlled clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimIncident } from '../../bot/lgd/simulator/sim-state.js';
import { startTeamsWorld, type TeamsWorld } from '../support/teams-world.js';
import { cardAction, postActivity, testUser } from '../support/teams-activities.js';

const ann = testUser(75, 'Ann Lead', 'ann.lead@lgd.example');
let clock = new Date('2027-06-09T10:00:00+01:00');
let w: TeamsWorld;
let ticket: SimIncident;

beforeAll(async () => {
  w = await startTeamsWorld({
    users: [ann],
    analysts: [ann],
    leads: [ann.email],
    clock: () => clock,
    sim: { now: () => clock },
    seed: (sim, team) => {
      ticket = sim.state.raiseIncident({ title: 'Form broken', groupKey: team.guid, status: 'New', raiseUser: 'Pat User' });
    },
  });
  await w.install(ann);
  await w.app.repos.rota.set('2027-06-09', '2027-06-09', { email: ann.email, name: ann.name }, 'test');
}, 60_000);

afterAll(async () => {
  await w?.close();
});

describe('a write answered 429 with Retry-After', () => {
  it('is tried again no sooner than LGD asked, then lands once', async () => {
    const t = (await w.app.tickets.get(ticket.key))!;
    expect((await postActivity(w.app.url, cardAction(w.connector.url, ann, 'approve', { ticketKey: t._id, v: t.version }))).status).toBe(200);
    w.sim.setFaults({ throttleRate: 1, retryAfterSeconds: 120 });
    await w.app.worker.tick();
    w.sim.setFaults({});
    const entry = (await w.app.tickets.get(ticket.key))!.outbox[0]!;
    expect(entry.status).toBe('pending');
    expect(entry.nextAttemptAt.getTime() - clock.getTime()).toBeGreaterThanOrEqual(120_000);

    clock = new Date(clock.getTime() + 60_000);
    await w.app.worker.tick();
    expect(w.sim.state.notesOf(ticket.key)).toHaveLength(0);
    clock = new Date(clock.getTime() + 61_000);
    await w.app.worker.tick();
    expect(w.sim.state.notesOf(ticket.key).filter((n) => n.text.startsWith('Approved'))).toHaveLength(1);
    expect((await w.app.tickets.get(ticket.key))!.outbox[0]!.status).toBe('delivered');
  });
});
