/**
 * The live feed's bounds over real HTTP, with short timers: a keep-alive comment on a quiet stream,
 * a stream ended at its maximum age, no room beyond the process's cap, a ticket event for a
 * version change and for a ticket that left the queue, an `lgd` event when LGD's reachability
 * changes, and no looking at the store once nobody listens.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type { Response } from 'restify';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveFeed, type LiveSource, type TicketMark } from '../../bot/api/live-feed.js';
import type { LgdStatus } from '../../tab/src/api/contract.js';
import type { ProcessState } from '../../bot/domain/process-state.js';
import { until } from '../support/teams-world.js';

let server: Server | undefined;
let feed: LiveFeed | undefined;
afterEach(async () => {
  feed?.closeAll();
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
});

function world(o: { keepAliveMs?: number; maxAgeMs?: number; total?: number }) {
  const marks: TicketMark[] = [{ key: 'k1', version: 1, state: 'needs_triage' }];
  const states = new Map<string, ProcessState>();
  let lgd: LgdStatus = { state: 'ok', since: null, message: null };
  let looks = 0;
  const source: LiveSource = {
    tickets: () => {
      looks++;
      return Promise.resolve(marks.map((m) => ({ ...m })));
    },
    stateOf: (key) => Promise.resolve(states.get(key) ?? null),
    lgd: () => Promise.resolve(lgd),
  };
  feed = new LiveFeed({ source, logger: pino({ level: 'silent' }), pollMs: 50, ...o });
  const f = feed;
  server = createServer((req, res) => {
    if (!f.hasRoom()) {
      res.writeHead(503);
      res.end();
      return;
    }
    f.open(res as unknown as Response, req.headers['x-person'] as string, { serverTime: new Date().toISOString(), queueEtag: 'q-1' });
  });
  return {
    marks,
    states,
    setLgd: (s: LgdStatus) => (lgd = s),
    looks: () => looks,
    async listen(person: string): Promise<{ status: number; text: () => string; ended: () => boolean; stop: () => void }> {
      if (!server!.listening) await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
      const ctrl = new AbortController();
      const res = await fetch(`http://127.0.0.1:${(server!.address() as AddressInfo).port}/`, { headers: { 'x-person': person }, signal: ctrl.signal });
      let text = '';
      let ended = false;
      if (res.body) {
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        void (async () => {
          try {
            for (;;) {
              const { value, done } = await reader.read();
              if (done) break;
              text += value;
            }
          } catch {
            // aborted by the test
          }
          ended = true;
        })();
      }
      return { status: res.status, text: () => text, ended: () => ended, stop: () => ctrl.abort() };
    },
  };
}

describe('LiveFeed', () => {
  it('sends keep-alive comments, ends a stream at its maximum age, and refuses beyond its cap', async () => {
    const w = world({ keepAliveMs: 30, maxAgeMs: 400, total: 1 });
    const s = await w.listen('ann');
    expect(s.status).toBe(200);
    await until(() => s.text().includes(': keep-alive\n\n'), 'a keep-alive comment', 2000);
    expect(s.text().startsWith('event: hello\ndata: {"serverTime":')).toBe(true);
    expect((await w.listen('bob')).status).toBe(503);
    await until(() => s.ended(), 'the stream ended at its maximum age', 3000);
    await until(() => feed!.size === 0, 'the feed empty');
    const looked = w.looks();
    await new Promise((r) => setTimeout(r, 200));
    expect(w.looks()).toBe(looked);
  });

  it('announces a changed ticket, one that left the queue, and LGD going away', async () => {
    const w = world({});
    const s = await w.listen('ann');
    await until(() => w.looks() >= 2, 'two looks');
    w.marks.push({ key: 'k2', version: 1, state: 'needs_triage' });
    w.marks[0]!.version = 2;
    w.marks[0]!.state = 'approved_unassigned';
    await until(() => s.text().includes('"key":"k2"') && s.text().includes('"key":"k1","version":2,"state":"approved_unassigned"'), 'ticket events');
    w.states.set('k2', 'reassigned');
    w.marks.splice(1, 1);
    await until(() => s.text().includes('"key":"k2","version":2,"state":"reassigned"'), 'the ticket that left');
    w.setLgd({ state: 'unreachable', since: new Date().toISOString(), message: 'LGD did not answer' });
    await until(() => s.text().includes('event: lgd\ndata: {"state":"unreachable"'), 'the lgd event');
    s.stop();
  });
});
