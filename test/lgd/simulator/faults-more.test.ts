/**
 * The simulator's later fault kinds (a request that hangs past the client's timeout, with or
 * without its write applied; a session that expires mid-run; 429 with Retry-After) and an LGD
 * restart (down, connections cut, sessions lost; back on the same port with the same state).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultLgdMapping } from '../../../bot/lgd/lgd-mapping.js';
import { FaultInjector } from '../../../bot/lgd/simulator/faults.js';
import { startLgdSimulator, type LgdSimulator } from '../../../bot/lgd/simulator/lgd-simulator.js';
import type { SimIncident } from '../../../bot/lgd/simulator/sim-state.js';
import { simHttp, type SimHttp } from './sim-http.js';

const m = defaultLgdMapping;
const I = m.classes.incident;
const listParams = { class_name: I, attributes: m.incident.id };

/** A status, 'timeout' when no answer came within `ms`, or 'dropped'. */
async function within(ms: number, send: (signal: AbortSignal) => Promise<Response>): Promise<number | 'timeout' | 'dropped'> {
  try {
    const res = await send(AbortSignal.timeout(ms));
    await res.arrayBuffer();
    return res.status;
  } catch (err) {
    if (err instanceof Error && err.name === 'TimeoutError') return 'timeout';
    if (err instanceof TypeError) return 'dropped';
    throw err;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('LGD simulator: timeouts, expired sessions, 429', () => {
  let sim: LgdSimulator;
  let http: SimHttp;
  let inc: SimIncident;

  const noteForm = (text: string) => ({
    class_name: m.classes.note,
    is_new: 'true',
    parent_class_name: I,
    parent_key: inc.key,
    parent_function_name: m.actions.addNote,
    [m.note.text]: text,
  });
  const postNote = (text: string, signal?: AbortSignal): Promise<Response> =>
    fetch(`${sim.baseUrl}/${m.paths.save}`, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded', Cookie: http.cookie ?? '' },
      body: new URLSearchParams(noteForm(text)).toString(),
      signal,
    });
  const getList = (signal?: AbortSignal): Promise<Response> =>
    fetch(`${sim.baseUrl}/${m.paths.list}?${new URLSearchParams(listParams).toString()}`, {
      headers: { Accept: 'application/json', Cookie: http.cookie ?? '' },
      signal,
    });

  beforeAll(async () => {
    sim = await startLgdSimulator();
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    sim.setFaults({});
    http = simHttp(sim.baseUrl);
    await http.logon();
    sim.resetStats();
    inc = sim.state.raiseIncident({ title: 'faulty' });
  });

  it('timeoutRate 1: the request hangs past the client\'s timeout, its socket is then destroyed, and a write is not applied', async () => {
    sim.setFaults({ timeoutRate: 1, hangMs: 400 });
    expect(await within(100, (s) => postNote('hung', s))).toBe('timeout');
    expect(await within(100, (s) => getList(s))).toBe('timeout');
    // A client that waits longer than the hang sees the connection cut, never an answer.
    expect(await within(2_000, (s) => getList(s))).toBe('dropped');
    await sleep(450);
    expect(sim.state.notesOf(inc.key)).toHaveLength(0);
    // Every request that reached the server hung (a reused socket the client found dead never did).
    expect(sim.stats.faults.timeout).toBeGreaterThanOrEqual(2);
    expect(sim.stats.faults.timeout).toBe(sim.stats.requests);
    expect(sim.stats.writesApplied).toBe(0);
  });

  it('applyThenTimeoutRate 1: the write is applied at once but its answer never comes; reads are not affected', async () => {
    sim.setFaults({ applyThenTimeoutRate: 1, hangMs: 300 });
    expect(await within(100, (s) => postNote('slow commit', s))).toBe('timeout');
    expect(sim.state.notesOf(inc.key).map((n) => n.text)).toEqual(['slow commit']);
    expect(await within(1_000, (s) => getList(s))).toBe(200);
    expect(sim.stats.faults.applyThenTimeout).toBe(1);
    expect(sim.stats.writesApplied).toBe(1);
  });

  it('sessionExpiryRate 1: a request with a live session gets the expired-session answer and its session is gone; nothing is applied; log-on is spared', async () => {
    sim.setFaults({ sessionExpiryRate: 1 });
    expect((await postNote('after expiry')).status).toBe(403);
    expect(sim.state.notesOf(inc.key)).toHaveLength(0);
    sim.setFaults({});
    // The session stays gone without the fault: the client must log on again.
    expect((await getList()).status).toBe(403);
    sim.setFaults({ sessionExpiryRate: 1 });
    const logon = await http.logon();
    expect(await logon.json()).toEqual({ result: true });
    expect(sim.stats.faults.sessionExpiry).toBe(1);

    sim.setExpiredSessionResponse('redirect');
    const redirected = await http.get(m.paths.list, listParams);
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get('location')).toMatch(/logon\.rails\?ReturnUrl=/i);
    sim.setExpiredSessionResponse('403');
  });

  it('throttleRate 1: 429 with Retry-After and an HTML page; a write is not applied', async () => {
    sim.setFaults({ throttleRate: 1, retryAfterSeconds: 7 });
    const res = await postNote('throttled');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toContain('Too many requests');
    expect(sim.state.notesOf(inc.key)).toHaveLength(0);
    sim.setFaults({ throttleRate: 1 });
    expect((await getList()).headers.get('retry-after')).toBe('1');
    expect(sim.stats.faults.throttle).toBe(2);
  });
});

describe('FaultInjector: the later kinds', () => {
  const mixed = { seed: 11, errorRate: 0.1, dropRate: 0.05, htmlErrorRate: 0.05, applyThenDropRate: 0.1, timeoutRate: 0.05, applyThenTimeoutRate: 0.1, sessionExpiryRate: 0.1, throttleRate: 0.05, hangMs: 50 };

  it('is deterministic per seed, gives every kind, and at most one fault per request', () => {
    const a = new FaultInjector(mixed);
    const b = new FaultInjector(mixed);
    const da = Array.from({ length: 2000 }, (_, i) => a.decide({ write: i % 2 === 0, logon: false }));
    expect(Array.from({ length: 2000 }, (_, i) => b.decide({ write: i % 2 === 0, logon: false }))).toEqual(da);
    const kinds = da.map((d) => [d.drop, d.errorStatus !== null, d.htmlError, d.applyThenDrop, d.hangMs > 0 && !d.applyThenTimeout, d.applyThenTimeout, d.expireSession, d.retryAfterSeconds !== null]);
    for (let k = 0; k < 8; k++) expect(kinds.some((f) => f[k]), `kind ${k}`).toBe(true);
    expect(kinds.every((f) => f.filter(Boolean).length <= 1)).toBe(true);
    // Apply-then-timeout only for writes, and it hangs.
    expect(da.filter((d, i) => i % 2 === 1 && (d.applyThenTimeout || d.applyThenDrop))).toEqual([]);
    expect(da.filter((d) => d.applyThenTimeout).every((d) => d.hangMs === 50)).toBe(true);
  });

  it('adding the later kinds keeps what a seed decided for the first ones where the later ones do not fire', () => {
    const old = new FaultInjector({ seed: 5, errorRate: 0.3, dropRate: 0.2 });
    const more = new FaultInjector({ seed: 5, errorRate: 0.3, dropRate: 0.2, throttleRate: 0.2 });
    for (let i = 0; i < 300; i++) {
      const o = old.decide({ write: false, logon: false });
      const n = more.decide({ write: false, logon: false });
      expect(n.drop).toBe(o.drop);
      expect(n.errorStatus).toBe(o.errorStatus);
    }
  });

  it('never expires the session of a log-on, nor applies-then-times-out one', () => {
    const f = new FaultInjector({ sessionExpiryRate: 1, applyThenTimeoutRate: 1 });
    const d = f.decide({ write: true, logon: true });
    expect(d.expireSession).toBe(false);
    expect(d.applyThenTimeout).toBe(false);
  });
});

describe('LGD simulator restart', () => {
  let sim: LgdSimulator;
  beforeAll(async () => {
    sim = await startLgdSimulator();
  });
  afterAll(async () => {
    await sim.close();
  });

  it('stops listening, loses its sessions and keeps its state; comes back on the same port', async () => {
    const http = simHttp(sim.baseUrl);
    await http.logon();
    const inc = sim.state.raiseIncident({ title: 'kept' });
    expect((await http.get(m.paths.list, listParams)).status).toBe(200);

    await sim.stop();
    expect(sim.listening).toBe(false);
    const attempt = () =>
      http.get(m.paths.list, listParams).then(
        () => 'answered',
        (err: unknown) => (err as { cause?: { code?: string } }).cause?.code ?? 'failed',
      );
    // The kept-alive connection was cut (UND_ERR_SOCKET) or a new one is refused.
    expect(['UND_ERR_SOCKET', 'ECONNREFUSED']).toContain(await attempt());
    expect(await attempt()).toBe('ECONNREFUSED');

    await sim.start();
    expect(sim.listening).toBe(true);
    // The old session is gone: 403 until the client logs on again, then the same data.
    expect((await http.get(m.paths.list, listParams)).status).toBe(403);
    await http.logon();
    const list = await http.list({ ...listParams, cns: `${m.incident.id}-e-0`, c0: String(inc.id) });
    expect(list.objects.map((o) => o.value)).toEqual([inc.key]);
  });

  it('cuts requests in flight: one still waiting is never applied; a write applied before the cut stays applied', async () => {
    const http = simHttp(sim.baseUrl);
    await http.logon();
    const inc = sim.state.raiseIncident({ title: 'in flight' });
    const note = (text: string) =>
      http.post(m.paths.save, { class_name: m.classes.note, is_new: 'true', parent_class_name: I, parent_key: inc.key, parent_function_name: m.actions.addNote, [m.note.text]: text });

    sim.setFaults({ latencyMs: 300 });
    const waiting = note('waiting').then((r) => r.status, () => 'dropped');
    await sleep(50);
    await sim.restart(20);
    expect(await waiting).toBe('dropped');
    await sleep(350);
    expect(sim.state.notesOf(inc.key)).toHaveLength(0);

    await http.logon();
    sim.setFaults({ applyThenTimeoutRate: 1, hangMs: 5_000 });
    const applied = note('applied').then((r) => r.status, () => 'dropped');
    await sleep(100);
    await sim.restart();
    expect(await applied).toBe('dropped');
    expect(sim.state.notesOf(inc.key).map((n) => n.text)).toEqual(['applied']);
    sim.setFaults({});
  });
});
