import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultLgdMapping } from '../../../bot/lgd/lgd-mapping.js';
import { FaultInjector } from '../../../bot/lgd/simulator/faults.js';
import { startLgdSimulator, type LgdSimulator } from '../../../bot/lgd/simulator/lgd-simulator.js';
import type { SimIncident } from '../../../bot/lgd/simulator/sim-state.js';
import { simHttp, type SimHttp } from './sim-http.js';

const m = defaultLgdMapping;
const I = m.classes.incident;
const listParams = { class_name: I, attributes: m.incident.id };

/** The outcome of a request as a client sees it: a status or 'dropped'. */
async function outcome(p: Promise<Response>): Promise<number | 'dropped'> {
  try {
    const res = await p;
    await res.arrayBuffer();
    return res.status;
  } catch (err) {
    if (err instanceof TypeError) return 'dropped';
    throw err;
  }
}

describe('LGD simulator fault injection', () => {
  let sim: LgdSimulator;
  let http: SimHttp;
  let inc: SimIncident;

  const addNote = (text: string): Promise<Response> =>
    http.post(m.paths.save, {
      class_name: m.classes.note,
      is_new: 'true',
      parent_class_name: I,
      parent_key: inc.key,
      parent_function_name: m.actions.addNote,
      [m.note.text]: text,
    });

  beforeAll(async () => {
    sim = await startLgdSimulator();
    http = simHttp(sim.baseUrl);
    await http.logon();
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => {
    sim.setFaults({});
    sim.resetStats();
    inc = sim.state.raiseIncident({ title: 'faulty' });
  });

  it('errorRate 1: every request gets a 500/503 HTML page with an exceptionMessage element, even with JSON asked', async () => {
    sim.setFaults({ errorRate: 1 });
    const res = await http.get(m.paths.list, listParams);
    expect([500, 503]).toContain(res.status);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/<div id="exceptionMessage"[^>]*>[^<]+<\/div>/);
    expect(sim.stats.faults.error).toBe(1);
  });

  it('an injected error on a write applies nothing', async () => {
    sim.setFaults({ errorRate: 1 });
    expect(await outcome(addNote('x'))).not.toBe(200);
    expect(sim.state.notesOf(inc.key)).toHaveLength(0);
  });

  it('latencyMs delays the answer', async () => {
    sim.setFaults({ latencyMs: 150 });
    const t0 = performance.now();
    const res = await http.get(m.paths.list, listParams);
    expect(res.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    expect(sim.stats.faults.latency).toBe(1);
  });

  it('latency range stays within [min, max]', async () => {
    sim.setFaults({ latencyMs: [20, 60], seed: 3 });
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await (await http.get(m.paths.list, listParams)).arrayBuffer();
      const dt = performance.now() - t0;
      expect(dt).toBeGreaterThanOrEqual(18);
      expect(dt).toBeLessThan(500);
    }
  });

  it('dropRate 1: the connection is destroyed without an answer and the write is not applied', async () => {
    sim.setFaults({ dropRate: 1 });
    expect(await outcome(addNote('dropped'))).toBe('dropped');
    expect(await outcome(http.get(m.paths.list, listParams))).toBe('dropped');
    expect(sim.state.notesOf(inc.key)).toHaveLength(0);
    expect(sim.stats.faults.drop).toBe(2);
    expect(sim.stats.writesApplied).toBe(0);
  });

  it('applyThenDropRate 1: the write fails for the client but is applied; a retry adds a second note', async () => {
    sim.setFaults({ applyThenDropRate: 1 });
    expect(await outcome(addNote('Approved'))).toBe('dropped');
    expect(sim.state.notesOf(inc.key).map((n) => n.text)).toEqual(['Approved']);
    // the client can see it over HTTP: reads are not subject to apply-then-drop
    const notes = await http.list({ class_name: m.classes.note, attributes: m.note.text, cns: `${m.note.parent}-e-0`, c0: inc.key });
    expect(notes.objects.map((o) => o.attributes[m.note.text])).toEqual(['Approved']);
    expect(await outcome(addNote('Approved'))).toBe('dropped');
    expect(sim.state.notesOf(inc.key)).toHaveLength(2);
    expect(sim.stats.faults.applyThenDrop).toBe(2);
    expect(sim.stats.writesApplied).toBe(2);
  });

  it('apply-then-drop spares log-on and refused writes', async () => {
    sim.setFaults({ applyThenDropRate: 1 });
    const fresh = simHttp(sim.baseUrl);
    const logon = await fresh.logon();
    expect(await logon.json()).toEqual({ result: true });
    sim.state.setStatus(inc.key, 'Closed');
    expect(await outcome(addNote('refused'))).toBe(400);
    expect(sim.stats.faults.applyThenDrop).toBe(0);
  });

  it('htmlErrorRate 1: 200 with an HTML page where JSON was asked', async () => {
    sim.setFaults({ htmlErrorRate: 1 });
    const res = await http.get(m.paths.list, listParams);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    await expect(res.json()).rejects.toThrow();
    expect(sim.stats.faults.htmlError).toBe(1);
  });

  it('is deterministic for a seed: setFaults restarts the sequence; another seed gives another one', async () => {
    const run = async (seed: number): Promise<(number | 'dropped')[]> => {
      sim.setFaults({ seed, errorRate: 0.3, dropRate: 0.2 });
      const seen: (number | 'dropped')[] = [];
      for (let i = 0; i < 30; i++) seen.push(await outcome(http.get(m.paths.list, listParams)));
      return seen;
    };
    const a = await run(42);
    const b = await run(42);
    const c = await run(7);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(a).toContain(200);
    expect(a).toContain('dropped');
    expect(a.some((s) => s === 500 || s === 503)).toBe(true);
  });

  it('counts requests and requests by endpoint', async () => {
    await http.get(m.paths.list, listParams);
    await http.get(m.paths.open, { class_name: I, key: inc.key });
    expect(sim.stats.requests).toBe(2);
    expect(sim.stats.byEndpoint).toEqual({ list: 1, open: 1 });
  });
});

describe('FaultInjector', () => {
  it('gives the same decisions for the same seed and mixes 500 and 503', () => {
    const opts = { seed: 9, errorRate: 0.5, applyThenDropRate: 0.5, latencyMs: [5, 10] as [number, number] };
    const a = new FaultInjector(opts);
    const b = new FaultInjector(opts);
    const da = Array.from({ length: 200 }, (_, i) => a.decide({ write: i % 2 === 0, logon: false }));
    const db = Array.from({ length: 200 }, (_, i) => b.decide({ write: i % 2 === 0, logon: false }));
    expect(db).toEqual(da);
    const statuses = new Set(da.map((d) => d.errorStatus));
    expect(statuses).toEqual(new Set([null, 500, 503]));
    expect(da.every((d) => d.latencyMs >= 5 && d.latencyMs <= 10)).toBe(true);
    expect(da.filter((d, i) => i % 2 === 1 && d.applyThenDrop)).toHaveLength(0);
    expect(da.some((d) => d.applyThenDrop)).toBe(true);
  });

  it('never applies-then-drops a log-on and rejects rates outside 0..1', () => {
    const f = new FaultInjector({ applyThenDropRate: 1 });
    expect(f.decide({ write: true, logon: true }).applyThenDrop).toBe(false);
    expect(() => new FaultInjector({ errorRate: 2 })).toThrow();
  });
});
