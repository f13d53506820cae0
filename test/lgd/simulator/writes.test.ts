import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultLgdMapping } from '../../../bot/lgd/lgd-mapping.js';
import { startLgdSimulator, type LgdSimulator } from '../../../bot/lgd/simulator/lgd-simulator.js';
import type { SimAnalyst, SimGroup, SimIncident } from '../../../bot/lgd/simulator/sim-state.js';
import { simHttp, type ObjectBody, type SimHttp } from './sim-http.js';

const m = defaultLgdMapping;
const I = m.classes.incident;

describe('LGD simulator writes (process actions)', () => {
  let sim: LgdSimulator;
  let http: SimHttp;
  let clock = new Date('2024-01-10T09:00:00Z');
  let group: SimGroup;
  let analyst: SimAnalyst;
  let inc: SimIncident;

  const noteForm = (key: string, text: string): Record<string, string> => ({
    class_name: m.classes.note,
    is_new: 'true',
    parent_class_name: I,
    parent_key: key,
    parent_function_name: m.actions.addNote,
    [m.note.title]: 'Update',
    [m.note.text]: text,
  });
  const message = async (res: Response): Promise<string> => ((await res.json()) as { message: string }).message;

  beforeAll(async () => {
    // The clock jumps an hour per test: keep sessions alive across it.
    sim = await startLgdSimulator({ now: () => clock, username: 'ana.silva', sessionTtlMs: 365 * 86_400_000 });
    group = sim.state.addGroup('LGSS-IT-Digital');
    analyst = sim.state.addAnalyst({ name: 'ana.silva', title: 'Ana Silva' });
    http = simHttp(sim.baseUrl);
    await http.logon('ana.silva');
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => {
    clock = new Date(clock.getTime() + 3_600_000);
    inc = sim.state.raiseIncident({ title: 'Printer', status: 'New', groupKey: group.guid, at: new Date(clock.getTime() - 60_000) });
  });

  it('collection action AddNote creates a note and answers the saved object with string values', async () => {
    const res = await http.post(m.paths.save, { ...noteForm(inc.key, 'Approved'), [m.note.notifyRaiseUser]: 'True' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ObjectBody;
    expect(body.className).toBe(m.classes.note);
    expect(body.attributes).toMatchObject({
      [m.note.parent]: inc.key,
      [m.note.text]: 'Approved',
      [m.note.notifyRaiseUser]: 'True',
      [m.note.creationUser]: 'Ana Silva',
      [m.note.creationDate]: '10/01/2024 10:00:00',
    });
    expect(sim.state.notes.get(body.value)?.incidentKey).toBe(inc.key);
  });

  it('a note does not move LastUpdate by default (undocumented in LGD)', async () => {
    const before = inc.lastUpdate.getTime();
    await http.post(m.paths.save, noteForm(inc.key, 'hello'));
    expect(sim.state.requireIncident(inc.key).lastUpdate.getTime()).toBe(before);
  });

  it('AddNote is not idempotent: the same request twice adds two notes', async () => {
    const a = await http.post(m.paths.save, noteForm(inc.key, 'Approved'));
    const b = await http.post(m.paths.save, noteForm(inc.key, 'Approved'));
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(sim.state.notesOf(inc.key).map((n) => n.text)).toEqual(['Approved', 'Approved']);
  });

  it('collection AddAssignment to a person makes a New ticket Active and sets LastUpdate to now', async () => {
    const res = await http.post(m.paths.save, {
      class_name: m.classes.assignment,
      is_new: 'true',
      parent_class_name: I,
      parent_key: inc.key,
      parent_function_name: m.actions.addAssignment,
      [m.assignment.group]: group.guid,
      [m.assignment.user]: analyst.guid,
      [m.assignment.description]: 'taking it',
    });
    expect(res.status).toBe(200);
    const after = sim.state.requireIncident(inc.key);
    expect([after.status, after.userKey, after.lastUpdate.getTime()]).toEqual(['Active', analyst.guid, clock.getTime()]);
    expect(sim.state.assignmentsOf(inc.key)).toHaveLength(1);
  });

  it('AddAssignment to a group only leaves the status New', async () => {
    const res = await http.post(m.paths.save, {
      class_name: m.classes.assignment,
      is_new: 'true',
      parent_class_name: I,
      parent_key: inc.key,
      parent_function_name: m.actions.addAssignment,
      [m.assignment.group]: group.guid,
      [m.assignment.user]: '',
    });
    expect(res.status).toBe(200);
    expect(sim.state.requireIncident(inc.key)).toMatchObject({ status: 'New', userKey: null });
  });

  it('refuses an unknown group or analyst guid and changes nothing', async () => {
    const base = {
      class_name: m.classes.assignment,
      is_new: 'true',
      parent_class_name: I,
      parent_key: inc.key,
      parent_function_name: m.actions.addAssignment,
    };
    const badGroup = await http.post(m.paths.save, { ...base, [m.assignment.group]: '11111111-1111-1111-1111-111111111111' });
    expect(badGroup.status).toBe(400);
    expect(await message(badGroup)).toMatch(/does not exist/);
    const badUser = await http.post(m.paths.save, {
      ...base,
      [m.assignment.group]: group.guid,
      [m.assignment.user]: '22222222-2222-2222-2222-222222222222',
    });
    expect(badUser.status).toBe(400);
    expect(sim.state.assignmentsOf(inc.key)).toHaveLength(0);
  });

  it('Resolve via the collection form, then Resolve and AddAssignment are refused; AddNote still works', async () => {
    const cat = sim.state.resolutionCategoryByTitle('Fixed');
    const resolve = {
      class_name: m.classes.resolution,
      is_new: 'true',
      parent_class_name: I,
      parent_key: inc.key,
      parent_function_name: m.actions.resolve,
      [m.resolution.category]: cat?.guid ?? '',
      [m.resolution.description]: 'done',
    };
    expect((await http.post(m.paths.save, resolve)).status).toBe(200);
    expect(sim.state.requireIncident(inc.key).status).toBe('Resolved');
    const again = await http.post(m.paths.save, resolve);
    expect(again.status).toBe(400);
    expect(await message(again)).toMatch(/^The action 'Resolve' is not available .* status 'Resolved'/);
    const assign = await http.post(m.paths.save, {
      class_name: m.classes.assignment,
      is_new: 'true',
      parent_class_name: I,
      parent_key: inc.key,
      parent_function_name: m.actions.addAssignment,
      [m.assignment.group]: group.guid,
    });
    expect(assign.status).toBe(400);
    expect((await http.post(m.paths.save, noteForm(inc.key, 'after'))).status).toBe(200);
    expect(sim.state.resolutionsOf(inc.key)).toHaveLength(1);
  });

  it('AddNote is refused on a Closed ticket', async () => {
    sim.state.setStatus(inc.key, 'Closed');
    const res = await http.post(m.paths.save, noteForm(inc.key, 'too late'));
    expect(res.status).toBe(400);
    expect(await message(res)).toMatch(/AddNote.*not available/);
    expect(sim.state.notesOf(inc.key)).toHaveLength(0);
  });

  it('update action: save.rails with key, is_new=false and function_name answers the incident', async () => {
    const res = await http.post(m.paths.save, {
      class_name: I,
      key: inc.key,
      is_new: 'false',
      function_name: m.actions.resolve,
      [m.resolution.description]: 'fixed by update',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ObjectBody;
    expect(body).toMatchObject({ className: I, value: inc.key });
    expect(body.attributes[m.incident.status]).toBe('Resolved');
  });

  it('windowless action: POST invokeFunction.rails', async () => {
    const res = await http.post(m.paths.invoke, { class_name: I, key: inc.key, function_name: m.actions.resolve, is_new: 'false' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as ObjectBody).attributes[m.incident.status]).toBe('Resolved');
    const again = await http.post(m.paths.invoke, { class_name: I, key: inc.key, function_name: m.actions.resolve, is_new: 'false' });
    expect(again.status).toBe(400);
  });

  it('two-step form: GET invokeFunction returns a template with a fresh guid; POST save.rails with that key creates it', async () => {
    const tpl = await http.get(m.paths.invoke, { class_name: I, key: inc.key, function_name: m.actions.addNote });
    expect(tpl.status).toBe(200);
    const t = (await tpl.json()) as ObjectBody;
    expect(t.className).toBe(m.classes.note);
    expect(t.value).toMatch(/^[0-9a-f-]{36}$/);
    expect(t.attributes).toMatchObject({ [m.note.text]: '', [m.note.parent]: inc.key });
    expect(sim.state.notesOf(inc.key)).toHaveLength(0);

    const save = await http.post(m.paths.save, { class_name: m.classes.note, key: t.value, is_new: 'true', [m.note.text]: 'two-step' });
    expect(save.status).toBe(200);
    expect(((await save.json()) as ObjectBody).value).toBe(t.value);
    expect(sim.state.notesOf(inc.key).map((n) => [n.key, n.text])).toEqual([[t.value, 'two-step']]);
  });

  it('two-step template expires with the session', async () => {
    const tpl = (await (await http.get(m.paths.invoke, { class_name: I, key: inc.key, function_name: m.actions.addNote })).json()) as ObjectBody;
    sim.expireSessions();
    await http.logon('ana.silva');
    const save = await http.post(m.paths.save, { class_name: m.classes.note, key: tpl.value, is_new: 'true', [m.note.text]: 'late' });
    expect(save.status).not.toBe(200);
    expect(sim.state.notesOf(inc.key)).toHaveLength(0);
  });

  it('two-step GET is refused at the wrong status', async () => {
    sim.state.setStatus(inc.key, 'Resolved');
    const tpl = await http.get(m.paths.invoke, { class_name: I, key: inc.key, function_name: m.actions.resolve });
    expect(tpl.status).toBe(400);
    expect(await message(tpl)).toMatch(/not available/);
  });

  it('refuses an unknown action, a mismatched child class and a missing mandatory Text', async () => {
    const unknown = await http.post(m.paths.save, { ...noteForm(inc.key, 'x'), parent_function_name: 'Teleport' });
    expect(unknown.status).toBe(400);
    const mismatch = await http.post(m.paths.save, { ...noteForm(inc.key, 'x'), class_name: m.classes.assignment });
    expect(mismatch.status).toBe(400);
    const empty = await http.post(m.paths.save, noteForm(inc.key, ''));
    expect(empty.status).toBe(400);
    expect(sim.state.notesOf(inc.key)).toHaveLength(0);
  });

  it('save.rails refuses GET', async () => {
    const res = await http.get(m.paths.save, noteForm(inc.key, 'x'));
    expect(res.status).toBe(405);
  });

  it('an error without the JSON Accept header is an HTML page with an exceptionMessage element', async () => {
    sim.state.setStatus(inc.key, 'Closed');
    const res = await http.post(m.paths.save, noteForm(inc.key, 'x'), {});
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/<div id="exceptionMessage"[^>]*>The action &#39;AddNote&#39; is not available/);
  });
});

describe('LGD simulator noteBumpsLastUpdate', () => {
  it('moves LastUpdate on a new note when enabled', async () => {
    const now = new Date('2024-05-01T12:00:00Z');
    const sim = await startLgdSimulator({ now: () => now, noteBumpsLastUpdate: true });
    try {
      const inc = sim.state.raiseIncident({ title: 't', at: new Date('2024-05-01T08:00:00Z') });
      const http = simHttp(sim.baseUrl);
      await http.logon();
      const res = await http.post(m.paths.save, {
        class_name: m.classes.note,
        is_new: 'true',
        parent_class_name: I,
        parent_key: inc.key,
        parent_function_name: m.actions.addNote,
        [m.note.text]: 'bump',
      });
      expect(res.status).toBe(200);
      expect(sim.state.requireIncident(inc.key).lastUpdate.toISOString()).toBe(now.toISOString());
    } finally {
      await sim.close();
    }
  });
});
