/**
 * The simulator's hung-write and gateway faults: a write LGD applies only some time after it
 * arrived (by the simulator's clock), answered when the client has long given up; and a proxy's
 * 502 / 504, with the write not passed on, or passed on and applied.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defaultLgdMapping } from '../../../bot/lgd/lgd-mapping.js';
import { FaultInjector } from '../../../bot/lgd/simulator/faults.js';
import { startLgdSimulator, type LgdSimulator } from '../../../bot/lgd/simulator/lgd-simulator.js';
import type { SimIncident } from '../../../bot/lgd/simulator/sim-state.js';
import { simHttp, type SimHttp } from './sim-http.js';

const m = defaultLgdMapping;
const I = m.classes.incident;

let sim: LgdSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** A status, or 'timeout' when no answer came within `ms`. */
async function within(ms: number, send: (signal: AbortSignal) => Promise<Response>): Promise<number | 'timeout'> {
  try {
    const res = await send(AbortSignal.timeout(ms));
    await res.arrayBuffer();
    return res.status;
  } catch (err) {
    if (err instanceof Error && err.name === 'TimeoutError') return 'timeout';
    throw err;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function setUp(now?: () => Date): Promise<{ s: LgdSimulator; http: SimHttp; inc: SimIncident; postNote: (text: string, signal?: AbortSignal) => Promise<Response> }> {
  const s = await startLgdSimulator(now ? { now } : {});
  sim = s;
  const http = simHttp(s.baseUrl);
  await http.logon();
  const inc = s.state.raiseIncident({ title: 'hung' });
  const postNote = (text: string, signal?: AbortSignal): Promise<Response> =>
    fetch(`${s.baseUrl}/${m.paths.save}`, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded', Cookie: http.cookie ?? '' },
      body: new URLSearchParams({ class_name: m.classes.note, is_new: 'true', parent_class_name: I, parent_key: inc.key, parent_function_name: m.actions.addNote, [m.note.text]: text }).toString(),
      signal,
    });
  return { s, http, inc, postNote };
}

describe('LGD simulator: a write LGD applies late', () => {
  it('is held until the simulator\'s clock reaches its due time, whatever real time passes, then lands before the next request is handled', async () => {
    let t = Date.parse('2027-06-11T09:00:00Z');
    const { s, http, inc, postNote } = await setUp(() => new Date(t));
    s.setFaults({ lateApplyRate: 1, lateApplyMs: 30_000 });
    expect(await within(150, (sig) => postNote('hung write', sig))).toBe('timeout');
    s.setFaults({});
    expect(s.heldWrites).toBe(1);
    await sleep(100);
    // LGD is still working on it: a read does not see it, and a second write lands first.
    t += 29_000;
    expect((await postNote('second write')).status).toBe(200);
    expect(s.state.notesOf(inc.key).map((n) => n.text)).toEqual(['second write']);
    t += 1_000;
    const list = await http.list({ class_name: m.classes.note, attributes: m.note.text, cns: 'Incident-e-0', c0: inc.key });
    expect(list.objects.map((o) => o.attributes[m.note.text]).sort()).toEqual(['hung write', 'second write']);
    expect(s.heldWrites).toBe(0);
    expect(s.stats.faults.lateApply).toBe(1);
    expect(s.stats.writesApplied).toBe(2);
  });

  it('on the real clock, lands by itself, and a client that waits gets its answer then', async () => {
    const { s, inc, postNote } = await setUp();
    s.setFaults({ lateApplyRate: 1, lateApplyMs: 300 });
    expect(await within(100, (sig) => postNote('given up', sig))).toBe('timeout');
    const started = Date.now();
    expect(await within(2_000, (sig) => postNote('waited for', sig))).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await sleep(300);
    expect(s.state.notesOf(inc.key).map((n) => n.text).sort()).toEqual(['given up', 'waited for']);
    expect(s.heldWrites).toBe(0);
  });

  it('is lost, not applied, when LGD stops while working on it', async () => {
    const { s, inc, postNote } = await setUp();
    s.setFaults({ lateApplyRate: 1, lateApplyMs: 400 });
    expect(await within(100, (sig) => postNote('in progress', sig))).toBe('timeout');
    await s.restart();
    await sleep(500);
    expect(s.heldWrites).toBe(0);
    expect(s.state.notesOf(inc.key)).toHaveLength(0);
  });

  it('never holds a read or a log-on', () => {
    const f = new FaultInjector({ lateApplyRate: 1, applyThenGatewayErrorRate: 1, gatewayTimeoutWhileWorkingRate: 1 });
    expect(f.decide({ write: false, logon: false })).toMatchObject({ lateApplyMs: 0, applyThenGatewayStatus: null, gatewayTimeoutWhileWorking: false });
    expect(f.decide({ write: true, logon: true })).toMatchObject({ lateApplyMs: 0, applyThenGatewayStatus: null, gatewayTimeoutWhileWorking: false });
    expect(f.decide({ write: true, logon: false }).lateApplyMs).toBe(30_000);
  });
});

describe('LGD simulator: a proxy\'s 502 / 504', () => {
  it('gatewayErrorRate 1: answers 502 or 504 with a proxy\'s page, not LGD\'s, and applies nothing', async () => {
    const { s, inc, postNote } = await setUp();
    s.setFaults({ gatewayErrorRate: 1, seed: 3 });
    const statuses = new Set<number>();
    for (let i = 0; i < 8; i++) {
      const res = await postNote(`not passed on ${i}`);
      statuses.add(res.status);
      const body = await res.text();
      expect(body).toMatch(/Bad Gateway|Gateway Time-out/);
      expect(body).not.toContain('exceptionMessage');
    }
    expect([...statuses].sort()).toEqual([502, 504]);
    expect(s.state.notesOf(inc.key)).toHaveLength(0);
    expect(s.stats.faults.gatewayError).toBe(8);
  });

  it('applyThenGatewayErrorRate 1: a write is applied and answered 502 or 504; a read is answered as usual', async () => {
    const { s, http, inc, postNote } = await setUp();
    s.setFaults({ applyThenGatewayErrorRate: 1 });
    expect([502, 504]).toContain((await postNote('passed on')).status);
    expect(s.state.notesOf(inc.key).map((n) => n.text)).toEqual(['passed on']);
    expect((await http.get(m.paths.list, { class_name: I, attributes: m.incident.id })).status).toBe(200);
    expect(s.stats.faults.applyThenGatewayError).toBe(1);
  });
});

describe('LGD simulator: a proxy\'s 504 while LGD is still working', () => {
  it('gatewayTimeoutWhileWorkingRate 1: a write is answered 504 at once, and applied when LGD is done with it', async () => {
    let t = Date.UTC(2026, 11, 2, 9);
    const { s, http, inc, postNote } = await setUp(() => new Date(t));
    s.setFaults({ gatewayTimeoutWhileWorkingRate: 1, lateApplyMs: 60_000 });
    const res = await postNote('still working');
    expect(res.status).toBe(504);
    expect(await res.text()).toMatch(/Gateway Time-out/);
    expect(s.heldWrites).toBe(1);
    expect(s.state.notesOf(inc.key)).toHaveLength(0);
    s.setFaults({});
    t += 61_000;
    // The next request finds the write done.
    expect((await http.get(m.paths.list, { class_name: I, attributes: m.incident.id })).status).toBe(200);
    expect(s.state.notesOf(inc.key).map((n) => n.text)).toEqual(['still working']);
    expect(s.stats.faults.gatewayTimeoutWhileWorking).toBe(1);
  });
});

describe('FaultInjector: the hung-write and gateway kinds', () => {
  it('leave what a seed decided for every earlier kind as it was when they do not fire', () => {
    const base = { seed: 7, errorRate: 0.1, dropRate: 0.05, htmlErrorRate: 0.05, applyThenDropRate: 0.1, timeoutRate: 0.05, applyThenTimeoutRate: 0.1, sessionExpiryRate: 0.1, throttleRate: 0.05 };
    const old = new FaultInjector(base);
    const more = new FaultInjector({ ...base, lateApplyRate: 0.2, gatewayErrorRate: 0.1, applyThenGatewayErrorRate: 0.1, gatewayTimeoutWhileWorkingRate: 0.1 });
    let fired = 0;
    for (let i = 0; i < 2000; i++) {
      const kind = { write: i % 2 === 0, logon: false };
      const o = old.decide(kind);
      const n = more.decide(kind);
      if (n.gatewayStatus !== null) {
        fired++;
        continue;
      }
      expect({ ...n, lateApplyMs: 0, applyThenGatewayStatus: null, gatewayTimeoutWhileWorking: false }).toEqual(o);
      // One fault a request: a late or gateway-answered write met none of the others.
      if (n.lateApplyMs > 0 || n.applyThenGatewayStatus !== null) expect(n.applyThenDrop || n.applyThenTimeout || n.expireSession).toBe(false);
      if (n.gatewayTimeoutWhileWorking) {
        expect(n.lateApplyMs).toBeGreaterThan(0);
        expect(n.applyThenGatewayStatus).toBeNull();
      }
    }
    expect(fired).toBeGreaterThan(0);
  });
});
