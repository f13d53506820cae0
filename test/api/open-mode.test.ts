/**
 * The whole app in open mode (no identity configured: the demo): it says so in one line, listens on
 * loopback, checks no tokens on any door, and lets the read API answer with or without a demo
 * person; `X-Demo-Person` naming someone the app does not know is refused.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.js';
import { searchInvoke, testUser } from '../support/teams-activities.js';
import { startTestApp } from '../support/test-app.js';
import type { RotaResponse } from '../../tab/src/api/contract.js';

const ann = testUser(1, 'Ann Lead', 'ann.lead@lgd.example');
const lines: { level: number; msg: string; mode?: string }[] = [];
let app: Awaited<ReturnType<typeof startTestApp>>;
let connector: RecordingConnector;

beforeAll(async () => {
  connector = await startRecordingConnector();
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as { level: number; msg: string }) });
  app = await startTestApp({ DEMO_REPLAY_SPEED: '0' }, { startWorker: false, logger });
  await app.repos.people.remember([{ id: ann.id, aadObjectId: ann.aadObjectId, name: ann.name, email: ann.email }]);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await connector?.close();
});

const get = async (path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> => {
  const res = await fetch(`${app.url}${path}`, { headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('open mode', () => {
  it('says so loudly in one line: no door checks tokens, loopback only', () => {
    const line = lines.find((l) => l.mode !== undefined);
    expect(line?.mode).toBe('open');
    expect(line?.level).toBe(40);
    expect(line?.msg).toContain('OPEN mode: no identity configured (MicrosoftAppId, MicrosoftAppTenantId, TAB_SSO_CLIENT_ID, BOT_DOMAIN), so no door checks tokens');
    expect(line?.msg).toContain(`listening on loopback only, 127.0.0.1:${app.port}`);
    expect(app.url).toBe(`http://127.0.0.1:${app.port}`);
  });

  it('answers the read API without a token or a demo person, and ignores an Authorization header', async () => {
    for (const path of ['/api/tickets?pageSize=1', '/api/backlog']) {
      expect((await get(path)).status, path).toBe(200);
      expect((await get(path, { authorization: 'Bearer forged.token.value' })).status, path).toBe(200);
    }
    expect((await get('/healthz')).status).toBe(200);
  });

  it('takes X-Demo-Person naming a known person, and refuses one naming nobody the app knows', async () => {
    expect((await get('/api/tickets', { 'x-demo-person': ann.email })).status).toBe(200);
    expect(await get('/api/backlog', { 'x-demo-person': 'nobody@lgd.example' })).toEqual({
      status: 401,
      body: { code: 'ChooseDemoPerson', message: 'X-Demo-Person names nobody the app knows: choose one of the demo people the app lists.' },
    });
    expect((await get('/api/tickets', { 'x-demo-person': 'not an address' })).status).toBe(401);
  });

  it('runs the bot on an activity without a token', async () => {
    const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(searchInvoke(connector.url, ann, 'dev')) });
    expect(res.status).toBe(200);
  });

  it("shows the demo's rota: the Operations Lead and two of the team's developers on support every working day", async () => {
    const res = await fetch(`${app.url}/api/rota`, { headers: { 'x-demo-person': ann.email } });
    expect(res.status).toBe(200);
    const rota = (await res.json()) as RotaResponse;
    const today = rota.today.date;
    const ahead = rota.days.filter((d) => d.date >= today);
    expect(ahead.length).toBeGreaterThan(0);
    for (const d of ahead) {
      if (!d.working) {
        expect(d.support, d.date).toBeNull();
        continue;
      }
      expect(d.lead?.email, d.date).toBeTruthy();
      expect(d.support?.length, d.date).toBe(2);
      expect(d.support?.map((p) => p.email), d.date).not.toContain(d.lead?.email);
      expect(d.gaps, d.date).toEqual([]);
    }
    // In turn: not the same two every day.
    const lists = new Set(ahead.filter((d) => d.working).map((d) => d.support?.map((p) => p.email).join(',')));
    if (ahead.filter((d) => d.working).length > 1) expect(lists.size).toBeGreaterThan(1);
  });
});
