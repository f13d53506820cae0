/**
 * The Take ownership storm: 200 people click Take ownership on one approved ticket, in waves that
 * land before the first assignment is delivered, while a sync pass is reading LGD, while the
 * assignment is in flight to LGD (held at a gate), after LGD confirmed it but before the app read
 * it back, and after the next sync. Exactly one click wins; the other 199 get a clear card answer
 * naming the owner; the store and LGD agree on the one owner, and LGD received one assignment.
 * Driven through the real app (/api/messages, the worker's ticks) against the project's simulator
 * and, separately, against the minimal LGD written from the API document alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minimalRig, simulatorRig, type OwnerRig, type OwnerRigSpec } from '../support/owner-rigs.js';
import { cardAction, postActivity, testUser, type TestUser } from '../support/teams-activities.js';

const CLICKERS = 200;
const ann = testUser(1, 'Ann Lead', 'ann.lead@lgd.example');
const devs: TestUser[] = Array.from({ length: CLICKERS }, (_, i) => testUser(100 + i, `Dev ${String(i + 1).padStart(3, '0')}`, `dev.${i + 1}@lgd.example`));
const people = [ann, ...devs];

type Rig = Omit<OwnerRig, 'keys' | 'personAssignments' | 'lgdOwner'> & {
  key: string;
  /** Assignments to a person LGD applied to the ticket: analyst keys, in order. */
  personAssignments(): string[];
  /** The person LGD has on the ticket now. */
  lgdOwner(): string | null;
};

/** A rig with the one ticket everybody clicks. */
const oneTicket =
  (start: (spec: OwnerRigSpec) => Promise<OwnerRig>) =>
  async (): Promise<Rig> => {
    const rig = await start({ people, titles: ['Printer on fire'] });
    const key = rig.keys[0]!;
    return { ...rig, key, personAssignments: () => rig.personAssignments(key), lgdOwner: () => rig.lgdOwner(key) };
  };

/** What one click got back: the card's text, or what went wrong. */
interface Answer {
  who: TestUser;
  wave: string;
  status: number;
  text: string;
}

describe.each([
  ['the simulator', oneTicket(simulatorRig)],
  ['the minimal LGD', oneTicket(minimalRig)],
])('200 people click Take ownership on one ticket, against %s', (_name, start) => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await start();
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
  });

  it('makes one owner in the store and in LGD, one LGD assignment, and 199 clear answers', async () => {
    const { app } = rig;
    const ticket = async () => (await app.tickets.get(rig.key))!;
    const click = async (who: TestUser, wave: string, data: unknown): Promise<Answer> => {
      const res = await postActivity(app.url, cardAction(rig.connector.url, who, 'takeOwnership', data));
      const body = res.body as { type?: string; value?: unknown } | null;
      return { who, wave, status: res.status, text: body?.type === 'application/vnd.microsoft.card.adaptive' ? JSON.stringify(body.value) : `not a card: ${JSON.stringify(body)}` };
    };
    const approved = await postActivity(app.url, cardAction(rig.connector.url, ann, 'approve', { ticketKey: rig.key, v: (await ticket()).version }));
    expect(JSON.stringify(approved.body)).toMatch(/Approved/);
    await app.worker.tick();
    expect(await ticket()).toMatchObject({ state: 'approved_unassigned' });
    // Every card anyone holds shows the approved ticket at this version: nobody has seen an owner yet.
    const stale = { ticketKey: rig.key, v: (await ticket()).version };

    const queue = [...devs]; // everyone clicks once, in this order
    const take = (n: number, wave: string) => queue.splice(0, n).map((d) => click(d, wave, stale));
    const answers: Promise<Answer>[] = [];

    // Wave 1: 40 at once on the approved ticket; nothing delivered yet.
    answers.push(...take(40, 'before delivery'));
    await Promise.all(answers);
    expect((await ticket()).state).toBe('owned');

    // Wave 2: while a sync pass is reading LGD (the assignment is still queued).
    const syncRead = rig.gate.hold((r) => r.method === 'GET');
    const assignment = rig.gate.hold((r) => r.method === 'POST' && r.form.parent_function_name === 'AddAssignment' && r.form.parent_key === rig.key);
    const ticking = app.worker.tick({ forceSync: true });
    await syncRead.arrived;
    const wave2 = take(40, 'during a sync');
    answers.push(...wave2);
    await Promise.all(wave2);
    syncRead.release();

    // Wave 3: while the assignment is in flight to LGD.
    await assignment.arrived;
    expect((await ticket()).outbox.at(-1)!.status).toBe('in_flight');
    const wave3 = take(40, 'during delivery');
    answers.push(...wave3);
    await Promise.all(wave3);
    assignment.release();
    await ticking;

    // Wave 4: LGD confirmed the write; the app has not read the ticket back yet.
    const delivered = await ticket();
    expect(delivered.outbox.at(-1)).toMatchObject({ status: 'delivered', write: { kind: 'assign' } });
    answers.push(...take(40, 'after delivery'));
    await Promise.all(answers);

    // Wave 5: during and after the next sync, which reads the assignment back.
    const syncRead2 = rig.gate.hold((r) => r.method === 'GET');
    const ticking2 = app.worker.tick({ forceSync: true });
    await syncRead2.arrived;
    const wave5 = take(20, 'during the next sync');
    answers.push(...wave5);
    await Promise.all(wave5);
    syncRead2.release();
    await ticking2;
    answers.push(...take(queue.length, 'after the next sync'));
    const all = await Promise.all(answers);
    await app.worker.tick();

    expect(all).toHaveLength(CLICKERS);
    const bad = all.filter((a) => a.status !== 200 || a.text.startsWith('not a card'));
    expect(bad.map((a) => `${a.wave} ${a.who.email}: ${a.status} ${a.text.slice(0, 200)}`)).toEqual([]);
    const winners = all.filter((a) => /You own LGD/.test(a.text));
    expect(winners.map((a) => a.who.email)).toHaveLength(1);
    const winner = winners[0]!;
    expect(winner.wave).toBe('before delivery');
    const losers = all.filter((a) => a !== winner);
    const clear = new RegExp(`already owned by ${winner.who.name}\\..*Nothing was changed`);
    expect(losers.filter((a) => !clear.test(a.text)).map((a) => `${a.wave} ${a.who.email}: ${a.text.slice(0, 300)}`)).toEqual([]);
    expect(losers).toHaveLength(CLICKERS - 1);

    const finalTicket = await ticket();
    expect(finalTicket).toMatchObject({ state: 'owned', owner: { title: winner.who.name } });
    expect(finalTicket.outbox.filter((e) => e.write.kind === 'assign')).toHaveLength(1);
    expect(finalTicket.outbox.every((e) => e.status === 'delivered')).toBe(true);
    const winnerKey = rig.analystKeyOf(winner.who.email);
    expect(rig.personAssignments()).toEqual([winnerKey]);
    expect(rig.lgdOwner()?.toLowerCase()).toBe(winnerKey.toLowerCase());
    expect(finalTicket.lgd.userKey?.toLowerCase()).toBe(winnerKey.toLowerCase());
  }, 120_000);
});
