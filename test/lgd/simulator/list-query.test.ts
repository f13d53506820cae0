import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLgdMapping, lgdMappingSchema } from '../../../bot/lgd/lgd-mapping.js';
import { startLgdSimulator, type LgdSimulator } from '../../../bot/lgd/simulator/lgd-simulator.js';
import { simHttp, type SimHttp } from './sim-http.js';

const m = defaultLgdMapping;
const I = m.classes.incident;
const ids = (objs: { attributes: Record<string, string> }[]): number[] =>
  objs.map((o) => Number(o.attributes[m.incident.id])).sort((a, b) => a - b);

describe('LGD simulator list.rails', () => {
  let sim: LgdSimulator;
  let http: SimHttp;

  beforeAll(async () => {
    sim = await startLgdSimulator();
    const s = sim.state;
    const digital = s.addGroup('LGSS-IT-Digital');
    const desk = s.addGroup('Service Desk');
    const ana = s.addAnalyst({ name: 'ana.silva', title: 'Ana Silva', email: 'ana@example.invalid' });
    // 1..25: LastUpdate 2019-02-14 10:00 + i minutes (GMT in February); odd ids in Digital.
    for (let i = 1; i <= 25; i++) {
      const at = new Date(Date.UTC(2019, 1, 14, 10, i, 0));
      s.raiseIncident({
        id: i,
        title: i === 7 ? 'Outlook will not open' : `Ticket ${i}`,
        status: i % 5 === 0 ? 'Resolved' : i % 3 === 0 ? 'Active' : 'New',
        groupKey: i % 2 === 1 ? digital.guid : desk.guid,
        userKey: i === 3 ? ana.guid : null,
        at,
      });
    }
    const inc7 = s.requireIncident(7);
    s.addNote(inc7.key, { title: 'First', text: 'first note', at: new Date(Date.UTC(2019, 1, 14, 12, 0, 0)) });
    s.addNote(inc7.key, { title: 'Second', text: 'second note', notifyRaiseUser: true, at: new Date(Date.UTC(2019, 1, 14, 13, 0, 0)) });
    s.addNote(s.requireIncident(8).key, { title: 'Other', text: 'other ticket', at: new Date(Date.UTC(2019, 1, 14, 13, 0, 0)) });
    http = simHttp(sim.baseUrl);
    await http.logon();
  });
  afterAll(async () => {
    await sim.close();
  });

  it('cns e compares strings case-insensitively', async () => {
    const r = await http.list({ class_name: I, attributes: m.incident.id, cns: `${m.incident.groupTitle}-e-0`, c0: 'lgss-it-DIGITAL' });
    expect(ids(r.objects)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25]);
  });

  it('cns c is contains, case-insensitive', async () => {
    const r = await http.list({ class_name: I, attributes: m.incident.id, cns: `${m.incident.title}-c-0`, c0: 'OUTLOOK' });
    expect(ids(r.objects)).toEqual([7]);
  });

  it('cns gt / lt compare Id numerically', async () => {
    const r = await http.list({ class_name: I, attributes: m.incident.id, cns: `${m.incident.id}-gt-0_a_${m.incident.id}-lt-1`, c0: '9', c1: '12' });
    expect(ids(r.objects)).toEqual([10, 11]);
  });

  it('_a_ binds tighter than _o_', async () => {
    // Status=Resolved OR (Id<3 AND group=Digital): 5,10,15,20,25 and 1
    const r = await http.list({
      class_name: I,
      attributes: m.incident.id,
      cns: `${m.incident.status}-e-0_o_${m.incident.id}-lt-1_a_${m.incident.groupTitle}-e-2`,
      c0: 'Resolved',
      c1: '3',
      c2: 'LGSS-IT-Digital',
    });
    expect(ids(r.objects)).toEqual([1, 5, 10, 15, 20, 25]);
  });

  it('parentheses override precedence', async () => {
    // (Status=Resolved OR Id<3) AND group=Digital: 1, 5, 15, 25
    const r = await http.list({
      class_name: I,
      attributes: m.incident.id,
      cns: `(${m.incident.status}-e-0_o_${m.incident.id}-lt-1)_a_${m.incident.groupTitle}-e-2`,
      c0: 'Resolved',
      c1: '3',
      c2: 'LGSS-IT-Digital',
    });
    expect(ids(r.objects)).toEqual([1, 5, 15, 25]);
  });

  it('compares dates as instants parsed with the mapping date format', async () => {
    // 14/02/2019 10:20:00 → ids 21..25 are later; '9' < '10' as strings would fail this
    const r = await http.list({ class_name: I, attributes: m.incident.id, cns: `${m.incident.lastUpdate}-gt-0`, c0: '14/02/2019 10:20:00' });
    expect(ids(r.objects)).toEqual([21, 22, 23, 24, 25]);
    const early = await http.list({ class_name: I, attributes: m.incident.id, cns: `${m.incident.lastUpdate}-lt-0`, c0: '14/02/2019 10:03:00' });
    expect(ids(early.objects)).toEqual([1, 2]);
  });

  it('refuses a date in another format with an error message', async () => {
    const res = await http.get(m.paths.list, { class_name: I, attributes: m.incident.id, cns: `${m.incident.lastUpdate}-gt-0`, c0: '2019-02-14T10:20:00Z' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/not recognized as a valid DateTime/);
  });

  it('pages from 1: more than one page, a short last page, objectCount only when pageCount > 1', async () => {
    const base = { class_name: I, attributes: m.incident.id, page_size: '10' };
    const p1 = await http.list({ ...base, page: '1' });
    const p2 = await http.list({ ...base, page: '2' });
    const p3 = await http.list({ ...base, page: '3' });
    expect([p1.pageCount, p1.pageNumber, p1.pageSize, p1.objectCount, p1.objects.length]).toEqual([3, 1, 10, 25, 10]);
    expect(p2.objects).toHaveLength(10);
    expect([p3.pageNumber, p3.objects.length]).toEqual([3, 5]);
    expect(ids([...p1.objects, ...p2.objects, ...p3.objects])).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    const single = await http.list({ ...base, page_size: '100' });
    expect([single.pageCount, single.objectCount, single.objects.length]).toEqual([1, 0, 25]);
  });

  it('answers only strings: numbers, "True"/"False", "" for null, dates in the format', async () => {
    const r = await http.list({
      class_name: I,
      attributes: [m.incident.id, m.incident.userTitle, m.incident.lastUpdate].join(','),
      cns: `${m.incident.id}-e-0`,
      c0: '3',
    });
    expect(r.objects[0]?.attributes).toEqual({ Id: '3', 'CurrentAssignment.User.Title': 'Ana Silva', LastUpdate: '14/02/2019 10:03:00' });
    const r2 = await http.list({ class_name: I, attributes: m.incident.userTitle, cns: `${m.incident.id}-e-0`, c0: '4' });
    expect(r2.objects[0]?.attributes).toEqual({ 'CurrentAssignment.User.Title': '' });
    const notes = await http.list({ class_name: m.classes.note, attributes: m.note.notifyRaiseUser, cns: `${m.note.text}-c-0`, c0: 'note' });
    expect(notes.objects.map((o) => o.attributes[m.note.notifyRaiseUser]).sort()).toEqual(['False', 'True']);
    for (const v of Object.values(r.objects[0]?.attributes ?? {})) expect(typeof v).toBe('string');
  });

  it('Path:Label aliases a column and keys it by the label', async () => {
    const r = await http.list({ class_name: I, attributes: `${m.incident.id}:Number,${m.incident.status}`, cns: `${m.incident.id}-e-0`, c0: '5' });
    expect(r.objects[0]?.attributes).toEqual({ Number: '5', 'Status.Title': 'Resolved' });
  });

  it('ignores sort_by and returns a stable but unsorted order', async () => {
    const a = await http.list({ class_name: I, attributes: m.incident.id, sort_by: m.incident.id });
    const b = await http.list({ class_name: I, attributes: m.incident.id, sort_by: `${m.incident.id} desc` });
    const order = a.objects.map((o) => Number(o.attributes[m.incident.id]));
    expect(b.objects.map((o) => Number(o.attributes[m.incident.id]))).toEqual(order);
    const sorted = [...order].sort((x, y) => x - y);
    expect(order).not.toEqual(sorted);
    expect(order).not.toEqual([...sorted].reverse());
  });

  it('lists notes by their parent incident and by CreationDate', async () => {
    const inc7 = sim.state.requireIncident(7);
    const r = await http.list({
      class_name: m.classes.note,
      attributes: [m.note.title, m.note.text, m.note.creationDate].join(','),
      cns: `${m.note.parent}-e-0_a_${m.note.creationDate}-gt-1`,
      c0: inc7.key.toUpperCase(),
      c1: '14/02/2019 12:00:00',
    });
    expect(r.objects.map((o) => o.attributes)).toEqual([{ Title: 'Second', Text: 'second note', CreationDate: '14/02/2019 13:00:00' }]);
  });

  it('lists support groups, analysts and resolution categories with reference attributes', async () => {
    const r = m.reference;
    const groups = await http.list({ class_name: m.classes.supportGroup, attributes: `${r.title},${r.guid}` });
    expect(groups.objects.map((o) => o.attributes[r.title]).sort()).toEqual(['LGSS-IT-Digital', 'Service Desk']);
    expect(groups.objects[0]?.attributes[r.guid]).toBe(groups.objects[0]?.value);
    const analysts = await http.list({
      class_name: m.classes.analyst,
      attributes: [r.title, r.name, r.guid, r.email].join(','),
      cns: `${r.name}-e-0`,
      c0: 'ana.silva',
    });
    expect(analysts.objects[0]?.attributes).toMatchObject({ Title: 'Ana Silva', Name: 'ana.silva', EMailAddress: 'ana@example.invalid' });
    const cats = await http.list({ class_name: m.classes.resolutionCategory, attributes: r.title });
    expect(cats.objects.map((o) => o.attributes[r.title])).toContain('Fixed');
  });

  it('refuses an unknown class, an unknown attribute, a malformed cns and a missing value', async () => {
    const cases: Record<string, string>[] = [
      { class_name: 'No.Such.Class', attributes: 'Id' },
      { class_name: I, attributes: 'NoSuchAttribute' },
      { class_name: I, attributes: 'Id', cns: 'Id-zz-0', c0: '1' },
      { class_name: I, attributes: 'Id', cns: '(Id-e-0', c0: '1' },
      { class_name: I, attributes: 'Id', cns: 'Id-e-0_a_Id-e-1', c0: '1' },
    ];
    for (const params of cases) {
      const res = await http.get(m.paths.list, params);
      expect(res.status, JSON.stringify(params)).not.toBe(200);
      expect(typeof ((await res.json()) as { message: unknown }).message).toBe('string');
    }
  });

  it('opens one record with every incident attribute as a string; unknown key → 404 with a message', async () => {
    const inc = sim.state.requireIncident(3);
    const res = await http.get(m.paths.open, { class_name: I, key: inc.key });
    const body = (await res.json()) as { className: string; value: string; name: string; attributes: Record<string, string> };
    expect(body).toMatchObject({ className: I, value: inc.key, name: 'Ticket 3' });
    for (const path of Object.values(m.incident)) expect(typeof body.attributes[path], path).toBe('string');
    expect(body.attributes[m.incident.userKey]).toBe(sim.state.analystByName('ana.silva')?.guid);
    const missing = await http.get(m.paths.open, { class_name: I, key: '00000000-0000-0000-0000-000000000000' });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { message: string }).message).toMatch(/does not exist/);
  });
});

describe('LGD simulator with another date format', () => {
  it('renders and parses MM/dd/yyyy HH:mm in the mapping time zone', async () => {
    const mapping = lgdMappingSchema.parse({ dateFormat: 'MM/dd/yyyy HH:mm', timeZone: 'America/New_York' });
    const sim = await startLgdSimulator({ mapping });
    try {
      sim.state.raiseIncident({ id: 1, title: 'a', at: new Date('2024-07-04T14:30:45Z') });
      sim.state.raiseIncident({ id: 2, title: 'b', at: new Date('2024-07-04T15:30:00Z') });
      const http = simHttp(sim.baseUrl, mapping);
      await http.logon();
      const all = await http.list({ class_name: I, attributes: `${m.incident.id},${m.incident.lastUpdate}` });
      expect(all.objects.find((o) => o.attributes.Id === '1')?.attributes.LastUpdate).toBe('07/04/2024 10:30');
      // 10:30 local (EDT) = 14:30Z; incident 1 at 14:30:45Z is later by seconds though it renders equal
      const gt = await http.list({ class_name: I, attributes: m.incident.id, cns: `${m.incident.lastUpdate}-gt-0`, c0: '07/04/2024 10:30' });
      expect(ids(gt.objects)).toEqual([1, 2]);
      const eq = await http.list({ class_name: I, attributes: m.incident.id, cns: `${m.incident.lastUpdate}-e-0`, c0: '07/04/2024 10:30' });
      expect(ids(eq.objects)).toEqual([1]);
      const bad = await http.get(m.paths.list, { class_name: I, attributes: 'Id', cns: `${m.incident.lastUpdate}-gt-0`, c0: '04/07/2024 10:30:00' });
      expect(bad.status).toBe(400);
    } finally {
      await sim.close();
    }
  });
});

describe('LGD simulator date comparison across a month boundary', () => {
  it('is by instant, not by string (01/03 is after 28/02)', async () => {
    const sim = await startLgdSimulator();
    try {
      sim.state.raiseIncident({ id: 1, title: 'feb', at: new Date('2019-02-28T10:00:00Z') });
      sim.state.raiseIncident({ id: 2, title: 'mar', at: new Date('2019-03-01T09:00:00Z') });
      const http = simHttp(sim.baseUrl);
      await http.logon();
      const gt = await http.list({ class_name: I, attributes: m.incident.id, cns: `${m.incident.creationDate}-gt-0`, c0: '28/02/2019 12:00:00' });
      expect(ids(gt.objects)).toEqual([2]);
      const lt = await http.list({ class_name: I, attributes: m.incident.id, cns: `${m.incident.creationDate}-lt-0`, c0: '28/02/2019 12:00:00' });
      expect(ids(lt.objects)).toEqual([1]);
    } finally {
      await sim.close();
    }
  });
});
