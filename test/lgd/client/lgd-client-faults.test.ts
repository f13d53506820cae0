import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LgdBadResponse, LgdUnavailable } from '../../../bot/lgd/client/lgd-errors.js';
import { lgdMappingSchema } from '../../../bot/lgd/lgd-mapping.js';
import { startLgdSimulator, type LgdSimulator, type LgdSimulatorOptions } from '../../../bot/lgd/simulator/lgd-simulator.js';
import { GROUP, captureLogger, count, makeClient, mappingWithPageSize, recordingFetch, rejection, seedIncidents } from './client-harness.js';

const sims: LgdSimulator[] = [];
async function sim(opts: LgdSimulatorOptions = {}): Promise<LgdSimulator> {
  const s = await startLgdSimulator(opts);
  sims.push(s);
  return s;
}

let own: Server;
let ownUrl = '';
/** What the tiny server answers to list.rails and save.rails, set per test. */
let listBody = '';
/** When set, answers list.rails per page instead of listBody. */
let listPage: ((page: number) => string) | null = null;
let saveBody = '';

function ownHandler(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname.toLowerCase();
  req.resume();
  req.on('end', () => {
    if (path.endsWith('/logon/logon.rails')) {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Set-Cookie': 'ASP.NET_SessionId=own; path=/' });
      res.end('{"result":true}');
    } else if (path.endsWith('/changetimezone.rails')) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"result":true}');
    } else if (path.endsWith('/list.rails')) {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(listPage ? listPage(Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page'))) : listBody);
    } else if (path.endsWith('/save.rails')) {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(saveBody);
    } else {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end('{"message":"not here"}');
    }
  });
}

beforeAll(async () => {
  own = createServer(ownHandler);
  await new Promise<void>((resolve) => own.listen(0, '127.0.0.1', resolve));
  ownUrl = `http://127.0.0.1:${(own.address() as AddressInfo).port}/ServiceDesk.WebAccess`;
});

afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
  own.closeAllConnections();
  await new Promise<void>((resolve, reject) => own.close((err) => (err ? reject(err) : resolve())));
});

describe('faults of the simulator', () => {
  let s: LgdSimulator;
  let incidentKey: string;
  beforeAll(async () => {
    s = await sim();
    incidentKey = seedIncidents(s.state, 3)[0]!.key;
  });

  /** A logged-on client whose later requests meet `faults`. */
  async function clientWithFaults(faults: Parameters<LgdSimulator['setFaults']>[0], timeoutMs = 5_000) {
    s.setFaults({});
    const rec = recordingFetch();
    const client = makeClient(s.baseUrl, { fetch: rec.fetch, timeoutMs });
    await client.logon();
    s.setFaults(faults);
    return { client, rec };
  }

  it('a 5xx HTML error page is LgdUnavailable with its exceptionMessage; a read is retried once', async () => {
    const { client, rec } = await clientWithFaults({ errorRate: 1 });
    const err = await rejection(client.listIncidents({ groups: [GROUP] }));
    expect(err).toBeInstanceOf(LgdUnavailable);
    expect((err as LgdUnavailable).code).toBe('LGD_UNAVAILABLE');
    expect((err as Error).message).toContain('An injected server error occurred (simulator fault).');
    expect([500, 503]).toContain((err as LgdUnavailable).status);
    expect(count(rec.sent, 'list.rails')).toBe(2);
  });

  it('a 5xx on a write is LgdUnavailable, not resent, outcome known', async () => {
    const { client, rec } = await clientWithFaults({ errorRate: 1 });
    const err = await rejection(client.addNote(incidentKey, { text: 'x', onBehalfOf: 'Jane Smith' }));
    expect(err).toBeInstanceOf(LgdUnavailable);
    expect((err as LgdUnavailable).outcomeUnknown).toBe(false);
    expect(count(rec.sent, 'save.rails')).toBe(1);
  });

  it('an answer slower than the timeout is LgdUnavailable', async () => {
    const { client, rec } = await clientWithFaults({ latencyMs: 400 }, 100);
    const t0 = Date.now();
    const err = await rejection(client.listSupportGroups());
    expect(err).toBeInstanceOf(LgdUnavailable);
    expect((err as Error).message).toContain('no answer within 100 ms');
    expect((err as Error).message).toContain('GET wd/query/list.rails?class_name=System.SupportGroup');
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(count(rec.sent, 'list.rails')).toBe(2);
  });

  it('a dropped connection is LgdUnavailable', async () => {
    const { client } = await clientWithFaults({ dropRate: 1 });
    const err = await rejection(client.listIncidents());
    expect(err).toBeInstanceOf(LgdUnavailable);
    expect((err as Error).message).toMatch(/connection failed/);
  });

  it('a read whose connection drops once is retried once and succeeds', async () => {
    s.setFaults({});
    let lists = 0;
    const rec = recordingFetch((r) => {
      if (r.path.endsWith('list.rails')) s.setFaults(++lists === 1 ? { dropRate: 1 } : {});
    });
    const groups = await makeClient(s.baseUrl, { fetch: rec.fetch }).listSupportGroups();
    expect(groups.map((g) => g.title)).toContain(GROUP);
    expect(lists).toBe(2);
  });

  it('a write applied and then dropped is LgdUnavailable with outcomeUnknown, and is not resent', async () => {
    const { client, rec } = await clientWithFaults({ applyThenDropRate: 1 });
    const before = s.state.notesOf(incidentKey).length;
    const err = await rejection(client.addNote(incidentKey, { text: 'Approved', onBehalfOf: 'Jane Smith' }));
    expect(err).toBeInstanceOf(LgdUnavailable);
    expect((err as LgdUnavailable).outcomeUnknown).toBe(true);
    expect((err as LgdUnavailable).userMessage).toMatch(/cannot tell whether the change was made/);
    expect(count(rec.sent, 'save.rails')).toBe(1);
    const notes = s.state.notesOf(incidentKey).slice(before);
    expect(notes.map((n) => n.text)).toEqual(['Approved — Jane Smith via Teams']);
  });

  it('a 200 HTML page where JSON was asked, twice, is LgdUnavailable after one re-logon', async () => {
    const { client, rec } = await clientWithFaults({ htmlErrorRate: 1 });
    const err = await rejection(client.listIncidents());
    expect(err).toBeInstanceOf(LgdUnavailable);
    expect(count(rec.sent, 'logon/logon.rails')).toBe(2);
  });

  it('never logs the password, whatever happens', async () => {
    const { logger, lines } = captureLogger();
    s.setFaults({});
    const secret = 'lgd-simulator';
    const client = makeClient(s.baseUrl, { logger, password: secret, timeoutMs: 100 });
    await client.listIncidents();
    s.expireSessions();
    await client.listIncidents();
    s.setFaults({ latencyMs: 300 });
    await rejection(client.listIncidents());
    s.setFaults({ errorRate: 1 });
    await rejection(client.addNote(incidentKey, { text: 'x', onBehalfOf: 'Jane' }));
    s.setFaults({});
    expect(lines.length).toBeGreaterThan(4);
    expect(lines.join('\n')).not.toContain(secret);
  });
});

describe('answers that do not match what was asked', () => {
  it('malformed JSON is LgdBadResponse naming the request, not retried', async () => {
    listBody = '{"objectCount": 0, "objects": [';
    const rec = recordingFetch();
    const err = await rejection(makeClient(ownUrl, { fetch: rec.fetch }).listIncidents({ groups: [GROUP] }));
    expect(err).toBeInstanceOf(LgdBadResponse);
    expect((err as LgdBadResponse).code).toBe('LGD_BAD_RESPONSE');
    expect((err as LgdBadResponse).request).toMatchObject({ method: 'GET', path: 'wd/query/list.rails' });
    expect((err as LgdBadResponse).request?.params).toMatchObject({ class_name: 'IncidentManagement.Incident', c0: GROUP, page: '1' });
    expect((err as Error).message).toContain('malformed JSON');
    expect((err as Error).message).toContain('GET wd/query/list.rails?class_name=IncidentManagement.Incident');
    expect(count(rec.sent, 'list.rails')).toBe(1);
  });

  it('keeps one copy of a ticket met on two pages: the newest LastUpdate', async () => {
    const attrs = (id: string, last: string): Record<string, string> => ({
      Id: id, Title: `T${id}`, Description: '', 'Status.Title': 'Active', 'CurrentAssignment.Group.Title': GROUP,
      'CurrentAssignment.Group.Guid': 'g', 'CurrentAssignment.User.Title': '', 'CurrentAssignment.User.Guid': '',
      'RaiseUser.Title': 'Sam', CreationDate: '01/06/2026 09:00:00', LastUpdate: last, 'Priority.Title': '3', 'Category.Title': 'x',
    });
    const obj = (key: string, id: string, last: string): object => ({ className: 'IncidentManagement.Incident', value: key, name: 'x', attributes: attrs(id, last) });
    listPage = (page) =>
      JSON.stringify({
        pageNumber: page,
        objects:
          page === 1
            ? [obj('K-1', '1', '01/06/2026 09:00:00'), obj('k-2', '2', '01/06/2026 09:00:00')]
            : page === 2
              ? [obj('k-1', '1', '01/06/2026 10:00:00'), obj('k-3', '3', '01/06/2026 09:00:00')]
              : [],
      });
    try {
      const list = await makeClient(ownUrl, { mapping: mappingWithPageSize(2) }).listIncidents();
      expect(list.map((i) => [i.id, i.lastUpdate.toISOString()])).toEqual([
        [1, '2026-06-01T09:00:00.000Z'],
        [2, '2026-06-01T08:00:00.000Z'],
        [3, '2026-06-01T08:00:00.000Z'],
      ]);
    } finally {
      listPage = null;
    }
  });

  it('a wrong shape is LgdBadResponse', async () => {
    listBody = '{"objects": "none"}';
    const err = await rejection(makeClient(ownUrl).listSupportGroups());
    expect(err).toBeInstanceOf(LgdBadResponse);
    expect((err as Error).message).toContain('list.rails answer did not have the expected shape');
  });

  it('a missing attribute is LgdBadResponse naming the record', async () => {
    listBody = JSON.stringify({
      objects: [{ className: 'System.SupportGroup', value: 'g-1', name: 'x', attributes: { Name: 'x' } }],
    });
    const err = await rejection(makeClient(ownUrl).listSupportGroups());
    expect(err).toBeInstanceOf(LgdBadResponse);
    expect((err as Error).message).toContain('System.SupportGroup g-1: attribute "Title" is missing');
  });

  it('a record of another class is LgdBadResponse', async () => {
    listBody = JSON.stringify({
      objects: [{ className: 'System.Analyst', value: 'a-1', name: 'x', attributes: { Title: 'x', Name: 'x' } }],
    });
    expect(await rejection(makeClient(ownUrl).listSupportGroups())).toBeInstanceOf(LgdBadResponse);
  });

  it('another page than the one asked is LgdBadResponse', async () => {
    listBody = JSON.stringify({ pageNumber: 3, objects: [] });
    const err = await rejection(makeClient(ownUrl).listSupportGroups());
    expect((err as Error).message).toContain('asked for page 1, got page 3');
  });

  it('an unreadable answer to a write is LgdBadResponse with outcomeUnknown', async () => {
    saveBody = '<<not json';
    const err = await rejection(makeClient(ownUrl).addNote('k-1', { text: 'Approved', onBehalfOf: 'Jane Smith' }));
    expect(err).toBeInstanceOf(LgdBadResponse);
    expect((err as LgdBadResponse).outcomeUnknown).toBe(true);
    saveBody = '[1,2]';
    const shape = await rejection(makeClient(ownUrl).addNote('k-1', { text: 'Approved', onBehalfOf: 'Jane Smith' }));
    expect((shape as LgdBadResponse).outcomeUnknown).toBe(true);
  });

  it('a date in another format than configured is LgdBadResponse, and the whole call fails', async () => {
    const s = await sim({ mapping: lgdMappingSchema.parse({ dateFormat: 'yyyy-MM-dd HH:mm:ss' }) });
    seedIncidents(s.state, 3);
    const err = await rejection(makeClient(s.baseUrl).listIncidents({ groups: [GROUP] }));
    expect(err).toBeInstanceOf(LgdBadResponse);
    expect((err as Error).message).toMatch(/attribute "(CreationDate|LastUpdate)" is not a date in the format dd\/MM\/yyyy HH:mm:ss: "2026-06-01 \d\d:\d\d:00"/);
  });

  it('a server that is not there is LgdUnavailable, and a write it never reached has a known outcome', async () => {
    const client = makeClient('http://127.0.0.1:1/ServiceDesk.WebAccess');
    const err = await rejection(client.addNote('k', { text: 'x', onBehalfOf: 'Jane' }));
    expect(err).toBeInstanceOf(LgdUnavailable);
    expect((err as LgdUnavailable).outcomeUnknown).toBe(false);
  });
});
