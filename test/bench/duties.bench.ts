/**
 * One day's update-the-user pass to 200 owners (one card each) through the real app, against a
 * stand-in Bot Framework connector that allows N messages a second and answers 429 with
 * Retry-After: 1 beyond that. Reports the achieved rate (cards delivered per second, from the
 * pass's start to the last card) as a fraction of the allowed rate, and how many 429s the sender
 * met. The app's own pacing (Teams' per-conversation windows and its 40 a second global cap) and
 * its 429 handling decide the result; the connector's limit is the ceiling.
 *
 * Conversation creation (one per owner, the first time the app writes to them) is answered at once
 * and is not counted against N: Teams' limits are on messages.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { startLgdSimulator } from '../../bot/lgd/simulator/lgd-simulator.js';
import { startTestApp } from '../support/test-app.js';
import { installInTeam, postActivity } from '../support/teams-activities.js';
import type { BenchContext } from './run.js';

const OWNERS = 200;
const GROUP = 'LGSS-IT-Digital';

/** A connector allowing `perSecond` activity posts in any second (sliding window); the roster for installation. */
async function rateLimitedConnector(perSecond: number, roster: { id: string; aadObjectId: string; name: string; email: string }[]) {
  const accepted: number[] = [];
  let seq = 0;
  let limited = 0;
  let delivered = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = req.url ?? '';
      const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'GET' && /\/pagedmembers/.test(path)) return send(200, { members: roster });
      if (req.method === 'GET' && /\/members\//.test(path)) return send(404, { error: { code: 'MemberNotFoundInConversation', message: 'no' } });
      if (req.method === 'POST' && /\/v3\/conversations\/?$/.test(path)) return send(200, { id: `conv-${++seq}` });
      if (req.method === 'POST' && /\/activities/.test(path)) {
        const now = performance.now();
        while (accepted.length > 0 && (accepted[0] ?? 0) <= now - 1000) accepted.shift();
        if (accepted.length >= perSecond) {
          limited++;
          return send(429, { error: { code: 'Throttled', message: 'too many requests' } }, { 'retry-after': '1' });
        }
        accepted.push(now);
        delivered++;
        return send(200, { id: `act-${++seq}` });
      }
      return send(200, { id: `act-${++seq}` });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    stats: () => ({ limited, delivered }),
    reset: () => {
      limited = 0;
      delivered = 0;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function oneDay(ctx: BenchContext, perSecond: number): Promise<void> {
  let clock = new Date('2026-11-30T09:00:00Z');
  const sim = await startLgdSimulator();
  const team = sim.state.addGroup(GROUP);
  const roster = Array.from({ length: OWNERS }, (_, i) => ({
    id: `29:owner-${i}`,
    aadObjectId: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
    name: `Owner ${i}`,
    email: `owner.${i}@lgd.example`,
  }));
  roster.push({ id: '29:ann', aadObjectId: '00000000-0000-4000-8000-999999999999', name: 'Ann Lead', email: 'ann.lead@lgd.example' });
  sim.state.addAnalyst({ name: 'ann.lead', title: 'Ann Lead', email: 'ann.lead@lgd.example' });
  for (let i = 0; i < OWNERS; i++) {
    const a = sim.state.addAnalyst({ name: `owner.${i}`, title: `Owner ${i}`, email: `owner.${i}@lgd.example` });
    const inc = sim.state.raiseIncident({ title: `Ticket ${i}`, groupKey: team.guid, status: 'Active', raiseUser: 'Pat User', userKey: a.guid });
    sim.state.addNote(inc.key, { text: 'Approved', by: 'Ann Lead' });
  }
  const connector = await rateLimitedConnector(perSecond, roster);
  const app = await startTestApp(
    { LGD_URL: sim.baseUrl, LGD_USERNAME: 'lgd.service', LGD_PASSWORD: 'lgd-simulator', LEADS: 'ann.lead@lgd.example', LGD_POLL_SECONDS: '3600' },
    { startWorker: false, clock: () => clock },
  );
  try {
    await app.worker.tick({ forceSync: true });
    await postActivity(app.url, installInTeam(connector.url, { id: '29:ann', aadObjectId: roster[OWNERS]!.aadObjectId, name: 'Ann Lead', email: 'ann.lead@lgd.example' }));
    await app.teams.processor.processNew();
    // Owned since Monday; Tuesday 14:05 the pass is due for every owner. The triage cards of the install are out of the way.
    clock = new Date('2026-12-01T14:05:00Z');
    await app.teams.processor.processNew();
    connector.reset();
    const t0 = performance.now();
    const report = await app.duties.runAt(clock);
    const queued = report.items.filter((i) => i.kind === 'update_nudge' && i.status === 'queued').length;
    let sent = 0;
    for (let pass = 0; pass < 200 && sent < queued; pass++) {
      await app.teams.processor.processNew();
      sent = (await app.repos.notices.list('sent', 1000)).filter((n) => n._id.includes('update_nudge')).length;
    }
    const seconds = (performance.now() - t0) / 1000;
    const achieved = sent / seconds;
    const { limited } = connector.stats();
    ctx.note(
      `duties: 200 owners, connector allows ${perSecond}/s`,
      `${sent}/${queued} cards in ${seconds.toFixed(1)} s = ${achieved.toFixed(1)}/s, ${(achieved / perSecond).toFixed(2)} of the allowed rate; ${limited} answered 429`,
      { cardsSent: sent, cardsQueued: queued, perSecond: achieved, allowedPerSecond: perSecond, fractionOfAllowed: achieved / perSecond, answered429: limited },
    );
    if (queued !== OWNERS || sent !== queued) throw new Error(`duties at ${perSecond}/s: ${sent} of ${queued} cards sent, expected ${OWNERS}`);
  } finally {
    await app.close();
    await connector.close();
    await sim.close();
  }
}

export default async function bench(ctx: BenchContext): Promise<void> {
  // Under the app's own 40/s cap (the connector's limit binds), and above it (the app's cap binds).
  for (const n of [10, 25, 50]) await oneDay(ctx, n);
}
