import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pino, type Logger } from 'pino';
import { startApp, type RunningApp } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import { approve } from '../../bot/domain/commands.js';
import type { Ticket } from '../../bot/domain/ticket.js';

/**
 * The promise: the demo continues where it stopped. Its simulated LGD is kept in the data
 * folder, so a decision made before a restart stays in LGD and in the store, and the restart's
 * first sync changes no ticket that did not change in LGD meanwhile (it used to change dozens, and
 * undo decisions, because the replay started afresh). The whole demo app, stopped and started
 * again on the same data folder; the replay is frozen (DEMO_REPLAY_SPEED=0) so that only the test
 * changes LGD.
 */

const apps: RunningApp[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function memoryLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  return { logger, lines };
}

async function startDemo(dataDir: string, logger: Logger): Promise<RunningApp> {
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, DEMO_REPLAY_SPEED: '0' });
  const app = await startApp(config, logger, { startWorker: false });
  apps.push(app);
  return app;
}

/** Every stored ticket: its version moves with each change the store makes to it. */
async function versions(app: RunningApp): Promise<Map<string, { version: number; state: string; lastUpdate: number }>> {
  const all = await app.store.collection<Ticket>('tickets').find({}).toArray();
  return new Map(all.map((t) => [t._id, { version: t.version, state: t.state, lastUpdate: t.lgd.lastUpdate.getTime() }]));
}

describe('the demo after a restart', () => {
  it('continues its LGD where it stopped: decisions kept, no ticket changed that LGD did not change', { timeout: 120_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lgd-demo-restart-'));
    dirs.push(dataDir);

    const first = memoryLogger();
    const a = await startDemo(dataDir, first.logger);
    await a.worker.tick({ forceSync: true });
    const untriaged = await a.tickets.list({ states: ['needs_triage'], skip: 0, limit: 2 });
    const [decided, changedInLgd] = untriaged;
    if (!decided || !changedInLgd) throw new Error('the demo has untriaged tickets');

    const r = await a.commands.run(decided._id, { name: 'Dana Lead' }, (t, ctx) => approve(t, ctx));
    expect(r.ok).toBe(true);
    await a.worker.tick(); // delivers the note to LGD
    await a.worker.tick({ forceSync: true }); // and reads LGD's view back
    const approvedNotes = (app: RunningApp): string[] =>
      app.simulator!.state.notesOf(decided._id).map((n) => n.text).filter((t) => t.startsWith('Approved'));
    expect(approvedNotes(a)).toHaveLength(1);
    expect(await a.tickets.get(decided._id)).toMatchObject({ state: 'approved_unassigned', decision: { kind: 'approved' } });
    const before = await versions(a);
    expect(before.size).toBeGreaterThan(20);
    // The demo's rota is seeded under the demo's name, not ROTA's.
    expect(first.lines.some((l) => typeof l.msg === 'string' && l.msg.startsWith('rota seeded for the demo'))).toBe(true);
    expect(first.lines.some((l) => l.msg === 'rota seeded from ROTA')).toBe(false);

    await a.close();
    apps.splice(apps.indexOf(a), 1);

    const second = memoryLogger();
    const b = await startDemo(dataDir, second.logger);
    expect(second.lines.some((l) => typeof l.msg === 'string' && l.msg.startsWith('demo LGD continues where it stopped'))).toBe(true);
    expect(existsSync(join(dataDir, 'lgd-simulator.json'))).toBe(true);
    // LGD still holds the decision, written once.
    expect(approvedNotes(b)).toHaveLength(1);
    // One change made in LGD while the app was down: only that ticket may change.
    b.simulator!.state.setStatus(changedInLgd._id, 'Active', new Date(Date.now() + 60_000));

    await b.worker.tick({ forceSync: true });

    const after = await versions(b);
    expect(new Set(after.keys())).toEqual(new Set(before.keys()));
    const changed = [...after].filter(([k, v]) => before.get(k)?.version !== v.version).map(([k]) => k);
    expect(changed).toEqual([changedInLgd._id]);
    expect(await b.tickets.get(decided._id)).toMatchObject({ state: 'approved_unassigned', decision: { kind: 'approved' } });
  });
});
