/**
 * LGD (or a front end before it) answering 429 Too Many Requests is busy, not saying no: on the
 * log-on it must not stop the client as a refused service account, and on a write it must not be
 * a final refusal (the outbox would drop the write and tell the person LGD refused it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LgdAuthFailed, LgdRefused, LgdUnavailable } from '../../../bot/lgd/client/lgd-errors.js';
import { startLgdSimulator, type LgdSimulator } from '../../../bot/lgd/simulator/lgd-simulator.js';
import { retryAfterMs } from '../../../bot/lgd/client/lgd-http.js';
import { GROUP, makeClient, rejection, seedIncidents } from './client-harness.js';

describe('LGD answering 429', () => {
  let s: LgdSimulator;
  let incidentKey: string;
  beforeAll(async () => {
    s = await startLgdSimulator();
    incidentKey = seedIncidents(s.state, 2)[0]!.key;
  });
  afterAll(async () => {
    await s.close();
  });

  it('a 429 to the log-on is LGD being busy: LgdUnavailable, and the next call logs on by itself', async () => {
    const client = makeClient(s.baseUrl);
    s.setFaults({ throttleRate: 1, retryAfterSeconds: 2 });
    const err = await rejection(client.logon());
    s.setFaults({});
    expect(err).not.toBeInstanceOf(LgdAuthFailed);
    expect(err).toBeInstanceOf(LgdUnavailable);
    expect((err as LgdUnavailable).outcomeUnknown).toBe(false);
    expect((err as Error).message).toMatch(/429/);
    // Not stopped: the next call logs on again without anyone calling logon().
    expect((await client.listIncidents({ groups: [GROUP] })).length).toBe(2);
  });

  it('a 429 to a write is not a refusal: LgdUnavailable with nothing applied, and the write goes through later', async () => {
    const client = makeClient(s.baseUrl);
    await client.logon();
    const before = s.state.notesOf(incidentKey).length;
    s.setFaults({ throttleRate: 1 });
    const err = await rejection(client.addNote(incidentKey, { text: 'Approved', onBehalfOf: 'Jane Smith' }));
    s.setFaults({});
    expect(err).not.toBeInstanceOf(LgdRefused);
    expect(err).toBeInstanceOf(LgdUnavailable);
    expect((err as LgdUnavailable).outcomeUnknown).toBe(false);
    expect(s.state.notesOf(incidentKey).length).toBe(before);
    await client.addNote(incidentKey, { text: 'Approved', onBehalfOf: 'Jane Smith' });
    expect(s.state.notesOf(incidentKey).length).toBe(before + 1);
  });

  it('a 429 to a read is retried once like a 5xx', async () => {
    const client = makeClient(s.baseUrl);
    await client.logon();
    // One 429 then answers: the first request of the listing is throttled, its retry is not.
    s.setFaults({ throttleRate: 0.5, seed: 4 });
    let ok = 0;
    for (let i = 0; i < 10; i++) {
      try {
        await client.listIncidents({ groups: [GROUP] });
        ok++;
      } catch (err) {
        expect(err).toBeInstanceOf(LgdUnavailable);
      }
    }
    s.setFaults({});
    expect(s.stats.faults.throttle).toBeGreaterThan(0);
    expect(ok).toBeGreaterThan(0);
  });
});

describe('Retry-After', () => {
  let s: LgdSimulator;
  let incidentKey: string;
  beforeAll(async () => {
    s = await startLgdSimulator();
    incidentKey = seedIncidents(s.state, 1)[0]!.key;
  });
  afterAll(async () => {
    await s.close();
  });

  it('a 429 (or 503) carries how long LGD asked the app to wait', async () => {
    const client = makeClient(s.baseUrl);
    await client.logon();
    s.setFaults({ throttleRate: 1, retryAfterSeconds: 300 });
    const err = await rejection(client.addNote(incidentKey, { text: 'x', onBehalfOf: 'Jane Smith' }));
    s.setFaults({});
    expect(err).toBeInstanceOf(LgdUnavailable);
    expect((err as LgdUnavailable).retryAfterMs).toBe(300_000);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, caps at an hour, and ignores what it cannot read', () => {
    const now = new Date('2027-06-09T10:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7_000);
    expect(retryAfterMs('Wed, 09 Jun 2027 10:02:00 GMT', now)).toBe(120_000);
    expect(retryAfterMs('999999', now)).toBe(3_600_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('-5', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
