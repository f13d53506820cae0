/**
 * A ticket's journal: what a write brings about is committed with the ticket and moved to the
 * event log, the audit trail and the queues by the drain, each entry exactly once, whatever dies
 * when, and never lost to a concurrent write.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ticket } from '../../bot/domain/ticket.js';
import { openEmbeddedStore, type EmbeddedStore } from '../../bot/store/embedded-store.js';
import { openRepositories, type Repositories } from '../../bot/store/open-repositories.js';
import type { AuditDraft } from '../../bot/store/ticket-journal.js';
import { at, incident, note, rules } from '../domain/ticket-fixtures.js';

let dir: string;
let store: EmbeddedStore;
let repos: Repositories;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lgd-journal-'));
  store = await openEmbeddedStore({ dataDir: dir });
  repos = await openRepositories(store, { rules, noteAuthors: { serviceUsername: 'lgd.service', leads: () => [] } });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const audit = (action: string, ticket: Ticket): AuditDraft => ({
  actor: { name: 'Ann Lead', aadObjectId: null, email: null },
  action,
  ticketKey: ticket._id,
  ticketNumber: ticket.lgd.id,
  outcome: 'done',
  source: 'teams',
  detail: null,
});
const drainAll = async (): Promise<void> => {
  while ((await repos.journal.drain()).tickets > 0);
};
const newTickets = async (n: number): Promise<Ticket[]> =>
  (await repos.tickets.insertNew(Array.from({ length: n }, (_, i) => ({ inc: incident({ key: `k-${i}`, id: 100 + i }), notes: [] })))).map((c) => c.ticket);

describe('the ticket journal', () => {
  it('announces a batch of new tickets in one commit before the tickets (one more); the drain moves the events, in order, and never rewrites the tickets', async () => {
    const before = store.commits();
    await newTickets(3);
    expect(store.commits() - before).toBe(2);
    expect((await repos.tickets.journals(10)).length).toBe(0);
    const versions = async (): Promise<unknown[]> => (await store.collection<Ticket>('tickets').find({}).toArray()).map((t) => [t._id, t.version, t.syncedAt]);
    const written = await versions();
    expect(await repos.events.after(0)).toEqual([]);
    await drainAll();
    expect((await repos.events.after(0)).map((e) => [e._id, e.kind, e.ticketKey])).toEqual([
      [1, 'ticket_new', 'k-0'],
      [2, 'ticket_new', 'k-1'],
      [3, 'ticket_new', 'k-2'],
    ]);
    expect(await repos.tickets.journals(10)).toEqual([]);
    const stored = await store.collection<{ _id: string; journal?: unknown[] }>('tickets').findOne({ _id: 'k-0' });
    expect(stored?.journal ?? []).toEqual([]);
    expect(stored).not.toHaveProperty('journaled');
    expect(await versions()).toEqual(written);
    expect(await store.collection('ticket_announcements').countDocuments({})).toBe(0);
  });

  it('moves each announcement once when the drain dies between moving the events and removing the announcement', async () => {
    await newTickets(3);
    const settle = repos.tickets.settleAnnouncements.bind(repos.tickets);
    repos.tickets.settleAnnouncements = () => Promise.reject(new Error('process killed'));
    await expect(repos.journal.drain()).rejects.toThrow('process killed');
    repos.tickets.settleAnnouncements = settle;
    await drainAll();
    expect((await repos.events.after(0)).map((e) => [e.kind, e.ticketKey])).toEqual([
      ['ticket_new', 'k-0'],
      ['ticket_new', 'k-1'],
      ['ticket_new', 'k-2'],
    ]);
    expect(await store.collection('ticket_announcements').countDocuments({})).toBe(0);
  });

  it('announces nothing for tickets whose insert died after their announcement, and each ticket once when a later pass inserts it', async () => {
    // The process dies between the announcement and the tickets' insert.
    const col = store.collection('tickets');
    const insertMany = col.insertMany.bind(col);
    const original = store.collection.bind(store);
    const dying = Object.assign(Object.create(Object.getPrototypeOf(col) as object) as typeof col, col, {
      insertMany: () => Promise.reject(new Error('process killed')),
    });
    store.collection = ((name: string) => (name === 'tickets' ? dying : original(name))) as typeof store.collection;
    const dead = await openRepositories(store, { rules, noteAuthors: { serviceUsername: 'lgd.service', leads: () => [] } });
    store.collection = original;
    await expect(dead.tickets.insertNew([0, 1].map((i) => ({ inc: incident({ key: `k-${i}`, id: 100 + i }), notes: [] })))).rejects.toThrow('process killed');
    void insertMany;
    // The drain finds no ticket to announce (and says so: a drain loop ends), and keeps the announcement.
    expect((await repos.journal.drain()).tickets).toBe(0);
    expect(await repos.events.after(0)).toEqual([]);
    expect(await store.collection('ticket_announcements').countDocuments({})).toBe(1);
    // The next pass inserts them (one through the batch, one that a single read created first): one event each.
    await repos.tickets.applyLgd(incident({ key: 'k-1', id: 101 }));
    await newTickets(3);
    await drainAll();
    expect((await repos.events.after(0)).map((e) => [e.kind, e.ticketKey]).sort()).toEqual([
      ['ticket_new', 'k-0'],
      ['ticket_new', 'k-1'],
      ['ticket_new', 'k-2'],
    ]);
    expect(await store.collection('ticket_announcements').countDocuments({})).toBe(0);
  });

  it('announces a new ticket by its arrival (state, owner, when its user heard), moved as the entries its own journal would carry; an announcement holding the entries is moved too', async () => {
    const heard = { ...note('We are on it', 'Dev One', -30), incidentKey: 'k-0', notifyRaiseUser: true };
    await repos.tickets.insertNew([
      { inc: incident({ key: 'k-0', id: 100, userKey: 'a-dev', userTitle: 'Dev One' }), notes: [heard] },
      { inc: incident({ key: 'k-1', id: 101 }), notes: [] },
    ]);
    // The announcement holds what the entries are made of, not the entries (a fifth of the size).
    const announcements = store.collection<{ _id: string; at: Date; tickets: unknown[] }>('ticket_announcements');
    const [doc] = await announcements.find({}).toArray();
    expect(doc?.tickets).toEqual([
      { key: 'k-0', state: 'needs_triage', owner: 'a-dev', heard: at(-30) },
      { key: 'k-1', state: 'needs_triage', owner: null },
    ]);
    // One written before this form: the entries themselves (the ticket exists; a later drain must still move them).
    await repos.tickets.insertNew([{ inc: incident({ key: 'k-2', id: 102 }), notes: [] }]);
    await announcements.deleteMany({ _id: { $ne: doc!._id } });
    const ticketNew = { kind: 'ticket_new', ticketKey: 'k-2', state: 'needs_triage', owner: null };
    await announcements.insertOne({ _id: 'older', at: at(1), tickets: [{ key: 'k-2', entries: [{ id: 'ticket_new@new:k-2', at: at(1), kind: 'event', event: ticketNew }] }] });
    await drainAll();
    // Oldest announcement first.
    expect((await repos.events.after(0)).map(({ _id: _s, at: _a, ...e }) => e)).toEqual([
      { ...ticketNew, journalId: 'ticket_new@new:k-2' },
      { kind: 'ticket_new', ticketKey: 'k-0', state: 'needs_triage', owner: 'a-dev', journalId: 'ticket_new@new:k-0' },
      { kind: 'user_updated', ticketKey: 'k-0', updatedAt: at(-30), journalId: 'user_updated@new:k-0' },
      { kind: 'ticket_new', ticketKey: 'k-1', state: 'needs_triage', owner: null, journalId: 'ticket_new@new:k-1' },
    ]);
    expect(await announcements.countDocuments({})).toBe(0);
  });

  it('drops an announcement whose tickets never came after a day, and never lets one that waits hold up newer ones', async () => {
    let now = new Date('2026-03-02T09:00:00Z');
    const timed = await openRepositories(store, { rules, noteAuthors: { serviceUsername: 'lgd.service', leads: () => [] }, clock: () => now });
    // Announcements of tickets that were never inserted (their process died), more than a drain reads at once.
    const announcements = store.collection<{ _id: string; at: Date; tickets: unknown[] }>('ticket_announcements');
    for (let i = 0; i < 6; i++) await announcements.insertOne({ _id: `lost-${i}`, at: now, tickets: [{ key: `never-${i}`, entries: [] }] });
    expect((await timed.journal.drain(1)).tickets).toBe(0);
    now = new Date(now.getTime() + 3_600_000);
    await timed.tickets.insertNew([{ inc: incident({ key: 'k-9', id: 109 }), notes: [] }]);
    expect((await timed.journal.drain(1)).tickets).toBe(1);
    expect((await timed.events.after(0)).map((e) => e.ticketKey)).toEqual(['k-9']);
    expect(await announcements.countDocuments({})).toBe(6);
    now = new Date(now.getTime() + 25 * 3_600_000);
    expect((await timed.journal.drain(1)).tickets).toBe(0);
    expect(await announcements.countDocuments({})).toBe(0);
  });

  it('clears the journals of a drain of 250 tickets in one commit, keeping an entry written after the drain read them', async () => {
    const tickets = await newTickets(250);
    await drainAll();
    for (const t of tickets) await repos.tickets.record(t._id, { audit: [audit('notifyLead', t)] });
    // An entry added after the drain read the journals (the drain's read is stubbed to be the earlier one).
    const read = await repos.tickets.journals(1000);
    await repos.tickets.record(tickets[7]!._id, { audit: [audit('approve', tickets[7]!)] });
    const before = store.commits();
    await repos.tickets.clearJournals(read.map((j) => ({ key: j.key, ids: j.entries.map((e) => e.id) })));
    // One commit clears them all, one gives the flag back to the ticket with the later entry.
    expect(store.commits() - before).toBe(2);
    expect((await repos.tickets.journals(1000)).map((j) => [j.key, j.entries.map((e) => (e.kind === 'audit' ? e.audit.action : e.kind))])).toEqual([[tickets[7]!._id, ['approve']]]);
  });

  it('moves each entry once when the drain dies between moving and clearing, and when an entry comes back with an older read', async () => {
    const [t] = await newTickets(1);
    // The drain moves the event, then dies before clearing the journal.
    const clear = repos.tickets.clearJournals.bind(repos.tickets);
    repos.tickets.clearJournals = () => Promise.reject(new Error('process killed'));
    await expect(repos.journal.drain()).rejects.toThrow('process killed');
    repos.tickets.clearJournals = clear;
    await drainAll();
    expect(await repos.events.after(0)).toHaveLength(1);

    // A write from a read made before the drain puts the drained entry back (same version): moved again, stored once.
    const read = (await repos.tickets.get(t!._id))!;
    await repos.tickets.commit(read, { ...read, groupTitle: 'x' }, { audit: [audit('approve', read)] });
    const stale = (await repos.tickets.get(t!._id))!;
    await drainAll();
    expect(await repos.tickets.commit(stale, { ...stale, groupTitle: 'y' }, { audit: [audit('takeOwnership', stale)] })).toBe(true);
    expect((await repos.tickets.journals(10))[0]!.entries.map((e) => e.kind)).toEqual(['audit', 'audit']);
    await drainAll();
    expect((await repos.audit.list({ ticketKey: t!._id })).map((e) => e.action)).toEqual(['takeOwnership', 'approve']);
    expect(await store.collection('audit').countDocuments({})).toBe(2);
    expect(await repos.events.after(0)).toHaveLength(1);
  });

  it('loses no entry to a concurrent write: one that adds entries moves the version on', async () => {
    const [t] = await newTickets(1);
    await drainAll();
    const read = (await repos.tickets.get(t!._id))!;
    expect(await repos.tickets.record(t!._id, { audit: [audit('notifyLead', read)] })).toBe(true);
    // A write from the read before the record is refused (and would be retried from a fresh read).
    expect(await repos.tickets.commit(read, { ...read, groupTitle: 'x' })).toBe(false);
    expect(await repos.tickets.record('no-such-ticket', { audit: [audit('notifyLead', read)] })).toBe(false);
    await drainAll();
    expect((await repos.audit.list()).map((e) => e.action)).toEqual(['notifyLead']);
  });

  it('shows audit records still in a journal in the audit trail at once, newest first, then once they are moved', async () => {
    const [a, b] = await newTickets(2);
    await repos.audit.record({ ...audit('refused one', a!), outcome: 'refused' });
    await new Promise((r) => setTimeout(r, 5));
    await repos.tickets.record(a!._id, { audit: [audit('approve', a!)] });
    await repos.tickets.record(b!._id, { audit: [audit('approve', b!)] });
    expect((await repos.audit.list({ ticketKey: a!._id })).map((e) => e.action)).toEqual(['approve', 'refused one']);
    expect(await repos.audit.list()).toHaveLength(3);
    await drainAll();
    expect((await repos.audit.list({ ticketKey: a!._id })).map((e) => e.action)).toEqual(['approve', 'refused one']);
    expect(await repos.audit.list()).toHaveLength(3);
  });

  it('queues the messages, backlog items and card jobs a write records, each once by its own key', async () => {
    const [t] = await newTickets(1);
    const notice = { _id: 'over-limit:k-0:p', to: { name: 'Ann Lead', teamsUserId: '29:ann' }, about: 'x', message: { title: 't', text: 'x', kind: 'info' as const } };
    const job = { _id: 'discuss:k-0', kind: 'discuss' as const, ticketKey: 'k-0', requestedBy: { name: 'Dev One' } };
    await repos.tickets.record(t!._id, { notices: [notice], jobs: [job] });
    await repos.tickets.record(t!._id, { notices: [notice], jobs: [job] });
    await drainAll();
    expect(await repos.notices.list()).toEqual([expect.objectContaining({ _id: notice._id, status: 'pending' })]);
    expect(await repos.cardJobs.get(job._id)).toMatchObject({ status: 'pending', ticketKey: 'k-0' });
    expect(await store.collection('card_jobs').countDocuments({})).toBe(1);
  });
});
