import { beforeAll, describe, expect, it } from 'vitest';
import { APPROVED_NOTE, buildReplay } from '../../../bot/lgd/replay/build-replay.js';
import { loadReplay } from '../../../bot/lgd/replay/load-replay.js';
import type { Replay, ReplayEvent } from '../../../bot/lgd/replay/replay-event.js';
import { parseUciRows, UCI_COLUMNS } from '../../../bot/lgd/replay/uci-csv.js';

const NOW = new Date('2026-03-02T09:00:00Z');

function eventsOf(r: Replay, ticketId: number): ReplayEvent[] {
  return [...r.history, ...r.future].filter((e) => e.ticketId === ticketId);
}

/** What a ticket's events show, without times. */
function story(events: readonly ReplayEvent[]): string[] {
  return events.map((e) => {
    switch (e.kind) {
      case 'raised':
        return `raised ${e.group}/${e.user} ${e.status}`;
      case 'assigned':
        return `assigned ${e.group}/${e.user}`;
      case 'status':
        return `status ${e.status}`;
      case 'note':
        return `note "${e.text}" by ${e.by}`;
      case 'touched':
        return 'touched';
    }
  });
}

describe('the Approved note on incidents of the slice', () => {
  let replay: Replay;
  beforeAll(async () => {
    replay = await loadReplay({ now: NOW });
  });

  it('INC0003116 waited in the team group, was taken by Resolver 125: Approved one second before', () => {
    const events = eventsOf(replay, 3116);
    expect(story(events)).toEqual([
      'raised Group 70/resolver.192 Active',
      'assigned LGSS-IT-Digital/null',
      `note "${APPROVED_NOTE}" by resolver.57`,
      'assigned LGSS-IT-Digital/resolver.125',
      'status Resolved',
      'status Closed',
    ]);
    const [raised, , note, taken] = events as [ReplayEvent, ReplayEvent, ReplayEvent, ReplayEvent];
    expect(taken.at.getTime() - note.at.getTime()).toBe(1000);
    // opened 7/3/2016 09:04, taken 24/3/2016 15:56 in the log: the gap survives the shift
    expect(taken.at.getTime() - raised.at.getTime()).toBe(Date.UTC(2016, 2, 24, 15, 56) - Date.UTC(2016, 2, 7, 9, 4));
    // "Updated by 465" is inferred to be Resolver 125: he took it himself
    expect(taken.by).toBe('resolver.125');
  });

  it('INC0000253 was sent on to Group 28 before anyone took it: reassigned, no note', () => {
    const events = eventsOf(replay, 253);
    expect(story(events)).toEqual([
      'raised LGSS-IT-Digital/null New',
      'assigned Group 28/null',
      'touched',
      'touched',
      'touched',
      'status Resolved',
      'status Closed',
    ]);
  });

  it('writes a note wherever the team group gets a person on a ticket (taken from the queue, or arriving with one), once', () => {
    const byTicket = new Map<number, ReplayEvent[]>();
    for (const e of [...replay.history, ...replay.future]) byTicket.set(e.ticketId, [...(byTicket.get(e.ticketId) ?? []), e]);
    let notes = 0;
    let onArrival = 0;
    for (const events of byTicket.values()) {
      for (const [i, e] of events.entries()) {
        if (e.kind !== 'note') continue;
        notes += 1;
        const prev = events[i - 1];
        const next = events[i + 1];
        const raisedWithPerson = prev?.kind === 'raised' && prev.group === 'LGSS-IT-Digital' && prev.user !== null;
        const givenOne = next?.kind === 'assigned' && next.group === 'LGSS-IT-Digital' && next.user !== null;
        expect(raisedWithPerson || givenOne).toBe(true);
        if (raisedWithPerson) onArrival += 1;
        expect(e.by).toBe('resolver.57');
      }
      expect(events.filter((e) => e.kind === 'note').length).toBeLessThanOrEqual(1);
    }
    // 140 taken from the team's queue (as before), the rest arriving with a person or moved in with one.
    expect(notes).toBeGreaterThan(140);
    expect(onArrival).toBeGreaterThan(0);
  });
});

describe('buildReplay on hand-made rows', () => {
  const header = UCI_COLUMNS.join(',');
  function row(mod: number, at: string, fields: Partial<Record<(typeof UCI_COLUMNS)[number], string>>): string {
    const base: Record<string, string> = Object.fromEntries(UCI_COLUMNS.map((c) => [c, '?']));
    Object.assign(base, {
      number: 'INC0000007',
      incident_state: 'New',
      active: 'true',
      reassignment_count: '0',
      reopen_count: '0',
      sys_mod_count: String(mod),
      made_sla: 'true',
      knowledge: 'false',
      opened_at: '1/3/2016 09:00',
      sys_updated_at: at,
      caller_id: 'Caller 1',
      category: 'Category 1',
      subcategory: 'Subcategory 2',
      priority: '3 - Moderate',
      assignment_group: 'Group 25',
      closed_code: 'code 6',
      resolved_by: 'Resolved by 9',
      resolved_at: '1/3/2016 09:30',
      closed_at: '6/3/2016 10:00',
      ...fields,
    });
    return UCI_COLUMNS.map((c) => base[c]).join(',');
  }
  const team = row(0, '1/1/2016 00:00', { number: 'INC0000001', assigned_to: 'Resolver 5' });

  it('sorts by sys_mod_count, keeps the ticket in time order and normalises -100 rows', () => {
    const rows = parseUciRows(
      [
        header,
        team,
        row(2, '1/3/2016 09:05', { incident_state: 'Active', assigned_to: 'Resolver 5' }),
        row(0, '1/3/2016 09:05', {}),
        row(3, '1/3/2016 09:04', { incident_state: '-100', assigned_to: 'Resolver 5' }),
      ].join('\n'),
    );
    const r = buildReplay(rows, { now: NOW, historyFraction: 1 });
    const events = eventsOf(r, 7);
    expect(story(events)).toEqual([
      'raised LGSS-IT-Digital/null New',
      `note "${APPROVED_NOTE}" by resolver.5`,
      'assigned LGSS-IT-Digital/resolver.5',
      'status Active',
      'touched',
    ]);
    const t = events.map((e) => e.at.getTime() - (events[0] as ReplayEvent).at.getTime());
    // raised at opened_at 09:00; the note a second before the 09:05 take; the 09:04 row clamped to 09:05
    expect(t).toEqual([0, 299_000, 300_000, 300_000, 300_000]);
  });

  it('writes the note when the ticket arrives in the team group with a person already (the demo shows it owned)', () => {
    const rows = parseUciRows(
      [
        header,
        team,
        row(0, '1/3/2016 09:05', { assignment_group: 'Group 70' }),
        row(1, '1/3/2016 09:06', { assigned_to: 'Resolver 5' }),
      ].join('\n'),
    );
    expect(story(eventsOf(buildReplay(rows, { now: NOW }), 7))).toEqual([
      'raised Group 70/null New',
      `note "${APPROVED_NOTE}" by resolver.5`,
      'assigned LGSS-IT-Digital/resolver.5',
    ]);
  });
});
