import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pino, type Logger } from 'pino';
import type { HealthReport } from '../../bot/api/health-route.js';
import { startLgdSimulator, type LgdSimulator } from '../../bot/lgd/simulator/lgd-simulator.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import { StoreError } from '../../bot/errors.js';
import { startTestApp } from '../support/test-app.js';
import { seedTeam } from '../support/sync-harness.js';

/**
 * The promise: /healthz tells the truth. It answers 200 while the app can serve and names
 * what is degraded (a first sync still running, with its progress; LGD not answering), and 503
 * when the store refuses writes; /api/tickets says when its list is still partial. A repeating
 * LGD outage logs one line per pass. Real simulator over HTTP, real embedded store.
 */

type App = Awaited<ReturnType<typeof startTestApp>>;
interface TicketsPage {
  total: number;
  complete: boolean;
  firstSync: { done: number | null; of: number | null } | null;
}

const running: { close(): Promise<void> }[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function memoryLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  return { logger, lines };
}

async function sim(): Promise<LgdSimulator> {
  const s = await startLgdSimulator();
  running.push(s);
  return s;
}

async function app(s: LgdSimulator, opts: Parameters<typeof startTestApp>[1] = {}): Promise<App> {
  const a = await startTestApp({ LGD_URL: s.baseUrl, LGD_USERNAME: 'lgd.service', LGD_PASSWORD: 'lgd-simulator', LGD_POLL_SECONDS: '3600' }, { startWorker: false, ...opts });
  running.push(a);
  return a;
}

async function health(a: App): Promise<{ status: number; body: HealthReport }> {
  const res = await fetch(`${a.url}/healthz`);
  return { status: res.status, body: (await res.json()) as HealthReport };
}

async function tickets(a: App): Promise<TicketsPage> {
  const res = await fetch(`${a.url}/api/tickets?pageSize=1`);
  expect(res.status).toBe(200);
  return (await res.json()) as TicketsPage;
}

describe('/healthz and /api/tickets during the first sync', () => {
  it('name the first sync with its progress while it runs, and say ok once it is done', { timeout: 60_000 }, async () => {
    const s = await sim();
    seedTeam(s.state, 1200);
    // Each request takes a little while, so that the first pass (1,200 tickets and their notes) can be watched.
    s.setFaults({ latencyMs: 2 });
    const a = await app(s);

    const before = await health(a);
    expect(before.status).toBe(200);
    expect(before.body.degraded).toEqual([expect.objectContaining({ part: 'sync.firstSync', code: 'FIRST_SYNC_RUNNING', message: expect.stringContaining('No sync with LGD has completed yet') })]);
    expect(await tickets(a)).toMatchObject({ total: 0, complete: false });

    const seen: { health: HealthReport; page: TicketsPage }[] = [];
    let done = false;
    const pass = a.worker.tick({ forceSync: true }).finally(() => {
      done = true;
    });
    while (!done) {
      const [h, page] = await Promise.all([health(a), tickets(a)]);
      expect(h.status).toBe(200);
      seen.push({ health: h.body, page });
      await new Promise((r) => setTimeout(r, 20));
    }
    await pass;

    const midway = seen.filter((x) => !x.page.complete && x.page.total > 0);
    expect(midway.length).toBeGreaterThan(0);
    for (const m of midway) {
      expect(m.page.total).toBeLessThan(1200);
      expect(m.page.firstSync?.of).toBe(1200);
      expect(m.health.status).toBe('degraded');
      const first = m.health.degraded.find((p) => p.part === 'sync.firstSync');
      expect(first?.message).toMatch(/^The first sync with LGD is running: \d+ of 1200 tickets so far;/);
    }
    expect(midway.some((m) => (m.health.sync.firstSync?.done ?? 0) >= 500)).toBe(true);

    expect(await tickets(a)).toMatchObject({ total: 1200, complete: true, firstSync: null });
    const after = await health(a);
    expect(after).toMatchObject({ status: 200, body: { status: 'ok', degraded: [], sync: { firstSync: { complete: true } } } });
  });
});

describe('/healthz when the store refuses writes', () => {
  it('answers 503 naming the store while the disk is full, and 200 again once there is room', async () => {
    const s = await sim();
    seedTeam(s.state, 20);
    const dataDir = mkdtempSync(join(tmpdir(), 'lgd-health-'));
    dirs.push(dataDir);
    // The embedded store's own disk-full mechanism: writes that would grow the file past the limit fail with SQLITE_FULL.
    const store = await openEmbeddedStore({ dataDir, maxSizeBytes: 2 * 1024 * 1024 });
    const a = await app(s, { store });
    expect((await health(a)).status).toBe(200);

    const filler = a.store.collection<{ _id: number; pad: string }>('filler');
    const pad = 'x'.repeat(4000);
    let refused: unknown;
    for (let i = 0; i < 2000 && refused === undefined; i++) {
      try {
        await filler.insertOne({ _id: i, pad });
      } catch (err) {
        refused = err;
      }
    }
    expect(refused).toBeInstanceOf(StoreError);

    // The first sync cannot store its tickets: the list is empty and says it is not complete.
    await a.worker.tick({ forceSync: true });
    expect(await tickets(a)).toMatchObject({ total: 0, complete: false });
    const full = await health(a);
    expect(full.status).toBe(503);
    expect(full.body.status).toBe('down');
    expect(full.body.store).toMatchObject({ ok: false, kind: 'embedded', detail: expect.stringContaining('SQLITE_FULL') });
    expect(full.body.degraded[0]).toMatchObject({ part: 'store', code: 'STORE_REFUSES_WRITES' });

    await filler.deleteMany({});
    await a.worker.tick({ forceSync: true });
    expect(await tickets(a)).toMatchObject({ total: 20, complete: true });
    expect(await health(a)).toMatchObject({ status: 200, body: { status: 'ok', store: { ok: true } } });
  });
});

describe('a repeating LGD outage', () => {
  it('is named on /healthz and logs one line per pass after the first, and once when it ends', async () => {
    const s = await sim();
    seedTeam(s.state, 5);
    const { logger, lines } = memoryLogger();
    const a = await app(s, { logger });
    await a.worker.tick({ forceSync: true });
    const from = lines.length;

    s.setFaults({ dropRate: 1 });
    for (let i = 0; i < 4; i++) await a.worker.tick({ forceSync: true });

    const h = await health(a);
    expect(h.status).toBe(200);
    expect(h.body.status).toBe('degraded');
    expect(h.body.degraded).toEqual([
      expect.objectContaining({ part: 'lgd', code: 'LGD_UNAVAILABLE', message: expect.stringMatching(/^LGD is not answering right now \(connection failed \(\w+\)\)/) }),
    ]);

    const outage = lines.slice(from).filter((l) => (l.level as number) >= 40);
    // The first failure with its cause (stack included), then one line per pass: code, LGD's answer, count.
    expect(outage.map((l) => l.msg)).toEqual([
      'sync pass failed; it will be repeated',
      expect.stringMatching(/^sync pass failed again: LGD is not answering right now/),
      expect.stringMatching(/^sync pass failed again: /),
      expect.stringMatching(/^sync pass failed again: /),
    ]);
    expect((outage[0]?.err as { stack?: string }).stack).toContain('LgdUnavailable');
    for (const l of outage.slice(1)) {
      expect(l).toMatchObject({ code: 'LGD_UNAVAILABLE' });
      expect(l.err).toBeUndefined();
      expect(JSON.stringify(l).length).toBeLessThan(600);
    }

    s.setFaults({});
    await a.worker.tick({ forceSync: true });
    await a.worker.tick({ forceSync: true });
    expect(lines.slice(from).filter((l) => typeof l.msg === 'string' && l.msg.startsWith('sync recovered'))).toEqual([
      expect.objectContaining({ level: 30, failedPasses: 4 }),
    ]);
    expect(await health(a)).toMatchObject({ status: 200, body: { status: 'ok', degraded: [] } });
  });
});
