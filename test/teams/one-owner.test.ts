/**
 * One owner, across the whole life of a write: a second developer clicking Take ownership on a
 * card that has not refreshed yet is refused before the first assignment is delivered, while it is
 * in flight, after LGD confirmed it (even when the re-read after the write fails), and after the
 * next sync; in the end LGD holds exactly one assignment. The same for Resolve. Driven through the
 * real app (/api/messages, worker ticks) against the project's simulator and, separately, against
 * the minimal LGD written from the API document alone, with a gate between app and LGD that holds
 * a write in flight or fails LGD's reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minimalRig, simulatorRig, type OwnerRig, type OwnerRigSpec } from '../support/owner-rigs.js';
import { cardAction, postActivity, testUser, type TestUser } from '../support/teams-activities.js';

const ann = testUser(21, 'Ann Lead', 'ann.lead@lgd.example');
const dev1 = testUser(22, 'Dev One', 'dev.one@lgd.example');
const dev2 = testUser(23, 'Dev Two', 'dev.two@lgd.example');
const people = [ann, dev1, dev2];
const LABELS = ['before', 'during', 'after', 'resolve'] as const;
type Label = (typeof LABELS)[number];

type Rig = Omit<OwnerRig, 'keys'> & { keys: Record<Label, string> };

/** A rig with one ticket per label. */
const labelled =
  (start: (spec: OwnerRigSpec) => Promise<OwnerRig>) =>
  async (): Promise<Rig> => {
    const rig = await start({ people, titles: LABELS.map((l) => `Ticket ${l}`) });
    return { ...rig, keys: Object.fromEntries(LABELS.map((l, i) => [l, rig.keys[i]!])) as Record<Label, string> };
  };

describe.each([
  ['the simulator', labelled(simulatorRig)],
  ['the minimal LGD', labelled(minimalRig)],
])('one owner and one resolve, against %s', (_name, start) => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await start();
  });
  afterAll(async () => {
    await rig?.close();
  });

  const textOf = async (user: TestUser, verb: string, data: unknown): Promise<string> => {
    const res = await postActivity(rig.app.url, cardAction(rig.connector.url, user, verb, data));
    expect(res.status).toBe(200);
    const body = res.body as { type: string; value: unknown };
    expect(body.type, JSON.stringify(body)).toBe('application/vnd.microsoft.card.adaptive');
    return JSON.stringify(body.value);
  };
  const ticket = async (l: Label) => (await rig.app.tickets.get(rig.keys[l]))!;
  const cardData = async (l: Label) => ({ ticketKey: rig.keys[l], v: (await ticket(l)).version });
  const approveAndDeliver = async (l: Label): Promise<void> => {
    expect(await textOf(ann, 'approve', await cardData(l))).toMatch(/Approved/);
    await rig.app.worker.tick();
    expect((await ticket(l)).outbox.every((e) => e.status === 'delivered')).toBe(true);
  };
  const tryToTake = async (l: Label, stale: unknown): Promise<void> => {
    expect(await textOf(dev2, 'takeOwnership', stale)).toMatch(/already owned by Dev One/);
  };
  const onlyDevOne = (l: Label): void => {
    expect(rig.personAssignments(rig.keys[l])).toEqual([rig.analystKeyOf(dev1.email)]);
  };

  it('before delivery: the second take is refused and LGD gets one assignment', async () => {
    await approveAndDeliver('before');
    const stale = await cardData('before');
    expect(await textOf(dev1, 'takeOwnership', stale)).toMatch(/You own LGD/);
    await tryToTake('before', stale);
    await rig.app.worker.tick();
    await tryToTake('before', stale);
    await rig.app.worker.tick({ forceSync: true });
    await tryToTake('before', stale);
    await rig.app.worker.tick();
    onlyDevOne('before');
  });

  it('while the assignment is in flight: refused, one assignment', async () => {
    await approveAndDeliver('during');
    const stale = await cardData('during');
    expect(await textOf(dev1, 'takeOwnership', stale)).toMatch(/You own LGD/);
    const held = rig.gate.hold((r) => r.method === 'POST' && r.form.parent_function_name === 'AddAssignment' && r.form.parent_key === rig.keys.during);
    const ticking = rig.app.worker.tick();
    await held.arrived;
    expect((await ticket('during')).outbox.at(-1)!.status).toBe('in_flight');
    await tryToTake('during', stale);
    held.release();
    await ticking;
    expect((await ticket('during')).outbox.at(-1)!.status).toBe('delivered');
    await tryToTake('during', stale);
    await rig.app.worker.tick();
    onlyDevOne('during');
  });

  it('after LGD confirmed it but the re-read failed, and after the next sync: refused, one assignment', async () => {
    await approveAndDeliver('after');
    const stale = await cardData('after');
    expect(await textOf(dev1, 'takeOwnership', stale)).toMatch(/You own LGD/);
    rig.gate.failReads(true);
    try {
      await rig.app.worker.tick();
    } finally {
      rig.gate.failReads(false);
    }
    const delivered = await ticket('after');
    expect(delivered.outbox.at(-1)!.status).toBe('delivered');
    expect(delivered.outbox.at(-1)!.settledAt ?? null).toBeNull();
    // The stored view of LGD still has nobody on the ticket; the confirmed write keeps counting.
    expect(delivered.lgd.userKey).toBeNull();
    expect(delivered).toMatchObject({ state: 'owned', owner: { title: 'Dev One' } });
    const api = (await (await fetch(`${rig.app.url}/api/tickets?pageSize=200`)).json()) as { items: { key: string; queuedForLgd: number; owner: string }[] };
    expect(api.items.find((t) => t.key === rig.keys.after)).toMatchObject({ queuedForLgd: 0, owner: 'Dev One' });
    await tryToTake('after', stale);
    await rig.app.worker.tick();
    onlyDevOne('after');

    await rig.app.worker.tick({ forceSync: true });
    const synced = await ticket('after');
    expect(synced.outbox.at(-1)!.settledAt).toBeInstanceOf(Date);
    expect(synced.lgd.userKey?.toLowerCase()).toBe(rig.analystKeyOf(dev1.email).toLowerCase());
    expect(synced).toMatchObject({ state: 'owned', owner: { title: 'Dev One' } });
    await tryToTake('after', stale);
    await rig.app.worker.tick();
    onlyDevOne('after');
  });

  it('Resolve after delivery: a second resolve and a reassign are refused while it settles; LGD resolves once', async () => {
    await approveAndDeliver('resolve');
    expect(await textOf(dev1, 'takeOwnership', await cardData('resolve'))).toMatch(/You (now )?own/);
    await rig.app.worker.tick();
    const stale = await cardData('resolve');
    expect(await textOf(dev1, 'resolve', { ...stale, category: rig.categoryKey, description: 'Rebuilt the query' })).toMatch(/Resolved as/);
    rig.gate.failReads(true);
    try {
      await rig.app.worker.tick();
    } finally {
      rig.gate.failReads(false);
    }
    const t = await ticket('resolve');
    expect(t.outbox.at(-1)).toMatchObject({ status: 'delivered', write: { kind: 'resolve' } });
    expect(t.lgd.status).toBe('Active');
    expect(t.state).toBe('resolved');
    expect(await textOf(dev1, 'resolve', { ...stale, category: rig.categoryKey, description: 'Rebuilt the query again' })).toMatch(/cannot be resolved now/);
    expect(await textOf(ann, 'reassign', { ...stale, target: `group:${rig.otherGroupKey}`, reason: 'Belongs to the desk' })).toMatch(/cannot be reassigned now/);
    await rig.app.worker.tick({ forceSync: true });
    expect((await ticket('resolve')).state).toBe('resolved');
    expect(rig.resolutions(rig.keys.resolve)).toBe(1);
    onlyDevOne('resolve');
  });
});
