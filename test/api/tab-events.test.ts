/**
 * `GET /api/events` against the real app: `hello` first with the queue's etag, then a `ticket`
 * event for a change made in LGD (seen by the sync) or in Teams (a card button), found in the
 * store rather than in the process that made it; a fifth stream of one person closes their oldest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimIncident } from '../../bot/lgd/simulator/sim-state.js';
import type { HelloEvent, QueueResponse, TicketEvent } from '../../tab/src/api/contract.js';
import { cardAction, postActivity, testUser } from '../support/teams-activities.js';
import { startTeamsWorld, until, type TeamsWorld } from '../support/teams-world.js';
import { SseParser } from '../../tab/src/logic/sse-parser.js';

const ann = testUser(31, 'Ann Lead', 'ann.lead@lgd.example');
const dev1 = testUser(32, 'Dev One', 'dev.one@lgd.example');

let w: TeamsWorld;
const inc: Record<string, SimIncident> = {};

beforeAll(async () => {
  w = await startTeamsWorld({
    users: [ann, dev1],
    analysts: [ann, dev1],
    leads: [ann.email],
    seed: (sim, team) => {
      for (const k of ['A', 'B']) inc[k] = sim.state.raiseIncident({ title: `Live ticket ${k}`, description: k, groupKey: team.guid, status: 'Active', raiseUser: 'Pat User' });
    },
  });
  await w.install(ann);
}, 60_000);
afterAll(async () => {
  await w?.close();
});

/** An open event stream: the events so far, and whether the server ended it. */
interface Listening {
  events: { event: string; data: unknown }[];
  ended: boolean;
  stop(): void;
}

async function listen(email: string): Promise<Listening> {
  const ctrl = new AbortController();
  const res = await fetch(`${w.app.url}/api/events`, { headers: { 'x-demo-person': email, accept: 'text/event-stream' }, signal: ctrl.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const out: Listening = { events: [], ended: false, stop: () => ctrl.abort() };
  const parser = new SseParser();
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const ev of parser.push(value)) out.events.push({ event: ev.event, data: JSON.parse(ev.data) as unknown });
      }
    } catch {
      // aborted by the test
    }
    out.ended = true;
  })();
  return out;
}

const ticketEvents = (l: Listening, key: string): TicketEvent[] => l.events.filter((e) => e.event === 'ticket' && (e.data as TicketEvent).key === key).map((e) => e.data as TicketEvent);

describe('GET /api/events', () => {
  it('says hello first with the queue’s etag', async () => {
    const l = await listen(dev1.email);
    await until(() => l.events.length > 0, 'hello');
    expect(l.events[0]!.event).toBe('hello');
    const queue = (await (await fetch(`${w.app.url}/api/queue`, { headers: { 'x-demo-person': dev1.email } })).json()) as QueueResponse;
    expect((l.events[0]!.data as HelloEvent).queueEtag).toBe(queue.etag);
    l.stop();
  });

  it('announces a decision typed into LGD, and an approval made on the card in Teams, without a reload', async () => {
    const l = await listen(dev1.email);
    await until(() => l.events.length > 0, 'hello');
    await new Promise((r) => setTimeout(r, 2_500)); // the feed's first look at the store

    w.sim.state.addNote(inc.A!.key, { text: 'Approved: a real fault', by: 'Ann Lead' });
    await w.sync();
    await until(() => ticketEvents(l, inc.A!.key).some((e) => e.state === 'approved_unassigned'), 'the ticket event for the LGD decision', 10_000);

    const t = (await w.app.tickets.get(inc.B!.key))!;
    const res = await postActivity(w.app.url, cardAction(w.connector.url, ann, 'approve', { ticketKey: t._id, v: t.version }));
    expect(res.status).toBe(200);
    await until(() => ticketEvents(l, inc.B!.key).some((e) => e.state === 'approved_unassigned'), 'the ticket event for the card approval', 10_000);
    expect(ticketEvents(l, inc.B!.key).at(-1)!.version).toBe((await w.app.tickets.get(inc.B!.key))!.version);
    l.stop();
  });

  it('keeps at most four streams per person: a fifth closes the oldest', async () => {
    const streams: Listening[] = [];
    for (let i = 0; i < 5; i++) {
      streams.push(await listen(ann.email));
      await until(() => streams[i]!.events.length > 0, `hello ${i}`);
    }
    await until(() => streams[0]!.ended, 'the oldest stream closed');
    expect(streams.slice(1).every((s) => !s.ended)).toBe(true);
    for (const s of streams) s.stop();
  });

  it('needs a demo person', async () => {
    expect((await fetch(`${w.app.url}/api/events`)).status).toBe(401);
  });
});
