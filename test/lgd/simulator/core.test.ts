import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLgdMapping } from '../../../bot/lgd/lgd-mapping.js';
import { startLgdSimulator, type LgdSimulator } from '../../../bot/lgd/simulator/lgd-simulator.js';
import { simHttp, type ObjectBody } from './sim-http.js';

const m = defaultLgdMapping;

describe('LGD simulator core: log-on, list, open, save', () => {
  let sim: LgdSimulator;
  let incKey: string;

  beforeAll(async () => {
    sim = await startLgdSimulator({ now: () => new Date('2019-02-14T11:05:06Z') });
    const g = sim.state.addGroup('LGSS-IT-Digital');
    const inc = sim.state.raiseIncident({ id: 40123, title: 'Outlook will not open', status: 'Active', groupKey: g.guid });
    incKey = inc.key;
  });
  afterAll(async () => {
    await sim.close();
  });

  it('prints a base URL under the app path on 127.0.0.1', () => {
    expect(sim.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ServiceDesk\.WebAccess$/);
  });

  it('logs on, lists, opens and adds a note over HTTP', async () => {
    const http = simHttp(sim.baseUrl);
    const logon = await http.logon();
    expect(await logon.json()).toEqual({ result: true });
    expect(logon.headers.get('set-cookie')).toMatch(/^ASP\.NET_SessionId=[a-z0-5]+; path=\/; HttpOnly$/);

    const list = await http.list({
      class_name: m.classes.incident,
      attributes: [m.incident.id, m.incident.status, m.incident.groupTitle, m.incident.lastUpdate].join(','),
    });
    expect(list.objects).toEqual([
      {
        className: m.classes.incident,
        value: incKey,
        name: 'Outlook will not open',
        attributes: { Id: '40123', 'Status.Title': 'Active', 'CurrentAssignment.Group.Title': 'LGSS-IT-Digital', LastUpdate: '14/02/2019 11:05:06' },
      },
    ]);

    const open = await http.get(m.paths.open, { class_name: m.classes.incident, key: incKey });
    expect(open.status).toBe(200);
    const obj = (await open.json()) as ObjectBody;
    expect(obj.attributes[m.incident.title]).toBe('Outlook will not open');

    const save = await http.post(m.paths.save, {
      class_name: m.classes.note,
      is_new: 'true',
      parent_class_name: m.classes.incident,
      parent_key: incKey,
      parent_function_name: m.actions.addNote,
      [m.note.title]: 'Approved',
      [m.note.text]: 'Approved by the manager',
    });
    expect(save.status).toBe(200);
    const note = (await save.json()) as ObjectBody;
    expect(note.className).toBe(m.classes.note);
    expect(note.attributes[m.note.text]).toBe('Approved by the manager');
    expect(sim.state.notesOf(incKey).map((n) => n.text)).toEqual(['Approved by the manager']);
  });
});
