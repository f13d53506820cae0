/**
 * Text from LGD and from people reaches the team's channel as text, end to end: through the bot's
 * real /api/messages endpoint, the LGD simulator and the recording connector.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimIncident } from '../../bot/lgd/simulator/sim-state.js';
import { startTeamsWorld, until, type TeamsWorld } from '../support/teams-world.js';
import { cardAction, OPS_CHANNEL, personalMessage, postActivity, testUser, type TestUser } from '../support/teams-activities.js';
import { liveMarkup, renderedTexts, visible } from './cards/inert-text.js';

const ann = testUser(31, 'Ann Lead', 'ann.lead@lgd.example');
const dev1 = testUser(32, 'Dev One', 'dev.one@lgd.example');
const dev2 = testUser(33, 'Dev Two', 'dev.two@lgd.example');
const HOSTILE_TITLE = '[Reset your password](https://evil.example) <at>Ann Lead</at> **now** <script>x</script>';

let w: TeamsWorld;
let hostile: SimIncident;

type Activity = { text?: string; entities?: { text: string; mentioned: { id: string } }[]; attachments?: { content: unknown }[] };

/** Activities the bot posted since call `from`, in conversations whose id contains `where`. */
const postedSince = (from: number, where: string): Activity[] =>
  w.connector.calls
    .slice(from)
    .filter((c) => c.method === 'POST' && /\/activities(\/[^/]+)?$/.test(c.path) && decodeURIComponent(c.path).includes(where))
    .map((c) => c.body as Activity);

async function act(user: TestUser, verb: string): Promise<unknown> {
  const t = (await w.app.tickets.get(hostile.key))!;
  const res = await postActivity(w.app.url, cardAction(w.connector.url, user, verb, { ticketKey: t._id, v: t.version }));
  expect(res.status).toBe(200);
  return (res.body as { value: unknown }).value;
}

async function dm(user: TestUser, text: string): Promise<Activity> {
  const from = w.connector.calls.length;
  await postActivity(w.app.url, personalMessage(w.connector.url, user, text));
  await until(() => postedSince(from, `a:personal-${user.id}`).length > 0, 'the reply');
  return postedSince(from, `a:personal-${user.id}`)[0]!;
}

beforeAll(async () => {
  w = await startTeamsWorld({
    users: [ann, dev1, dev2],
    analysts: [ann, dev1, dev2],
    leads: [ann.email],
    seed: (sim, team) => {
      hostile = sim.state.raiseIncident({ title: HOSTILE_TITLE, description: 'Click [here](https://evil.example) _fast_', groupKey: team.guid, status: 'Active', raiseUser: '<at>Pat</at>' });
      // The same title on a ticket that stays in the queue.
      sim.state.raiseIncident({ title: HOSTILE_TITLE, description: '', groupKey: team.guid, status: 'Active', raiseUser: 'Pat User' });
    },
  });
  await w.install(ann);
});
afterAll(async () => {
  await w?.close();
});

describe('text people type and text from LGD stay text', () => {
  it('echoes an unknown command without a live link', async () => {
    const reply = await dm(dev1, '[click me](https://evil.example)');
    expect(reply.text).toMatch(/^I didn't understand "/);
    expect(liveMarkup(reply.text!)).toEqual([]);
    expect(visible(reply.text!)).toBe('I didn\'t understand "[click me](https://evil.example)".');
  });

  it('sends a Discuss reply that mentions the owner and carries no live link or tag from the title', async () => {
    await act(ann, 'approve');
    await act(dev2, 'takeOwnership');
    const from = w.connector.calls.length;
    await act(dev1, 'discuss');
    await w.app.worker.tick(); // the worker replies in the thread
    const [reply] = postedSince(from, `${OPS_CHANNEL};messageid=`);
    expect(reply?.text).toMatch(/^<at>Dev Two<\/at>, Dev One would like to talk about LGD \d+ \(/);
    expect(reply?.entities).toEqual([expect.objectContaining({ text: '<at>Dev Two</at>', mentioned: expect.objectContaining({ id: dev2.id }) })]);
    const rest = reply!.text!.slice('<at>Dev Two</at>'.length);
    expect(liveMarkup(rest)).toEqual([]);
    expect(visible(rest)).toContain(HOSTILE_TITLE);
  });

  it('shows the title as text in the queue, my tickets and the ticket card', async () => {
    const cards = [
      (await dm(dev2, 'my tickets')).attachments?.[0]?.content,
      (await dm(ann, 'queue')).attachments?.[0]?.content,
      (await dm(dev1, `ticket ${hostile.id}`)).attachments?.[0]?.content,
      await act(dev1, 'refresh'),
    ];
    for (const card of cards) {
      const texts = renderedTexts(card);
      expect(texts.some((t) => visible(t).includes('[Reset your password](https://evil.example)')), JSON.stringify(texts)).toBe(true);
      for (const t of texts) expect(liveMarkup(t), t).toEqual([]);
    }
  });
});
