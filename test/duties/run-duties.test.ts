/**
 * `npm run duties -- --at <ISO> [--dry-run]` against a configured embedded store: refused with a
 * clear message while the app holds the store, a dry run says who would get what and sends
 * nothing, a real run queues the cards once, and a second run finds nothing new.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import { startLgdSimulator, type LgdSimulator } from '../../bot/lgd/simulator/lgd-simulator.js';
import type { PersonNotice } from '../../bot/store/notice-repository.js';
import { openStore } from '../../bot/store/open-store.js';

const dataDir = mkdtempSync(join(tmpdir(), 'lgd-duties-'));
let sim: LgdSimulator;
let app: RunningApp | null = null;
const env = (): Record<string, string> => ({
  DATA_DIR: dataDir,
  LGD_URL: sim.baseUrl,
  LGD_USERNAME: 'lgd.service',
  LGD_PASSWORD: 'lgd-simulator',
  LEADS: 'ann.lead@lgd.example',
  LOG_LEVEL: 'error',
});

/** Runs the command; its exit code and output. */
function duties(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'bot/duties/run-duties.ts', ...args], { env: { ...process.env, ...env() }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout, err: stderr });
    });
  });
}

beforeAll(async () => {
  sim = await startLgdSimulator();
  const team = sim.state.addGroup('LGSS-IT-Digital');
  const dev = sim.state.addAnalyst({ name: 'dev.one', title: 'Dev One', email: 'dev.one@lgd.example' });
  sim.state.addAnalyst({ name: 'ann.lead', title: 'Ann Lead', email: 'ann.lead@lgd.example' });
  for (const n of [1, 2]) {
    const inc = sim.state.raiseIncident({ title: `Ticket ${n}`, groupKey: team.guid, status: 'Active', raiseUser: 'Pat User', userKey: dev.guid });
    sim.state.addNote(inc.key, { text: 'Approved', by: 'Ann Lead' });
  }
  // The app syncs the tickets (owned from Monday 30 Nov 2026 09:00 on its clock) and knows the people.
  app = await startApp(loadConfig({ ...env(), PORT: '0', LOG_LEVEL: 'silent' }), pino({ level: 'silent' }), { startWorker: false, clock: () => new Date('2026-11-30T09:00:00Z') });
  await app.worker.tick({ forceSync: true });
  await app.repos.people.remember([
    { id: '29:dev-one', aadObjectId: '00000000-0000-4000-8000-000000000001', name: 'Dev One', email: 'dev.one@lgd.example' },
    { id: '29:ann-lead', aadObjectId: '00000000-0000-4000-8000-000000000002', name: 'Ann Lead', email: 'ann.lead@lgd.example' },
  ]);
  await app.repos.rota.set('2026-11-30', '2026-12-04', { email: 'ann.lead@lgd.example', name: 'Ann Lead' }, 'test');
}, 60_000);

afterAll(async () => {
  await app?.close();
  await sim?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run duties', () => {
  it('refuses bad arguments, saying how to call it', async () => {
    const r = await duties('--at', 'tuesday');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--at must be an ISO date-time with its zone/);
    expect(r.err).toMatch(/usage: npm run duties -- --at/);
  }, 60_000);

  it('says to stop the app first while it holds the embedded store', async () => {
    const r = await duties('--at', '2026-12-01T14:05:00Z', '--dry-run');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/The app is running on this store: stop it first/);
  }, 60_000);

  it('with the app stopped: a dry run says who would get what and sends nothing; a run queues once; a second run finds nothing new', async () => {
    await app!.close();
    app = null;
    const dry = await duties('--at', '2026-12-01T14:05:00Z', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('Duties for 2026-12-01');
    expect(dry.out).toMatch(/dry_run\s+update_nudge\s+→ Dev One: update the user: LGD \d+, LGD \d+/);

    const run = await duties('--at', '2026-12-01T14:05:00Z');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/queued\s+update_nudge\s+→ Dev One/);
    // Nobody has a conversation with the bot in this store: Dev One's card and the lead's message
    // instead are recorded as not deliverable, and not retried.
    expect(run.out).toMatch(/sent 0, to retry 0 \(the app's worker retries them\), unreachable 2/);

    const again = await duties('--at', '2026-12-01T14:30:00Z');
    expect(again.code).toBe(0);
    expect(again.out).toContain('nothing new: every pass due was done already');

    const store = await openStore({ dataDir, logger: pino({ level: 'silent' }) });
    try {
      const notices = await store.collection<PersonNotice>('person_notices').find({}).toArray();
      expect(notices.filter((n) => n._id.includes('update_nudge')).map((n) => n.to.name).sort()).toEqual(['Ann Lead', 'Dev One']);
    } finally {
      await store.close();
    }
  }, 120_000);
});
