import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LgdClient } from '../../../bot/lgd/client/lgd-client.js';
import {
  LgdAuthFailed,
  LgdBadResponse,
  LgdRefused,
  LgdUnavailable,
} from '../../../bot/lgd/client/lgd-errors.js';
import { lgdMappingSchema } from '../../../bot/lgd/lgd-mapping.js';
import { startLgdSimulator, type LgdSimulator, type LgdSimulatorOptions } from '../../../bot/lgd/simulator/lgd-simulator.js';
import {
  GROUP,
  PASSWORD,
  USERNAME,
  captureLogger,
  count,
  makeClient,
  mappingWithPageSize,
  recordingFetch,
  rejection,
  seedIncidents,
} from './client-harness.js';

const sims: LgdSimulator[] = [];
async function sim(opts: LgdSimulatorOptions = {}): Promise<LgdSimulator> {
  const s = await startLgdSimulator(opts);
  sims.push(s);
  return s;
}
afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
});

describe('log-on', () => {
  let s: LgdSimulator;
  beforeAll(async () => {
    s = await sim();
    s.state.addGroup(GROUP);
  });

  it('logs on lazily once, sets the time zone, and carries the session cookie', async () => {
    const rec = recordingFetch();
    const client = makeClient(s.baseUrl, { fetch: rec.fetch });
    const [a, b] = await Promise.all([client.listSupportGroups(), client.listSupportGroups()]);
    expect(a.map((g) => g.title)).toContain(GROUP);
    expect(b).toEqual(a);
    expect(count(rec.sent, 'logon/logon.rails')).toBe(1);
    const tz = rec.sent.find((r) => r.path.endsWith('changetimezone.rails'));
    expect(tz?.url.searchParams.get('key')).toBe('GMT Standard Time');
    const logon = rec.sent.find((r) => r.path.endsWith('logon/logon.rails'));
    expect(new URLSearchParams(logon?.body).get('Ecom_User_ID')).toBe(USERNAME);
  });

  it('logs off, and the next call logs on again', async () => {
    const rec = recordingFetch();
    const client = makeClient(s.baseUrl, { fetch: rec.fetch });
    await client.logon();
    await client.logoff();
    await client.listSupportGroups();
    expect(count(rec.sent, 'logon/logon.rails')).toBe(2);
    expect(count(rec.sent, 'logon/logoff.rails')).toBe(1);
  });

  it('stops on a wrong password with LGD\'s message after exactly one attempt, and never logs the password', async () => {
    const secret = 'Zebra-pw-9731';
    const rec = recordingFetch();
    const { logger, lines } = captureLogger();
    const client = makeClient(s.baseUrl, { fetch: rec.fetch, password: secret, logger });
    const err = await rejection(client.listIncidents({ groups: [GROUP] }));
    expect(err).toBeInstanceOf(LgdAuthFailed);
    expect((err as LgdAuthFailed).code).toBe('LGD_AUTH_FAILED');
    expect((err as LgdAuthFailed).lgdMessage).toBe('The user name or password is incorrect.');
    expect((err as LgdAuthFailed).userMessage).toMatch(/LGD_PASSWORD/);
    const again = await rejection(client.addNote('00000000-0000-4000-8000-000000000000', { text: 'x', onBehalfOf: 'Jane' }));
    expect(again).toBe(err);
    expect(rec.sent).toHaveLength(1);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(secret);
    expect(JSON.stringify(err)).not.toContain(secret);
    expect(String((err as Error).message)).not.toContain(secret);
    // An explicit logon() tries again (once).
    await expect(client.logon()).rejects.toBeInstanceOf(LgdAuthFailed);
    expect(rec.sent).toHaveLength(2);
  });
});

describe('session expiry', () => {
  let s: LgdSimulator;
  let incidentKey: string;
  beforeAll(async () => {
    s = await sim();
    incidentKey = seedIncidents(s.state, 3)[0]!.key;
  });
  afterEach(() => s.setExpiredSessionResponse('403'));

  for (const mode of ['403', 'redirect', 'html'] as const) {
    it(`logs on again and retries a read once when the session is gone (${mode})`, async () => {
      s.setExpiredSessionResponse(mode);
      const rec = recordingFetch();
      const client = makeClient(s.baseUrl, { fetch: rec.fetch });
      expect(await client.listIncidents({ groups: [GROUP] })).toHaveLength(3);
      s.expireSessions();
      expect(await client.listIncidents({ groups: [GROUP] })).toHaveLength(3);
      expect(count(rec.sent, 'logon/logon.rails')).toBe(2);
      expect(count(rec.sent, 'query/list.rails')).toBe(3);
    });

    it(`logs on again and retries a write once when the session is gone (${mode}); the write lands once`, async () => {
      s.setExpiredSessionResponse(mode);
      const rec = recordingFetch();
      const client = makeClient(s.baseUrl, { fetch: rec.fetch });
      await client.logon();
      s.expireSessions();
      const text = `Session test ${mode}`;
      await client.addNote(incidentKey, { text, onBehalfOf: 'Jane Smith' });
      expect(s.state.notesOf(incidentKey).filter((n) => n.text.startsWith(text))).toHaveLength(1);
      expect(count(rec.sent, 'logon/logon.rails')).toBe(2);
      expect(count(rec.sent, 'object/save.rails')).toBe(2);
    });
  }

  it('raises instead of looping when the session is gone again right after logging on', async () => {
    const rec = recordingFetch((r) => {
      if (r.path.endsWith('list.rails')) s.expireSessions();
    });
    const client = makeClient(s.baseUrl, { fetch: rec.fetch });
    const err = await rejection(client.listIncidents());
    expect(err).toBeInstanceOf(LgdUnavailable);
    expect((err as Error).message).toContain('session ended again');
    expect(count(rec.sent, 'logon/logon.rails')).toBe(2);
    expect(count(rec.sent, 'query/list.rails')).toBe(2);
  });
});

describe('paging', () => {
  let s: LgdSimulator;
  beforeAll(async () => {
    s = await sim();
    seedIncidents(s.state, 30, { firstId: 1 });
    seedIncidents(s.state, 5, { group: 'Service Desk', firstId: 101 });
    seedIncidents(s.state, 28, { group: 'Exact Pages', firstId: 201 });
  });

  it('pages to the end (7 per page, 30 incidents), each returned once whatever the server order', async () => {
    const rec = recordingFetch();
    const client = makeClient(s.baseUrl, { fetch: rec.fetch, mapping: mappingWithPageSize(7) });
    const list = await client.listIncidents({ groups: [GROUP] });
    expect(list.map((i) => i.id)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(new Set(list.map((i) => i.key)).size).toBe(30);
    const pages = rec.sent.filter((r) => r.path.endsWith('list.rails'));
    expect(pages.map((r) => r.url.searchParams.get('page'))).toEqual(['1', '2', '3', '4', '5']);
    expect(pages.every((r) => r.url.searchParams.get('page_size') === '7')).toBe(true);
    expect(list[0]).toMatchObject({ title: 'Ticket 1 of LGSS-IT-Digital', status: 'Active', groupTitle: GROUP, raiseUser: 'Sam Jones' });
    expect(list[0]!.lastUpdate.toISOString()).toBe('2026-06-01T09:00:00.000Z');
  });

  it('stops at the reported last page when the count is an exact multiple', async () => {
    const rec = recordingFetch();
    const client = makeClient(s.baseUrl, { fetch: rec.fetch, mapping: mappingWithPageSize(7) });
    expect(await client.listIncidents({ groups: ['Exact Pages'] })).toHaveLength(28);
    expect(count(rec.sent, 'query/list.rails')).toBe(4);
  });

  it('sorts by ticket number although the server answers in a scrambled order', async () => {
    const headers = { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' };
    const logon = await fetch(`${s.baseUrl}/wd/Logon/Logon.rails`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ Ecom_User_ID: USERNAME, Ecom_User_Password: PASSWORD }).toString(),
    });
    const cookie = (logon.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    const qs = new URLSearchParams({ class_name: 'IncidentManagement.Incident', attributes: 'Id', page_size: '100', page: '1' });
    const res = await fetch(`${s.baseUrl}/wd/query/list.rails?${qs.toString()}`, { headers: { ...headers, Cookie: cookie } });
    const body = (await res.json()) as { objects: { attributes: { Id: string } }[] };
    const serverOrder = body.objects.map((o) => Number(o.attributes.Id));
    expect(serverOrder).not.toEqual([...serverOrder].sort((a, b) => a - b));
    const ids = (await makeClient(s.baseUrl).listIncidents()).map((i) => i.id);
    expect(ids).toEqual([...serverOrder].sort((a, b) => a - b));
  });

  it('gives up on a listing that never ends', async () => {
    const client = makeClient(s.baseUrl, { mapping: mappingWithPageSize(7), maxPages: 2 });
    const err = await rejection(client.listIncidents({ groups: [GROUP] }));
    expect(err).toBeInstanceOf(LgdBadResponse);
    expect((err as Error).message).toContain('did not end within 2 pages');
  });
});

describe('filters, single records, notes and reference data', () => {
  let s: LgdSimulator;
  let client: LgdClient;
  const from = new Date('2026-06-01T09:00:00Z');
  beforeAll(async () => {
    s = await sim();
    seedIncidents(s.state, 20, { from, firstId: 1 });
    seedIncidents(s.state, 4, { group: 'Service Desk', from, firstId: 51 });
    seedIncidents(s.state, 3, { group: 'Networks', from, firstId: 71, status: 'Resolved' });
    s.state.addAnalyst({ name: 'jane.smith', title: 'Jane Smith', email: 'jane.smith@example.org' });
    client = makeClient(s.baseUrl, { mapping: mappingWithPageSize(5) });
  });

  it('filters by any of several groups', async () => {
    const list = await client.listIncidents({ groups: [GROUP, 'Service Desk'] });
    expect(list).toHaveLength(24);
    expect(new Set(list.map((i) => i.groupTitle))).toEqual(new Set([GROUP, 'Service Desk']));
  });

  it('filters by LastUpdate strictly after an instant, in the session\'s zone', async () => {
    const since = new Date(from.getTime() + 15 * 60_000);
    const list = await client.listIncidents({ groups: [GROUP], changedSince: since });
    expect(list.map((i) => i.id)).toEqual([17, 18, 19, 20]);
    expect(list.every((i) => i.lastUpdate > since)).toBe(true);
  });

  it('matches nothing for an empty group list, without asking LGD', async () => {
    expect(await client.listIncidents({ groups: [] })).toEqual([]);
    expect(await client.listIncidents({ status: [] })).toEqual([]);
  });

  it('filters by status and extra conditions', async () => {
    expect((await client.listIncidents({ status: 'Resolved' })).map((i) => i.id)).toEqual([71, 72, 73]);
    const extra = await client.listIncidents({ extraConditions: [{ path: 'Title', op: 'c', value: 'of Service Desk' }] });
    expect(extra.map((i) => i.id)).toEqual([51, 52, 53, 54]);
  });

  it('opens one incident; an unknown key is refused with LGD\'s message', async () => {
    const inc = s.state.incidentById(3)!;
    const opened = await client.openIncident(inc.key.toUpperCase());
    expect(opened).toMatchObject({ key: inc.key, id: 3, groupTitle: GROUP, status: 'Active' });
    const err = await rejection(client.openIncident('00000000-0000-4000-8000-00000000abcd'));
    expect(err).toBeInstanceOf(LgdRefused);
    expect((err as LgdRefused).lgdMessage).toContain('does not exist');
  });

  it('lists the notes of a ticket and notes created since an instant', async () => {
    const a = s.state.incidentById(1)!;
    const b = s.state.incidentById(2)!;
    s.state.addNote(a.key, { title: 'First', text: 'first note', by: 'Jane Smith', at: new Date('2026-06-02T10:00:00Z') });
    s.state.addNote(a.key, { title: 'Update', text: 'you will hear soon', notifyRaiseUser: true, at: new Date('2026-06-02T11:00:00Z') });
    s.state.addNote(b.key, { title: 'Other', text: 'other ticket', at: new Date('2026-06-03T10:00:00Z') });
    const ofA = await client.listNotes({ incidentKey: a.key });
    expect(ofA.map((n) => n.text)).toEqual(['first note', 'you will hear soon']);
    expect(ofA[0]).toMatchObject({ incidentKey: a.key, title: 'First', createdBy: 'Jane Smith', notifyRaiseUser: false });
    expect(ofA[1]!.notifyRaiseUser).toBe(true);
    const since = await client.listNotes({ createdSince: new Date('2026-06-02T10:30:00Z') });
    expect(since.map((n) => n.text)).toEqual(['you will hear soon', 'other ticket']);
  });

  it('lists support groups, analysts and resolution categories', async () => {
    expect((await client.listSupportGroups()).map((g) => g.title)).toEqual([GROUP, 'Networks', 'Service Desk']);
    const analysts = await client.listAnalysts();
    expect(analysts).toContainEqual(expect.objectContaining({ name: 'jane.smith', title: 'Jane Smith', email: 'jane.smith@example.org' }));
    expect((await client.listResolutionCategories()).map((c) => c.title)).toEqual(['Advice given', 'Duplicate', 'Fixed', 'No fault found']);
  });
});

describe('actions', () => {
  let s: LgdSimulator;
  beforeAll(async () => {
    s = await sim();
    seedIncidents(s.state, 12, { firstId: 1 });
    s.state.addGroup('Networks');
    s.state.addAnalyst({ name: 'lgd.service', title: 'LGD Service Account' });
    s.state.addAnalyst({ name: 'jane.smith', title: 'Jane Smith' });
  });

  for (const writeForm of ['collection', 'two-step'] as const) {
    describe(`(${writeForm} form)`, () => {
      const base = writeForm === 'collection' ? 1 : 6;
      const client = (): LgdClient => makeClient(s.baseUrl, { writeForm });

      it('AddNote writes the text with whom it acts for, as the service account', async () => {
        const inc = s.state.incidentById(base)!;
        const r = await client().addNote(inc.key, { text: 'Approved', onBehalfOf: 'Jane Smith' });
        const notes = s.state.notesOf(inc.key);
        expect(notes).toHaveLength(1);
        expect(notes[0]).toMatchObject({ key: r.key, title: 'Approved', text: 'Approved — Jane Smith via Teams', notifyRaiseUser: false });
        expect(notes[0]!.creationUser).toBe('LGD Service Account');
      });

      it('AddAssignment to a group, then to a group and a person', async () => {
        const inc = s.state.incidentById(base + 1)!;
        const networks = s.state.groupByTitle('Networks')!;
        const jane = s.state.analystByName('jane.smith')!;
        await client().addAssignment(inc.key, { groupKey: networks.guid, description: 'Needs a network engineer', onBehalfOf: 'Jane Smith' });
        expect(s.state.incident(inc.key)).toMatchObject({ groupKey: networks.guid, userKey: null });
        await client().addAssignment(inc.key, { groupKey: networks.guid, userKey: jane.guid, description: 'Taken', onBehalfOf: 'Jane Smith' });
        expect(s.state.incident(inc.key)).toMatchObject({ groupKey: networks.guid, userKey: jane.guid });
        expect(s.state.assignmentsOf(inc.key).map((a) => a.description)).toEqual([
          'Needs a network engineer — Jane Smith via Teams',
          'Taken — Jane Smith via Teams',
        ]);
        const opened = await client().openIncident(inc.key);
        expect(opened).toMatchObject({ groupTitle: 'Networks', userTitle: 'Jane Smith' });
      });

      it('Resolve with a category', async () => {
        const inc = s.state.incidentById(base + 2)!;
        const fixed = s.state.resolutionCategoryByTitle('Fixed')!;
        await client().resolve(inc.key, { categoryKey: fixed.guid, description: 'Password reset', onBehalfOf: 'Jane Smith' });
        expect(s.state.incident(inc.key)?.status).toBe('Resolved');
        expect(s.state.resolutionsOf(inc.key)).toEqual([
          // The customer reads it: the text and one sign-off, nothing internal.
          expect.objectContaining({ categoryKey: fixed.guid, description: 'Password reset\n\n— Jane Smith, LGSS IT Digital' }),
        ]);
      });

      it('updates the end user with a note the raise user sees', async () => {
        const inc = s.state.incidentById(base + 3)!;
        await client().updateEndUser(inc.key, { text: 'We are on it', onBehalfOf: 'Jane Smith' });
        expect(s.state.notesOf(inc.key)).toEqual([
          expect.objectContaining({ text: 'We are on it\n\n— Jane Smith, LGSS IT Digital', notifyRaiseUser: true }),
        ]);
      });

      it('is refused at the wrong status with LGD\'s message, and nothing is written', async () => {
        const inc = s.state.incidentById(base + 4)!;
        s.state.setStatus(inc.key, 'Resolved');
        const fixed = s.state.resolutionCategoryByTitle('Fixed')!;
        const err = await rejection(client().resolve(inc.key, { categoryKey: fixed.guid, description: 'again', onBehalfOf: 'Jane Smith' }));
        expect(err).toBeInstanceOf(LgdRefused);
        expect((err as LgdRefused).lgdMessage).toBe("The action 'Resolve' is not available for IncidentManagement.Incident " + inc.id + " in status 'Resolved'.");
        expect((err as LgdRefused).retryable).toBe(false);
        expect(s.state.resolutionsOf(inc.key)).toHaveLength(0);
      });
    });
  }

  it('serialises writes: one at a time per client', async () => {
    let inFlight = 0;
    let most = 0;
    const client = makeClient(s.baseUrl, {
      fetch: async (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        const isWrite = init?.method === 'POST' && url.toLowerCase().includes('save.rails');
        if (isWrite) most = Math.max(most, ++inFlight);
        try {
          await new Promise((r) => setTimeout(r, 10));
          return await fetch(input, init);
        } finally {
          if (isWrite) inFlight--;
        }
      },
    });
    const inc = s.state.incidentById(11)!;
    await Promise.all(Array.from({ length: 5 }, (_, i) => client.addNote(inc.key, { text: `Note ${i}`, onBehalfOf: 'Jane Smith' })));
    expect(most).toBe(1);
    expect(s.state.notesOf(inc.key)).toHaveLength(5);
  });

  it('follows the mapping\'s action and field names', async () => {
    const mapping = lgdMappingSchema.parse({ actions: { endUserUpdate: 'UpdateCustomer' }, note: { notifyRaiseUser: '_Publish' } });
    const custom = await sim({ mapping });
    const inc = seedIncidents(custom.state, 1)[0]!;
    const rec = recordingFetch();
    await makeClient(custom.baseUrl, { mapping, fetch: rec.fetch }).updateEndUser(inc.key, { text: 'Hello', onBehalfOf: 'Jane Smith' });
    const form = new URLSearchParams(rec.sent.find((r) => r.path.endsWith('save.rails'))?.body);
    expect(form.get('parent_function_name')).toBe('UpdateCustomer');
    expect(form.get('_Publish')).toBe('True');
    expect(custom.state.notesOf(inc.key)[0]?.notifyRaiseUser).toBe(true);
  });
});
