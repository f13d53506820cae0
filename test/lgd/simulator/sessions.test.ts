import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLgdMapping } from '../../../bot/lgd/lgd-mapping.js';
import { startLgdSimulator, type LgdSimulator } from '../../../bot/lgd/simulator/lgd-simulator.js';
import { simHttp } from './sim-http.js';

const m = defaultLgdMapping;
const listParams = { class_name: m.classes.incident, attributes: m.incident.id };

describe('LGD simulator sessions', () => {
  let sim: LgdSimulator;
  let clock = new Date('2024-03-01T09:00:00Z');

  beforeAll(async () => {
    sim = await startLgdSimulator({ now: () => clock, sessionTtlMs: 60_000, username: 'svc', password: 'pw' });
    sim.state.raiseIncident({ title: 'One' });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('log-on with the configured credentials sets an HttpOnly session cookie and answers {result: true}', async () => {
    const http = simHttp(sim.baseUrl);
    const res = await http.logon('svc', 'pw');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ result: true });
    expect(res.headers.get('set-cookie')).toMatch(/ASP\.NET_SessionId=\w+; path=\/; HttpOnly/);
    expect((await http.get(m.paths.list, listParams)).status).toBe(200);
  });

  it('log-on failure answers 200 {result: false, message} and sets no cookie', async () => {
    const http = simHttp(sim.baseUrl);
    const res = await http.logon('svc', 'wrong');
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    const body = (await res.json()) as { result: boolean; message: string };
    expect(body.result).toBe(false);
    expect(body.message).toMatch(/incorrect/);
  });

  it('log-on without the JSON Accept header answers an HTML page', async () => {
    const http = simHttp(sim.baseUrl);
    const res = await http.post(m.paths.logon, { Ecom_User_ID: 'svc', Ecom_User_Password: 'wrong' }, {});
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('name="Ecom_User_ID"');
    expect(html).toContain('incorrect');
  });

  it('answers 403 without a session and with an unknown session cookie', async () => {
    const http = simHttp(sim.baseUrl);
    expect((await http.get(m.paths.list, listParams)).status).toBe(403);
    http.cookie = 'ASP.NET_SessionId=nosuchsession';
    expect((await http.get(m.paths.open, { class_name: m.classes.incident, key: 'x' })).status).toBe(403);
  });

  it('expireSessions() kills live sessions; a new log-on works again', async () => {
    const http = simHttp(sim.baseUrl);
    await http.logon('svc', 'pw');
    expect((await http.get(m.paths.list, listParams)).status).toBe(200);
    sim.expireSessions();
    expect((await http.get(m.paths.list, listParams)).status).toBe(403);
    await http.logon('svc', 'pw');
    expect((await http.get(m.paths.list, listParams)).status).toBe(200);
  });

  it('expires a session idle longer than sessionTtlMs, by the injected clock', async () => {
    const http = simHttp(sim.baseUrl);
    await http.logon('svc', 'pw');
    clock = new Date(clock.getTime() + 59_000);
    expect((await http.get(m.paths.list, listParams)).status).toBe(200);
    clock = new Date(clock.getTime() + 59_000); // idle time counts from the last request
    expect((await http.get(m.paths.list, listParams)).status).toBe(200);
    clock = new Date(clock.getTime() + 61_000);
    expect((await http.get(m.paths.list, listParams)).status).toBe(403);
  });

  it('logoff ends the session', async () => {
    const http = simHttp(sim.baseUrl);
    await http.logon('svc', 'pw');
    const res = await http.post(m.paths.logoff, {});
    expect(res.status).toBe(200);
    expect((await http.get(m.paths.list, listParams)).status).toBe(403);
  });

  it("session-gone form 'redirect': 302 to the log-on page", async () => {
    sim.setExpiredSessionResponse('redirect');
    try {
      const res = await simHttp(sim.baseUrl).get(m.paths.list, listParams);
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toMatch(/^\/ServiceDesk\.WebAccess\/wd\/Logon\/Logon\.rails\?ReturnUrl=/);
    } finally {
      sim.setExpiredSessionResponse('403');
    }
  });

  it("session-gone form 'html': 200 with the HTML log-on page although JSON was asked", async () => {
    sim.setExpiredSessionResponse('html');
    try {
      const res = await simHttp(sim.baseUrl).get(m.paths.list, listParams);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(await res.text()).toContain('Ecom_User_Password');
    } finally {
      sim.setExpiredSessionResponse('403');
    }
  });

  it('accepts controller paths with and without wd/, in any case', async () => {
    const http = simHttp(sim.baseUrl);
    await http.logon('svc', 'pw');
    for (const p of ['wd/query/list.rails', 'query/list.rails', 'WD/Query/List.rails', 'Query/LIST.rails']) {
      expect((await http.get(p, listParams)).status, p).toBe(200);
    }
    expect((await http.get('wd/query/nothing.rails', listParams)).status).toBe(404);
    expect((await http.get('wd/query/%E0%A4%A.rails', listParams)).status).toBe(404);
  });

  it('answers HTML without the JSON Accept header', async () => {
    const http = simHttp(sim.baseUrl);
    await http.logon('svc', 'pw');
    const res = await http.get(m.paths.list, listParams, {});
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/<table class="list">/);
  });

  it('changeTimeZone.rails is accepted with the mapping key', async () => {
    const http = simHttp(sim.baseUrl);
    await http.logon('svc', 'pw');
    const res = await http.get(m.paths.changeTimeZone, { key: m.timeZoneKey });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ result: true });
  });
});
