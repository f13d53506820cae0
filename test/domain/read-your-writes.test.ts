/**
 * One owner, also after delivery: a write LGD confirmed keeps counting in the team's view until
 * the app has read LGD after it (or seen it applied). Which entries LGD is still owed and which
 * still count are two different questions, answered in one place each.
 */
import { describe, expect, it } from 'vitest';
import { takeOwnership, resolve, reassign } from '../../bot/domain/commands.js';
import { appliedIn, countsInTeamView, noteCarries, owesLgd, settleEntries, type LgdView, type OutboxEntry } from '../../bot/domain/outbox.js';
import { derive, type Ticket } from '../../bot/domain/ticket.js';
import { at, entry, incident, rules, seen } from './ticket-fixtures.js';

const dev = { key: 'a-dev', title: 'Dev One' };
const ctx = (minutes: number, name = 'Dev One') => ({ by: { name }, now: at(minutes), newId: () => `e-${minutes}-${name}` });

/** Approved in LGD (by Ann Lead, an analyst), nobody on it yet. */
function approved(): Ticket {
  return seen(incident(), [{ key: 'n-ok', incidentKey: 'inc-1', title: 'Approved', text: 'Approved', createdAt: at(0), createdBy: 'Ann Lead', notifyRaiseUser: false }]);
}

/** The deliverer's steps: claim, LGD confirms at `minutes`. */
function delivered(t: Ticket, minutes: number): Ticket {
  const last = t.outbox.at(-1)!;
  const outbox = t.outbox.map((e) => (e.id === last.id ? { ...e, status: 'delivered' as const, firstSentAt: at(minutes), finishedAt: at(minutes) } : e));
  return derive({ ...t, outbox }, rules, at(minutes));
}

/** LGD's view of the ticket as read at `readAt`. */
function read(t: Ticket, readAt: number, lgd: Partial<Ticket['lgd']> = {}): Ticket {
  return derive({ ...t, lgd: { ...t.lgd, ...lgd }, lgdReadAt: at(readAt), notesReadAt: at(readAt) }, rules, at(readAt));
}

function take(t: Ticket, minutes: number, who = dev, name = 'Dev One') {
  return takeOwnership(t, who, ctx(minutes, name));
}

/** Dev One's take, queued and applied as the store applies it. */
function taken(t: Ticket, minutes: number): Ticket {
  const r = take(t, minutes);
  if (!r.ok) throw new Error(r.message);
  return derive(r.ticket, rules, at(minutes));
}

describe('take ownership, across delivery', () => {
  it('refuses a second developer before, during and after delivery, and after LGD is read again', () => {
    const first = take(approved(), 1);
    if (!first.ok) throw new Error(first.message);
    const queued = derive(first.ticket, rules, at(1));
    expect(queued).toMatchObject({ state: 'owned', owner: { key: 'a-dev', title: 'Dev One' } });
    expect(take(queued, 2, { key: 'a-two', title: 'Dev Two' }, 'Dev Two')).toMatchObject({ ok: false, code: 'ALREADY_OWNED' });

    const inFlight = derive({ ...queued, outbox: queued.outbox.map((e) => ({ ...e, status: 'in_flight' as const })) }, rules, at(2));
    expect(take(inFlight, 2, { key: 'a-two', title: 'Dev Two' }, 'Dev Two')).toMatchObject({ ok: false, code: 'ALREADY_OWNED' });

    // LGD confirmed; the stored view (read at T0, before the write) has nobody on the ticket.
    const confirmed = delivered(queued, 3);
    expect(confirmed.lgd.userKey).toBeNull();
    expect(confirmed.outbox[0]).toMatchObject({ status: 'delivered' });
    expect(confirmed.outbox[0]!.settledAt ?? null).toBeNull();
    expect(confirmed).toMatchObject({ state: 'owned', owner: { key: 'a-dev' } });
    expect(take(confirmed, 4, { key: 'a-two', title: 'Dev Two' }, 'Dev Two')).toMatchObject({ ok: false, code: 'ALREADY_OWNED' });

    // The next read of LGD shows the assignment: settled, and LGD's own view says who owns it.
    const synced = read(confirmed, 5, { userKey: 'a-dev', userTitle: 'Dev One', lastUpdate: at(3) });
    expect(synced.outbox[0]!.settledAt).toEqual(at(5));
    expect(synced).toMatchObject({ state: 'owned', owner: { key: 'a-dev', title: 'Dev One' } });
    expect(take(synced, 6, { key: 'a-two', title: 'Dev Two' }, 'Dev Two')).toMatchObject({ ok: false, code: 'ALREADY_OWNED' });
  });

  it('keeps counting while only reads older than the write come in (the stored view shows nobody)', () => {
    const confirmed = delivered(taken(approved(), 1), 3);
    const before = read(confirmed, 2);
    expect(before.outbox[0]!.settledAt ?? null).toBeNull();
    expect(before.state).toBe('owned');
    // The same instant as the confirmation is not "after" it.
    expect(read(confirmed, 3).outbox[0]!.settledAt ?? null).toBeNull();
  });

  it('lets LGD win when a read after the write shows someone else: the ticket moved on after us', () => {
    const confirmed = delivered(taken(approved(), 1), 3);
    const after = read(confirmed, 4, { userKey: 'a-jane', userTitle: 'Jane Doe', lastUpdate: at(3) });
    expect(after.outbox[0]!.settledAt).toEqual(at(4));
    expect(after).toMatchObject({ state: 'owned', owner: { key: 'a-jane', title: 'Jane Doe' } });
    const unassigned = read(confirmed, 4, { userKey: null });
    expect(unassigned).toMatchObject({ state: 'approved_unassigned', owner: null });
  });

  it('settles on sight: a view that shows the assignment settles it, whenever it was read (same minute, LGD clock ahead)', () => {
    const confirmed = delivered(taken(approved(), 1), 3);
    // Read (app clock) before the confirmation was recorded, yet LGD already shows it: settled.
    const shown = read(confirmed, 2, { userKey: 'A-DEV', userTitle: 'Dev One' });
    expect(shown.outbox[0]!.settledAt).toEqual(at(2));
    expect(shown.state).toBe('owned');
  });

  it('a later settled assignment settles the earlier ones it replaced', () => {
    let t = delivered(taken(approved(), 1), 2);
    const back = reassign(t, { groupKey: 'g-team', groupTitle: 'LGSS-IT-Digital', reason: 'Not on support tomorrow' }, ctx(3));
    if (!back.ok) throw new Error(back.message);
    expect(t.outbox[0]!.settledAt ?? null).toBeNull();
    t = delivered(derive(back.ticket, rules, at(3)), 4);
    // The stored view (nobody on it) already shows the hand-back, so it settles, and with it the take it replaced.
    expect(t.outbox.map((e) => e.settledAt ?? null)).toEqual([at(4), at(4)]);
    expect(t).toMatchObject({ state: 'approved_unassigned', owner: null });
  });
});

describe('resolve, across delivery', () => {
  it('shows resolved until LGD is read after it; a second resolve or a reassign is refused meanwhile', () => {
    const owned = read(delivered(taken(approved(), 1), 2), 3, { userKey: 'a-dev', userTitle: 'Dev One' });
    const r = resolve(owned, { categoryKey: 'c-fixed', description: 'Rebuilt the query' }, ctx(4));
    if (!r.ok) throw new Error(r.message);
    const confirmed = delivered(derive(r.ticket, rules, at(4)), 5);
    expect(confirmed.lgd.status).toBe('Active');
    expect(confirmed.state).toBe('resolved');
    expect(resolve(confirmed, { categoryKey: 'c-fixed', description: 'again' }, ctx(6))).toMatchObject({ ok: false, code: 'WRONG_STATE' });
    expect(reassign(confirmed, { groupKey: 'g-desk', groupTitle: 'Service Desk', reason: 'x' }, ctx(6))).toMatchObject({ ok: false, code: 'WRONG_STATE' });
    const synced = read(confirmed, 7, { status: 'Resolved' });
    expect(synced.outbox.at(-1)!.settledAt).toEqual(at(7));
    expect(synced.state).toBe('resolved');
  });
});

describe('what LGD is still owed, and what still counts', () => {
  const statuses: OutboxEntry['status'][] = ['pending', 'in_flight', 'unknown', 'delivered', 'refused', 'dry_run'];
  it('owed: pending, in flight, unknown; counting: those and delivered-but-settling; never refused or dry run', () => {
    const e = (status: OutboxEntry['status'], settled = false) => entry('x', { kind: 'note', text: 'Approved' }, { status, settledAt: settled ? at(9) : null });
    expect(statuses.filter((s) => owesLgd(e(s)))).toEqual(['pending', 'in_flight', 'unknown']);
    expect(statuses.filter((s) => countsInTeamView(e(s)))).toEqual(['pending', 'in_flight', 'unknown', 'delivered']);
    expect(countsInTeamView(e('delivered', true))).toBe(false);
  });
});

describe('notes and messages to the user', () => {
  const view = (notes: { text: string; createdAt: Date }[], notesReadAt: Date | null = null): LgdView => ({
    status: 'Active',
    groupKey: 'g-team',
    userKey: null,
    notes,
    readAt: null,
    notesReadAt,
  });

  it('an internal note settles when its reference shows, or when the notes were read after it', () => {
    const e = entry('1a2b3c4d-0000-4000-8000-000000000000', { kind: 'note', text: 'Approved', decision: 'approved' }, { status: 'delivered', finishedAt: at(2) });
    expect(settleEntries([e], view([{ text: 'Approved — Ann Lead via Teams (ref 1a2b3c4d)', createdAt: at(2) }]), rules.resolvedStatuses, at(3))[0]!.settledAt).toEqual(at(3));
    expect(settleEntries([e], view([], at(1)), rules.resolvedStatuses, at(3))[0]!.settledAt ?? null).toBeNull();
    expect(settleEntries([e], view([], at(4)), rules.resolvedStatuses, at(5))[0]!.settledAt).toEqual(at(5));
  });

  it('a message is found by its text and one sign-off, since it was first sent, not by a prefix or an older note', () => {
    expect(noteCarries('We are on it\n\n— Dev One, LGSS IT Digital', 'We are on it')).toBe(true);
    expect(noteCarries('We  are\r\non it', 'We are on it')).toBe(true);
    expect(noteCarries('We are on it tomorrow — Dev One, LGSS IT Digital', 'We are on it')).toBe(false);
    const lost = entry('m2', { kind: 'end_user_update', text: 'We are on it' }, { status: 'unknown', firstSentAt: at(120) });
    const signed = (minutes: number) => ({ text: 'We are on it\n\n— Dev One, LGSS IT Digital', createdAt: at(minutes) });
    expect(appliedIn(lost, view([signed(120)]), [lost], rules.resolvedStatuses)).toBe(true);
    // LGD's clock a few minutes behind the app's still finds it.
    expect(appliedIn(lost, view([signed(117)]), [lost], rules.resolvedStatuses)).toBe(true);
    expect(appliedIn(lost, view([]), [lost], rules.resolvedStatuses)).toBe(false);
    // The same words sent hours earlier are not this message.
    expect(appliedIn(lost, view([signed(0)]), [lost], rules.resolvedStatuses)).toBe(false);
  });

  it('sending the same words twice is told apart from a repeat', () => {
    const first = entry('m1', { kind: 'end_user_update', text: 'Still looking' }, { status: 'delivered', firstSentAt: at(100), finishedAt: at(100) });
    const second = entry('m2', { kind: 'end_user_update', text: 'Still looking' }, { status: 'unknown', firstSentAt: at(110) });
    const one = { text: 'Still looking\n\n— Dev One, LGSS IT Digital', createdAt: at(100) };
    const two = { text: 'Still looking\n\n— Dev One, LGSS IT Digital', createdAt: at(110) };
    expect(appliedIn(second, view([one]), [first, second], rules.resolvedStatuses)).toBe(false);
    expect(appliedIn(second, view([one, two]), [first, second], rules.resolvedStatuses)).toBe(true);
  });
});
