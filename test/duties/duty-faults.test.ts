/**
 * The duty cards arrive once each whatever Teams does for a while: 429 with Retry-After, 5xx past
 * the sender's own retries (the notice queue tries again later), and a person who blocked the bot
 * (recorded, not retried; the Operations Lead is told instead). Through the real app with a
 * controlled clock, the LGD simulator and the recording connector.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimIncident } from '../../bot/lgd/simulator/sim-state.js';
import type { PersonNotice } from '../../bot/store/notice-repository.js';
import { startTeamsWorld, type TeamsWorld } from '../support/teams-world.js';
import { personalMessage, postActivity, testUser } from '../support/teams-activities.js';

const ann = testUser(91, 'Ann Lead', 'ann.lead@lgd.example');
const dev1 = testUser(92, 'Dev One', 'dev.one@lgd.example');
const dev2 = testUser(93, 'Dev Two', 'dev.two@lgd.example');
const dev3 = testUser(94, 'Dev Three', 'dev.three@lgd.example');

let clock = new Date('2027-05-24T08:00:00+01:00');
const at = (date: string, time: string): Date => new Date(`${date}T${time}:00+01:00`);
let w: TeamsWorld;
const inc: Record<string, SimIncident> = {};

/** Successful posts of a duty card titled `title` (first line) since the start. */
function delivered(title: string): number {
  return w.connector.calls.filter((c) => {
    if (c.method !== 'POST' || c.status >= 300 || !/\/activities$/.test(c.path)) return false;
    const body = c.body as { attachments?: { content?: { body?: { text?: string }[] } }[] };
    return body.attachments?.[0]?.content?.body?.[0]?.text === title;
  }).length;
}
const activityPosts = (method: string, path: string): boolean => method === 'POST' && /\/activities$/.test(path);
const notices = () => w.app.store.collection<PersonNotice>('person_notices').find({}).toArray();

beforeAll(async () => {
  w = await startTeamsWorld({
    users: [ann, dev1, dev2, dev3],
    analysts: [ann, dev1, dev2, dev3],
    leads: [ann.email],
    clock: () => clock,
    seed: (sim, team) => {
      for (const [k, who] of [['A', 'dev.one'], ['B', 'dev.two'], ['C', 'dev.three']] as const) {
        inc[k] = sim.state.raiseIncident({ title: `Ticket ${k}`, groupKey: team.guid, status: 'Active', raiseUser: 'Pat User', userKey: sim.state.analystByName(who)!.guid });
      }
    },
  });
  await w.install(ann);
  await w.app.repos.rota.set('2027-05-24', '2027-05-28', { email: ann.email, name: ann.name }, 'test');
  // Dev Three has a 1:1 chat with the bot, and will have blocked it by Tuesday.
  expect((await postActivity(w.app.url, personalMessage(w.connector.url, dev3, 'help'))).status).toBe(200);
  clock = at('2027-05-24', '08:30');
  for (const k of Object.keys(inc)) w.sim.state.addNote(inc[k]!.key, { text: 'Approved', by: 'Ann Lead', at: clock });
  await w.sync();
}, 60_000);

afterAll(async () => {
  await w?.close();
});

describe('duty cards under Teams faults', () => {
  it('429 with Retry-After, then 5xx past the sender\'s retries: the next passes deliver every card exactly once', async () => {
    w.connector.failNext(1, { status: 403, code: 'ConversationBlockedByUser', match: (m, p) => activityPosts(m, p) && decodeURIComponent(p).includes(`a:personal-${dev3.id}`) });
    w.connector.failNext(2, { status: 429, retryAfter: 1, match: (m, p) => activityPosts(m, p) && !decodeURIComponent(p).includes(`a:personal-${dev3.id}`) });
    w.connector.failNext(8, { status: 503, retryAfter: 0, match: (m, p) => activityPosts(m, p) && !decodeURIComponent(p).includes(`a:personal-${dev3.id}`) });
    clock = at('2027-05-25', '14:05');
    await w.app.worker.tick();
    // Ten failures: the first card's five attempts and the second's five; neither arrived yet (the
    // lead's message instead of Dev Three's card waits for the next pass).
    expect(delivered('Update your users today')).toBe(0);
    const pending = (await notices()).filter((n) => n.status === 'pending');
    expect(pending.map((n) => n.to.name).sort()).toEqual(['Ann Lead', 'Dev One', 'Dev Two']);
    expect(pending.filter((n) => n.to.name !== 'Ann Lead').every((n) => n.attempts === 1 && /failed after 5 attempt/.test(n.lastError ?? ''))).toBe(true);

    // The notice queue tries again after its backoff; repeated passes send nothing more.
    for (const time of ['14:20', '14:40', '15:00', '15:30']) {
      clock = at('2027-05-25', time);
      await w.app.worker.tick();
    }
    expect(delivered('Update your users today')).toBe(2);
    // Ann Lead's is the message instead of Dev Three's card.
    expect((await notices()).filter((n) => n.status === 'sent' && n._id.includes('update_nudge')).map((n) => n.to.name).sort()).toEqual(['Ann Lead', 'Dev One', 'Dev Two']);
  }, 60_000);

  it('someone who blocked the bot is recorded and not retried; the Operations Lead gets their duty, saying why', async () => {
    const blocked = (await notices()).find((n) => n.to.name === 'Dev Three');
    expect(blocked).toMatchObject({ status: 'unreachable', attempts: 1 });
    const instead = (await notices()).find((n) => n._id === `${blocked!._id}:instead`);
    expect(instead).toMatchObject({ status: 'sent', to: { name: 'Ann Lead' } });
    expect(instead!.message.text).toMatch(/Dev Three cannot be reached in Teams \(they removed the app or blocked it\)/);
    expect(delivered("Dev Three's users are owed an update today")).toBe(1);
    const audit = await w.app.repos.audit.list({ limit: 50 });
    expect(audit.some((a) => a.outcome === 'unreachable' && a.actor.name === 'Dev Three')).toBe(true);
  });
});
