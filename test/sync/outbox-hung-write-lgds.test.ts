/**
 * A write that reaches LGD only after the app gave up on it (held at a gate in front of LGD, then
 * let through: to the app, LGD applied it late) is in LGD once: the app looks for it once the settle
 * time has passed and finds it, instead of sending it again after its first short backoff. Through
 * the real app (card action, worker ticks, LGD_TIMEOUT_MS 300, LGD_WRITE_SETTLE_SECONDS 4) on the
 * real clock, against the project's simulator and against the minimal LGD written from the API
 * document alone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { minimalRig, simulatorRig, type OwnerRig, type OwnerRigSpec } from '../support/owner-rigs.js';
import { cardAction, postActivity, testUser } from '../support/teams-activities.js';

const ann = testUser(41, 'Ann Lead', 'ann.lead@lgd.example');
const dev1 = testUser(42, 'Dev One', 'dev.one@lgd.example');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let rig: OwnerRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe.each([
  ['the simulator', simulatorRig],
  ['the minimal LGD', minimalRig],
])('a write LGD gets only after the app gave up on it, against %s', (_name, start: (spec: OwnerRigSpec) => Promise<OwnerRig>) => {
  it('is looked for once the settle time has passed, found, and in LGD once', { timeout: 30_000 }, async () => {
    const r = (rig = await start({ people: [ann, dev1], titles: ['Hung write'], env: { LGD_TIMEOUT_MS: '300', LGD_WRITE_SETTLE_SECONDS: '4' } }));
    const key = r.keys[0]!;
    const approvals = () => r.notes(key).filter((t) => t.startsWith('Approved'));
    const held = r.gate.hold((q) => q.method === 'POST' && q.form.parent_function_name === 'AddNote' && q.form.parent_key === key);
    const t = (await r.app.tickets.get(key))!;
    expect((await postActivity(r.app.url, cardAction(r.connector.url, ann, 'approve', { ticketKey: key, v: t.version }))).status).toBe(200);

    const sentAt = Date.now();
    await r.app.worker.tick();
    await held.arrived;
    expect((await r.app.tickets.get(key))!.outbox[0]).toMatchObject({ status: 'unknown', attempts: 1 });

    // LGD gets it 3 s after it was sent: after the outbox's first backoff (about 2 s), before the settle time (4 s).
    let released = false;
    while (Date.now() - sentAt < 9_000) {
      if (!released && Date.now() - sentAt >= 3_000) {
        held.release();
        released = true;
      }
      await r.app.worker.tick();
      if (released && (await r.app.tickets.get(key))!.outbox[0]!.status === 'delivered') break;
      await sleep(200);
    }
    const entry = (await r.app.tickets.get(key))!.outbox[0]!;
    expect(entry.status).toBe('delivered');
    await r.app.worker.tick({ forceSync: true });
    expect(approvals()).toHaveLength(1);
    // One send, one look: the look came only after the settle time.
    expect(entry.attempts).toBe(2);
    expect(entry.finishedAt!.getTime() - sentAt).toBeGreaterThanOrEqual(4_000);
  });
});
