import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadReplay, loadSlice } from '../../../bot/lgd/replay/load-replay.js';
import type { Replay } from '../../../bot/lgd/replay/replay-event.js';

const dataDir = new URL('../../../bot/lgd/replay/data/', import.meta.url);

/** Counted without the app's parser: a naive line and comma split (the slice has no quotes). */
function independentCounts(): { incidents: number; events: number; groups: Set<string>; assignees: Set<string>; resolvedBy: Set<string>; callers: Set<string> } {
  const text = gunzipSync(readFileSync(new URL('incidents-slice.csv.gz', dataDir))).toString('utf8');
  const [head = '', ...lines] = text.split('\n').filter((l) => l !== '');
  const cols = head.split(',');
  const at = (name: string): number => cols.indexOf(name);
  const numbers = new Set<string>();
  const groups = new Set<string>();
  const assignees = new Set<string>();
  const resolvedBy = new Set<string>();
  const callers = new Set<string>();
  for (const l of lines) {
    const f = l.split(',');
    if (f.length !== cols.length) throw new Error(`a row with ${f.length} fields: ${l}`);
    const get = (name: string): string => f[at(name)] ?? '?';
    numbers.add(get('number'));
    if (get('assignment_group') !== '?') groups.add(get('assignment_group'));
    if (get('assigned_to') !== '?') assignees.add(get('assigned_to'));
    if (get('resolved_by') !== '?') resolvedBy.add(get('resolved_by'));
    if (get('caller_id') !== '?') callers.add(get('caller_id'));
  }
  return { incidents: numbers.size, events: lines.length, groups, assignees, resolvedBy, callers };
}

/** The "Expected counts" table of ATTRIBUTION.md. */
function documentedCounts(): Record<string, number> {
  const md = readFileSync(new URL('ATTRIBUTION.md', dataDir), 'utf8');
  const out: Record<string, number> = {};
  for (const m of md.matchAll(/^\| ([a-z ]+?)(?: \(.*?\))? \| (\d+) \|$/gm)) out[m[1] as string] = Number(m[2]);
  return out;
}

describe('the replay of the shipped slice, counted independently', () => {
  const counted = independentCounts();
  let replay: Replay;
  beforeAll(async () => {
    replay = await loadReplay({ now: new Date('2026-03-02T09:00:00Z') });
  });

  it('matches the counts recorded in ATTRIBUTION.md', () => {
    expect(documentedCounts()).toEqual({
      incidents: counted.incidents,
      events: counted.events,
      'distinct groups': counted.groups.size,
      'distinct assignees': counted.assignees.size,
      'distinct resolvers': counted.resolvedBy.size,
      'distinct callers': counted.callers.size,
    });
  });

  it('parses every row of the slice', async () => {
    const rows = await loadSlice();
    expect(rows).toHaveLength(counted.events);
    expect(new Set(rows.map((r) => r.number)).size).toBe(counted.incidents);
  });

  it('raises one ticket per incident, each with its own number', () => {
    const raised = [...replay.history, ...replay.future].filter((e) => e.kind === 'raised');
    expect(raised).toHaveLength(counted.incidents);
    expect(new Set(raised.map((e) => e.ticketId)).size).toBe(counted.incidents);
  });

  it('has every group of the slice, the source group renamed to the team group', () => {
    expect(replay.teamGroup).toBe('LGSS-IT-Digital');
    const expected = [...counted.groups].map((g) => (g === 'Group 25' ? 'LGSS-IT-Digital' : g));
    expect(replay.groups.map((g) => g.title).sort()).toEqual(expected.sort());
    expect(replay.groups[0]?.title).toBe('LGSS-IT-Digital');
  });

  it('has every assignee of the slice as an analyst', () => {
    expect(replay.analysts).toHaveLength(counted.assignees.size);
    expect(replay.analysts.map((a) => a.title).sort()).toEqual([...counted.assignees].sort());
  });

  it('has as many distinct callers as raise users', () => {
    const raiseUsers = new Set([...replay.history, ...replay.future].flatMap((e) => (e.kind === 'raised' ? [e.raiseUser] : [])));
    expect(raiseUsers.size).toBe(counted.callers.size);
  });
});
