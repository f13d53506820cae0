/**
 * "All tickets that come through the LGSS-IT-Digital support group need triaging"
 * (support-process.md): a ticket that reaches the group already assigned to a person still waits
 * for triage, and Approve keeps that person as its owner. Assigning it to a person after it
 * arrived (from Teams or in LGD) is a triage outcome in itself.
 */
import { describe, expect, it } from 'vitest';
import { approve, reassign } from '../../bot/domain/commands.js';
import { derive, type Ticket } from '../../bot/domain/ticket.js';
import { at, incident, note, rules, seen } from './ticket-fixtures.js';

const jane = { userKey: 'a-jane', userTitle: 'Jane Doe' };
const ctx = (minutes: number) => ({ by: { name: 'Ann Lead' }, now: at(minutes), newId: () => `e-${minutes}` });
const lgd = (t: Ticket, minutes: number, over: Partial<Ticket['lgd']>): Ticket =>
  derive({ ...t, lgd: { ...t.lgd, ...over }, lgdReadAt: at(minutes) }, rules, at(minutes));

describe('a ticket that arrives already assigned to a person', () => {
  it('waits for triage, showing who LGD has on it', () => {
    const t = seen(incident(jane));
    expect(t).toMatchObject({ state: 'needs_triage', owner: { key: 'a-jane', title: 'Jane Doe' }, arrival: { userKey: 'a-jane' } });
  });

  it('is owned by that person once Approved, with no reassignment written', () => {
    const r = approve(seen(incident(jane)), ctx(1));
    if (!r.ok) throw new Error(r.message);
    const t = derive(r.ticket, rules, at(1));
    expect(t).toMatchObject({ state: 'owned', owner: { key: 'a-jane', title: 'Jane Doe' } });
    expect(t.outbox.map((e) => e.write.kind)).toEqual(['note']);
    // Also when the Approved note is typed in LGD.
    expect(seen(incident(jane), [note('Approved', 'Ann Lead', 0)])).toMatchObject({ state: 'owned', owner: { title: 'Jane Doe' } });
  });

  it('is owned when LGD assigns it to a person after it arrived', () => {
    const t = lgd(seen(incident()), 5, { userKey: 'a-dev', userTitle: 'Dev One' });
    expect(t).toMatchObject({ state: 'owned', owner: { title: 'Dev One' } });
    const other = lgd(seen(incident(jane)), 5, { userKey: 'a-dev', userTitle: 'Dev One' });
    expect(other.state).toBe('owned');
  });

  it('is owned when the triager reassigns it from Teams, even to the person it already had', () => {
    const r = reassign(seen(incident(jane)), { groupKey: 'g-team', groupTitle: 'LGSS-IT-Digital', userKey: 'a-jane', userTitle: 'Jane Doe', reason: 'Jane knows this form' }, ctx(2));
    if (!r.ok) throw new Error(r.message);
    const queued = derive(r.ticket, rules, at(2));
    expect(queued.state).toBe('owned');
    const confirmed = derive({ ...queued, outbox: queued.outbox.map((e) => ({ ...e, status: 'delivered' as const, finishedAt: at(3) })) }, rules, at(3));
    const synced = lgd(confirmed, 4, { lastUpdate: at(3) });
    expect(synced.outbox[0]!.settledAt).toBeInstanceOf(Date);
    expect(synced).toMatchObject({ state: 'owned', owner: { title: 'Jane Doe' } });
  });

  it('records the person again at each arrival: moved away and back with someone on it, it waits for triage', () => {
    const away = lgd(seen(incident()), 5, { groupTitle: 'Service Desk', groupKey: 'g-desk', userKey: 'a-sam', userTitle: 'Sam Desk' });
    expect(away).toMatchObject({ state: 'reassigned', arrival: null });
    const back = lgd(away, 9, { groupTitle: 'LGSS-IT-Digital', groupKey: 'g-team', userKey: 'a-jane', userTitle: 'Jane Doe' });
    expect(back).toMatchObject({ state: 'needs_triage', arrival: { at: at(9), userKey: 'a-jane' } });
    expect(lgd(back, 12, { userKey: 'a-dev', userTitle: 'Dev One' }).state).toBe('owned');
  });

  it('keeps its arrival while it stays in the group', () => {
    const t = lgd(seen(incident(jane)), 5, { title: 'Edited title' });
    expect(t.arrival).toMatchObject({ at: at(0), userKey: 'a-jane' });
    expect(t.state).toBe('needs_triage');
  });

  it('a ticket stored before arrivals were recorded keeps the old reading (a person on it owns it)', () => {
    const { arrival: _drop, ...legacy } = seen(incident(jane));
    expect(derive(legacy, rules, at(1)).state).toBe('owned');
  });
});
