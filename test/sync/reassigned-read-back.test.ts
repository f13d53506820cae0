/**
 * A ticket reassigned away from the team in Teams leaves the group's listing once LGD has the
 * assignment. When the deliverer's read-back after that write fails (LGD answering the write but
 * not the reads that follow), the next sync must still read the ticket back: otherwise the store
 * keeps LGD's old group forever and the write never settles. Found by the faulty working day
 * (test/resilience/faulty-working-day.test.ts). Real app, LGD simulator behind a gate that fails reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimIncident } from '../../bot/lgd/simulator/sim-state.js';
import { startTeamsWorld, type TeamsWorld } from '../support/teams-world.js';
import { cardAction, postActivity, testUser } from '../support/teams-activities.js';

const ann = testUser(71, 'Ann Lead', 'ann.lead@lgd.example');
let w: TeamsWorld;
let away: SimIncident;
let owned: SimIncident;
let serviceDesk = '';

async function act(verb: string, ticket: SimIncident, extra: Record<string, unknown>): Promise<void> {
  const t = (await w.app.tickets.get(ticket.key))!;
  const res = await postActivity(w.app.url, cardAction(w.connector.url, ann, verb, { ticketKey: t._id, v: t.version, ...extra }));
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  w = await startTeamsWorld({
    users: [ann],
    analysts: [ann],
    leads: [ann.email],
    gate: true,
    seed: (sim, team) => {
      serviceDesk = sim.state.addGroup('Service Desk').guid;
      away = sim.state.raiseIncident({ title: 'Password reset', groupKey: team.guid, status: 'New', raiseUser: 'Pat User' });
      owned = sim.state.raiseIncident({ title: 'Form broken', groupKey: team.guid, status: 'New', raiseUser: 'Pat User' });
    },
  });
  await w.install(ann);
}, 60_000);

afterAll(async () => {
  await w?.close();
});

describe('a reassignment whose read-back failed', () => {
  it('is read back by the next sync: the store holds LGD\'s new group and the write settles', async () => {
    await act('reassign', away, { target: `group:${serviceDesk}`, reason: "Password resets are the Service Desk's" });
    expect((await w.app.tickets.get(away.key))!.state).toBe('reassigned');

    // LGD takes the write but fails every read after it (the deliverer's read-back).
    w.gate!.failReads(true);
    await w.app.worker.tick();
    w.gate!.failReads(false);
    expect(w.sim.state.incident(away.key)!.groupKey).toBe(serviceDesk);
    const before = (await w.app.tickets.get(away.key))!;
    expect(before.outbox.map((e) => e.status)).toEqual(['delivered']);

    await w.sync();
    const after = (await w.app.tickets.get(away.key))!;
    expect(after.lgd.groupKey).toBe(serviceDesk);
    expect(after.lgd.groupTitle).toBe('Service Desk');
    expect(after.state).toBe('reassigned');
    expect(after.outbox[0]!.settledAt).toBeInstanceOf(Date);
  });

  it('once read back, a reassigned ticket is not read again by every pass', async () => {
    await w.sync();
    const requests = w.sim.stats.byEndpoint.list ?? 0;
    const opens = w.sim.stats.byEndpoint.open ?? 0;
    await w.sync();
    // A pass lists the group's changes and notes; the ticket that left is not looked up one by one again.
    expect((w.sim.stats.byEndpoint.open ?? 0) - opens).toBe(0);
    expect((w.sim.stats.byEndpoint.list ?? 0) - requests).toBeLessThanOrEqual(3);
    expect((await w.app.tickets.get(owned.key))!.state).toBe('needs_triage');
  });
});
