import { describe, expect, it } from 'vitest';
import { approve, takeOwnership, type CommandContext } from '../../bot/domain/commands.js';
import { derive, type Ticket } from '../../bot/domain/ticket.js';
import { lastUserUpdate, ownedSince } from '../../bot/domain/ticket-times.js';
import { at, entry, incident, note, rules, seen } from './ticket-fixtures.js';

const ctx = (minutes: number): CommandContext => ({ by: { name: 'Dev One' }, now: at(minutes), newId: () => `e-${minutes}` });
const accepted = (r: ReturnType<typeof takeOwnership>, minutes: number): Ticket => {
  if (!r.ok) throw new Error(r.message);
  return derive(r.ticket, rules, at(minutes));
};
const approved = (): Ticket => accepted(approve(seen(), ctx(5)), 5);
/** The ticket as a sync finds it at `minutes`, with `over` in LGD. */
const synced = (t: Ticket, over: Partial<Ticket['lgd']>, minutes: number): Ticket => derive({ ...t, lgd: { ...t.lgd, ...over } }, rules, at(minutes));

describe('when the user last heard from the team', () => {
  it('is the latest message to the user that LGD has or is still owed; a refused one never reached them', () => {
    const t = seen();
    const sent = entry('a', { kind: 'end_user_update', text: 'On it' }, { status: 'delivered', requestedAt: at(10) });
    const queued = entry('b', { kind: 'end_user_update', text: 'Nearly there' }, { status: 'pending', requestedAt: at(20) });
    const refused = entry('c', { kind: 'end_user_update', text: 'Lost' }, { status: 'refused', requestedAt: at(30) });
    const internal = entry('d', { kind: 'note', text: 'Looked at logs' }, { status: 'delivered', requestedAt: at(40) });
    expect(lastUserUpdate({ ...t, outbox: [sent] })).toEqual(at(10));
    expect(lastUserUpdate({ ...t, outbox: [sent, queued, refused, internal] })).toEqual(at(20));
    expect(lastUserUpdate({ ...t, outbox: [refused, internal] })).toBeNull();
  });

  it('counts a note in LGD the user was notified of, not an internal one', () => {
    const t = seen(incident(), [note('Internal only', 'Dev One', 50), { ...note('We are on it', 'Dev One', 45), notifyRaiseUser: true }]);
    expect(lastUserUpdate(t)).toEqual(at(45));
  });
});

describe('since when the owner has owned a ticket', () => {
  it('a developer who takes an approved ticket in Teams owns it from when they asked', () => {
    const t = accepted(takeOwnership(approved(), { key: 'dev-1', title: 'Dev One' }, ctx(10)), 10);
    expect(t.state).toBe('owned');
    expect(ownedSince(t)).toEqual(at(10));
    // LGD shows the assignment at the next sync: still the same owner, still since then.
    expect(ownedSince(synced(t, { userKey: 'dev-1', userTitle: 'Dev One' }, 60))).toEqual(at(10));
  });

  it('a person assigned in LGD owns it from when the app saw it, and keeps that time while they stay', () => {
    const t = synced(approved(), { userKey: 'dev-2', userTitle: 'Jane Doe' }, 30);
    expect(ownedSince(t)).toEqual(at(30));
    expect(ownedSince(synced(t, { title: 'Renamed' }, 90))).toEqual(at(30));
  });

  it('someone else taking the ticket over owns it from then on', () => {
    const first = synced(approved(), { userKey: 'dev-1', userTitle: 'Dev One' }, 30);
    const second = synced(first, { userKey: 'dev-2', userTitle: 'Jane Doe' }, 120);
    expect(second.state).toBe('owned');
    expect(ownedSince(second)).toEqual(at(120));
  });

  it('a person assigned before triage owns it from the approval on', () => {
    const arrived = seen(incident({ userKey: 'dev-2', userTitle: 'Jane Doe' }));
    expect(arrived.state).toBe('needs_triage');
    expect(ownedSince(arrived)).toBeNull();
    const t = accepted(approve(arrived, ctx(45)), 45);
    expect(t.state).toBe('owned');
    expect(ownedSince(t)).toEqual(at(45));
  });

  it('nobody owns a ticket that waits for an owner', () => {
    expect(ownedSince(approved())).toBeNull();
  });
});
