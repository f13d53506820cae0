import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LgdBadResponse, type LgdRequestInfo } from '../../../bot/lgd/client/lgd-errors.js';
import { incidentKind, noteKind } from '../../../bot/lgd/client/lgd-records.js';
import { lgdListSchema, lgdObjectSchema, validate } from '../../../bot/lgd/client/lgd-response.js';
import { defaultLgdMapping, lgdMappingSchema } from '../../../bot/lgd/lgd-mapping.js';

const json = (name: string): unknown => JSON.parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8'));
const req: LgdRequestInfo = { method: 'GET', path: 'wd/query/list.rails', params: { class_name: 'IncidentManagement.Incident', page: '1' } };

function catchBad(fn: () => unknown): LgdBadResponse {
  try {
    fn();
  } catch (err) {
    if (err instanceof LgdBadResponse) return err;
    throw err;
  }
  throw new Error('expected LgdBadResponse');
}

describe('incident records', () => {
  const kind = incidentKind(defaultLgdMapping);

  it('asks for every mapped attribute', () => {
    expect(kind.className).toBe('IncidentManagement.Incident');
    expect(kind.attributes).toContain('CurrentAssignment.Group.Title');
    expect(kind.attributes).toContain('LastUpdate');
  });

  it('reads a full list answer into domain data with real dates (London summer time)', () => {
    const list = validate(lgdListSchema, json('list-incidents-full.json'), req, 'list');
    const [obj] = list.objects;
    expect(obj).toBeDefined();
    const inc = kind.read(obj!, req);
    expect(inc).toMatchObject({
      key: '3c78861a-44b8-4f58-925f-bd8aba8b72fa',
      id: 40123,
      status: 'Active',
      groupTitle: 'LGSS-IT-Digital',
      userTitle: null,
      userKey: null,
      raiseUser: 'Sam Jones',
    });
    expect(inc.createdAt.toISOString()).toBe('2019-02-14T09:30:00.000Z');
    expect(inc.lastUpdate.toISOString()).toBe('2019-07-14T10:05:06.000Z');
  });

  it('reports the missing attributes of the API doc example, naming record and request', () => {
    const list = validate(lgdListSchema, json('list-doc-example.json'), req, 'list');
    const err = catchBad(() => kind.read(list.objects[0]!, req));
    expect(err.code).toBe('LGD_BAD_RESPONSE');
    expect(err.message).toContain('attribute "Title" is missing');
    expect(err.message).toContain('3c78861a-44b8-4f58-925f-bd8aba8b72fa');
    expect(err.message).toContain('GET wd/query/list.rails?class_name=IncidentManagement.Incident&page=1');
  });

  it('rejects an unparseable date', () => {
    const body = json('list-incidents-full.json') as { objects: { attributes: Record<string, string> }[] };
    body.objects[0]!.attributes.LastUpdate = '2019-07-14T10:05:06Z';
    const list = validate(lgdListSchema, body, req, 'list');
    expect(catchBad(() => kind.read(list.objects[0]!, req)).message).toContain('not a date in the format dd/MM/yyyy HH:mm:ss');
  });

  it('rejects a non-numeric ticket number', () => {
    const body = json('list-incidents-full.json') as { objects: { attributes: Record<string, string> }[] };
    body.objects[0]!.attributes.Id = 'INC40123';
    const list = validate(lgdListSchema, body, req, 'list');
    expect(catchBad(() => kind.read(list.objects[0]!, req)).message).toContain('not a whole number');
  });

  it('follows the mapping for names, format and zone', () => {
    const m = lgdMappingSchema.parse({ incident: { lastUpdate: 'ModifiedOn' }, dateFormat: 'yyyy-MM-dd HH:mm', timeZone: 'UTC' });
    const body = json('list-incidents-full.json') as { objects: { attributes: Record<string, string> }[] };
    const attrs = body.objects[0]!.attributes;
    delete attrs.LastUpdate;
    attrs.ModifiedOn = '2019-07-14 10:05';
    attrs.CreationDate = '2019-02-14 09:30';
    const inc = incidentKind(m).read(validate(lgdListSchema, body, req, 'list').objects[0]!, req);
    expect(inc.lastUpdate.toISOString()).toBe('2019-07-14T10:05:00.000Z');
  });
});

describe('envelope validation', () => {
  it('rejects a list without objects, naming the request', () => {
    const err = catchBad(() => validate(lgdListSchema, { objectCount: 3 }, req, 'list.rails answer'));
    expect(err.message).toContain('list.rails answer did not have the expected shape');
    expect(err.message).toContain('objects');
    expect(err.request?.path).toBe('wd/query/list.rails');
  });

  it('rejects non-string attribute values', () => {
    const body = json('list-incidents-full.json') as { objects: { attributes: Record<string, unknown> }[] };
    body.objects[0]!.attributes.Id = 40123;
    expect(() => validate(lgdListSchema, body, req, 'list')).toThrow(LgdBadResponse);
  });

  it('reads a null attribute as empty', () => {
    const body = json('list-incidents-full.json') as { objects: { attributes: Record<string, unknown> }[] };
    body.objects[0]!.attributes['CurrentAssignment.User.Title'] = null;
    const list = validate(lgdListSchema, body, req, 'list');
    expect(incidentKind(defaultLgdMapping).read(list.objects[0]!, req).userTitle).toBeNull();
  });
});

describe('note records', () => {
  it('reads a note with its incident key and flag', () => {
    const obj = validate(lgdObjectSchema, json('open-note.json'), req, 'open');
    const note = noteKind(defaultLgdMapping).read(obj, req);
    expect(note).toMatchObject({
      incidentKey: '3c78861a-44b8-4f58-925f-bd8aba8b72fa',
      text: 'Approved — Jane Smith via Teams',
      createdBy: 'LGD Service',
      notifyRaiseUser: false,
    });
    expect(note.createdAt.toISOString()).toBe('2019-03-01T08:00:00.000Z');
  });

  it('rejects a flag that is not True or False', () => {
    const body = json('open-note.json') as { attributes: Record<string, string> };
    body.attributes._NotifyRaiseUser = 'maybe';
    const obj = validate(lgdObjectSchema, body, req, 'open');
    expect(() => noteKind(defaultLgdMapping).read(obj, req)).toThrow(LgdBadResponse);
  });
});

describe('the quick check of list and record answers', () => {
  const record = { className: 'IncidentManagement.Incident', value: 'k-1', name: 'x', attributes: { Id: '1', Title: null } };
  const list = { objectCount: 2, pageCount: 1, pageNumber: 1, pageSize: 100, objects: [record] };
  // Each answer LGD could send, and whether zod's schema takes it: the quick check must agree on every one.
  const variants: [string, unknown][] = [
    ['as it is', list],
    ['counts absent', { objects: [record] }],
    ['counts null', { ...list, objectCount: null, pageCount: null, pageNumber: null, pageSize: null }],
    ['a negative count', { ...list, objectCount: -1 }],
    ['a fractional count', { ...list, pageSize: 1.5 }],
    ['a count as text', { ...list, pageNumber: '1' }],
    ['no objects', { ...list, objects: undefined }],
    ['objects not a list', { ...list, objects: {} }],
    ['a null record', { ...list, objects: [null] }],
    ['an empty class', { ...list, objects: [{ ...record, className: '' }] }],
    ['a numeric key', { ...list, objects: [{ ...record, value: 1 }] }],
    ['an empty key', { ...list, objects: [{ ...record, value: '' }] }],
    ['a name absent', { ...list, objects: [{ className: record.className, value: 'k', attributes: {} }] }],
    ['a numeric name', { ...list, objects: [{ ...record, name: 3 }] }],
    ['attributes a list', { ...list, objects: [{ ...record, attributes: ['a'] }] }],
    ['attributes absent', { ...list, objects: [{ ...record, attributes: undefined }] }],
    ['a numeric attribute', { ...list, objects: [{ ...record, attributes: { Id: 1 } }] }],
    ['a nested attribute', { ...list, objects: [{ ...record, attributes: { Id: { $gt: '' } } }] }],
    ['an array for the answer', [list]],
    ['a string for the answer', 'list'],
    ['an extra key', { ...list, extra: true, objects: [{ ...record, extra: 1 }] }],
  ];

  it('takes exactly the answers the schema takes, and gives what the schema reads', () => {
    for (const [what, body] of variants) {
      const parsed = lgdListSchema.safeParse(body);
      const copy: unknown = JSON.parse(JSON.stringify(body ?? null));
      if (parsed.success) {
        const got = validate(lgdListSchema, copy, req, 'list');
        expect(lgdListSchema.parse(got), what).toEqual(parsed.data);
      } else {
        expect(() => validate(lgdListSchema, copy, req, 'list'), what).toThrow(LgdBadResponse);
      }
      const one = (body as { objects?: unknown[] } | null)?.objects?.[0];
      if (Array.isArray((body as { objects?: unknown })?.objects)) {
        const objParsed = lgdObjectSchema.safeParse(one);
        if (objParsed.success) expect(lgdObjectSchema.parse(validate(lgdObjectSchema, one, req, 'open')), what).toEqual(objParsed.data);
        else expect(() => validate(lgdObjectSchema, one, req, 'open'), what).toThrow(LgdBadResponse);
      }
    }
  });
});
