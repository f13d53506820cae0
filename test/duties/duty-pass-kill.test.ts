/**
 * `kill -9` of a duty pass while it sends its cards, then the operator runs it again
 * (`npm run duties -- --at …`, a real process on the app's embedded store; Teams is a recording
 * connector in this process whose every call takes a moment, so the kill lands mid-send): every
 * owner gets their card exactly once and none is missing once the second run has ended.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import { startLgdSimulator, type LgdSimulator } from '../../bot/lgd/simulator/lgd-simulator.js';
import type { PersonNotice } from '../../bot/store/notice-repository.js';
import { openStore } from '../../bot/store/open-store.js';
import { killAllStarted, startProcess, within } from '../support/app-process.js';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.js';
import { installInTeam, postActivity, testUser, type TestUser } from '../support/teams-activities.js';

const ann = testUser(40, 'Ann Lead', 'ann.lead@lgd.example');
/** Owners, each with one ticket; the first owns four (the Operations Lead hears of that too). */
const owners: TestUser[] = Array.from({ length: 7 }, (_, i) => testUser(41 + i, `Owner ${i + 1}`, `owner.${i + 1}@lgd.example`));
const AT = '2026-12-01T14:05:00Z'; // a Tuesday, after the 14:00 nudge

const dataDir = mkdtempSync(join(tmpdir(), 'lgd-duty-kill-'));
let sim: LgdSimulator;
let connector: RecordingConnector;
const env = (): Record<string, string> => ({
  DATA_DIR: dataDir,
  LGD_URL: sim.baseUrl,
  LGD_USERNAME: 'lgd.service',
  LGD_PASSWORD: 'lgd-simulator',
  LEADS: ann.email,
  LOG_LEVEL: 'info',
});

beforeAll(async () => {
  sim = await startLgdSimulator();
  const team = sim.state.addGroup('LGSS-IT-Digital');
  sim.state.addAnalyst({ name: 'ann.lead', title: ann.name, email: ann.email });
  owners.forEach((o, i) => {
    const analyst = sim.state.addAnalyst({ name: o.email.split('@')[0]!, title: o.name, email: o.email });
    for (let n = 0; n < (i === 0 ? 4 : 1); n++) {
      const inc = sim.state.raiseIncident({ title: `${o.name}'s ticket ${n}`, groupKey: team.guid, status: 'Active', raiseUser: 'Pat User', userKey: analyst.guid });
      sim.state.addNote(inc.key, { text: 'Approved', by: ann.name });
    }
  });
  connector = await startRecordingConnector({ roster: [ann, ...owners].map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name, email: u.email, userPrincipalName: u.email })) });
  // The app syncs the tickets (owned from Monday 30 Nov 2026 on its clock), is installed in the team (so it can reach everyone), and stops.
  const app = await startApp(loadConfig({ ...env(), PORT: '0', LOG_LEVEL: 'silent' }), pino({ level: 'silent' }), { startWorker: false, clock: () => new Date('2026-11-30T09:00:00Z') });
  try {
    await app.worker.tick({ forceSync: true });
    expect((await postActivity(app.url, installInTeam(connector.url, ann))).status).toBe(200);
    await app.repos.rota.set('2026-11-30', '2026-12-04', { email: ann.email, name: ann.name }, 'test');
  } finally {
    await app.close();
  }
}, 60_000);

afterAll(async () => {
  await killAllStarted();
  await connector?.close();
  await sim?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Whom each card sent into a 1:1 chat went to (botbuilder names the recipient in the activity). */
const personalSends = (from: number): string[] =>
  connector.calls
    .slice(from)
    .filter((c) => c.method === 'POST' && c.status < 300 && /\/v3\/conversations\/conv-[^/]+\/activities$/.test(c.path))
    .map((c) => (c.body as { recipient?: { id?: string } }).recipient?.id ?? '(no recipient)');

describe('a duty pass killed while it sends its cards', () => {
  it('sends every owner their card exactly once, none missing, when the operator runs it again', { timeout: 90_000 }, async () => {
    const before = connector.calls.length;
    connector.setLatency(200);
    const first = startProcess('bot/duties/run-duties.ts', env(), ['--at', AT]);
    const personal = () => personalSends(before).length;
    // Killed while a call to Teams travels (it never arrives): what Teams took before was recorded as sent.
    expect(await within(first, 45_000, () => personal() >= 3 && connector.inFlight() > 0), `the pass sent no cards; output:\n${first.output()}`).not.toBeNull();
    await first.kill9();
    const sentBeforeKill = personal();
    expect(sentBeforeKill).toBeLessThan(owners.length + 1);

    const second = startProcess('bot/duties/run-duties.ts', env(), ['--at', '2026-12-01T14:06:00Z']);
    await second.exited;
    expect(second.proc.exitCode, second.output()).toBe(0);
    console.info(`duty pass killed after ${sentBeforeKill} of ${owners.length + 1} cards; the run again said:\n${second.output().trim()}`);

    const store = await openStore({ dataDir, logger: pino({ level: 'silent' }) });
    try {
      const notices = await store.collection<PersonNotice>('person_notices').find({}).toArray();
      const duty = notices.filter((n) => n._id.startsWith('duty:'));
      // One nudge per owner and one overload report to the Operations Lead, every one sent.
      expect(duty.map((n) => n.to.name).sort()).toEqual([ann.name, ...owners.map((o) => o.name)].sort());
      expect(duty.filter((n) => n.status !== 'sent').map((n) => `${n.to.name}: ${n.status} ${n.lastError ?? ''}`)).toEqual([]);
    } finally {
      await store.close();
    }
    // Teams got each card once: one 1:1 send per person.
    expect(personalSends(before).sort()).toEqual([ann, ...owners].map((u) => u.id).sort());
  });
});
