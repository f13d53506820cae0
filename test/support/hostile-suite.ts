/**
 * The hostile-input corpus as a vitest suite for one mode: every served route has a shape in the
 * corpus (a route added later fails here, named), then the corpus runs and every answer, the
 * server and the store are judged. `HOSTILE_SEED` replays a run; `HOSTILE_SCALE` multiplies its size;
 * `HOSTILE_WINDOW=1` compares the store after every single request (to find which one changed it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorpusMode } from './hostile-corpus.js';
import { ANSWER_MS, judge, runCorpus, send, servedRoutes, startHostileWorld, storeSnapshot, unshaped, type HostileWorld } from './hostile-run.js';

/** Requests per route in CI (the bot's endpoint three times as many); HOSTILE_SCALE=10 for a long local run. */
const PER_ROUTE = 30;

export function describeHostileCorpus(mode: CorpusMode): void {
  const seed = Number(process.env.HOSTILE_SEED ?? 20261202);
  const scale = Number(process.env.HOSTILE_SCALE ?? 1);
  let w: HostileWorld;

  describe(`hostile-input corpus, ${mode} mode (seed ${seed}; HOSTILE_SEED=${seed} replays it)`, () => {
    beforeAll(async () => {
      w = await startHostileWorld(mode);
    }, 30_000);
    afterAll(async () => {
      await w?.close();
    });

    it('knows every route the server serves', () => {
      const routes = servedRoutes(w.app);
      expect(routes.length).toBeGreaterThan(20);
      expect(unshaped(routes), 'routes the hostile corpus does not cover: add them to ROUTE_SHAPES in test/support/hostile-corpus.ts').toEqual([]);
    });

    it('answers every request within a second with a 4xx or a harmless answer, stays up, and changes no record', async () => {
      const report = await runCorpus(w, { seed, perRoute: Math.round(PER_ROUTE * scale) });
      console.log(
        `hostile corpus, ${mode} mode, seed ${seed}: ${report.sent} requests, slowest answer ${Math.round(report.slowestMs)} ms, ${report.resent} answered late once and sent again alone\n` +
          Object.entries(report.perRoute)
            .map(([r, n]) => `  ${String(n).padStart(4)}  ${r.padEnd(40)} ${Object.entries(report.statuses[r] ?? {}).map(([s, k]) => `${s}×${k}`).join(' ')}`)
            .join('\n'),
      );
      expect(report.sent).toBeGreaterThanOrEqual(800);
      expect(report.failures).toEqual([]);
      expect(report.changed).toEqual([]);
      // No query or body key reached Object.prototype.
      expect(Object.keys(Object.prototype)).toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((await fetch(`${w.app.url}/healthz`)).status).toBe(200);
    }, 120_000);

    it('would see an accepted change: a lead\'s valid write is judged "accepted" and changes the snapshot', async () => {
      const before = await storeSnapshot(w.app);
      const canary = { n: -1, kind: 'markup-in-text' as const, route: 'PUT /api/settings/areas/:area', method: 'PUT', path: '/api/settings/areas/Canary', headers: { 'content-type': 'application/json', ...w.world.identities.lead }, body: Buffer.from('{"contacts":[]}'), what: 'a valid write' };
      const out = await send(w.app.url, canary, ANSWER_MS);
      expect(out.status).toBe(200);
      expect(judge(out)).toMatch(/a write was accepted/);
      const after = await storeSnapshot(w.app);
      // The area, and the audit entry saying it was done.
      expect(new Set(Object.keys(after).filter((k) => after[k] !== before[k]))).toEqual(new Set(['areas', 'audit']));
    });
  });
}
