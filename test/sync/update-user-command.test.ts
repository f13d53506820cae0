/**
 * The command service's "update the user" (what the duty cards and the tab's update-user route
 * call): the owner's text, or No change today's standard words, reaches LGD as an end-user update
 * through the outbox; empty or over-long text and a ticket no longer theirs are refused, and
 * nothing is written. Real simulator, real client, real store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { approve, takeOwnership, USER_MESSAGE_MAX } from '../../bot/domain/commands.js';
import { NO_CHANGE_TODAY_TEXT } from '../../bot/domain/duties.js';
import { lastUserUpdate } from '../../bot/domain/ticket-times.js';
import { seedTeam, startSyncHarness, type SyncHarness } from '../support/sync-harness.js';

let h: SyncHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const dev1 = { name: 'Dev One' };

async function ownedTicket(hh: SyncHarness): Promise<{ key: string; dev: string }> {
  const s = seedTeam(hh.sim.state, 1);
  await hh.sync.syncOnce();
  const key = (await hh.tickets.list({ limit: 1 }))[0]!._id;
  expect((await hh.commands.run(key, { name: 'Ann Lead' }, approve)).ok).toBe(true);
  expect((await hh.commands.run(key, dev1, (t, ctx) => takeOwnership(t, { key: s.dev.guid, title: 'Dev One' }, ctx))).ok).toBe(true);
  await hh.deliverer.deliverDue();
  return { key, dev: s.dev.guid };
}

describe('CommandService.updateUser', () => {
  it('writes the owner\'s update and No change today to LGD as end-user updates; the user last heard then', async () => {
    h = await startSyncHarness();
    const { key, dev } = await ownedTicket(h);
    const r = await h.commands.updateUser(key, dev1, { text: '  Found the cause; a fix goes out tomorrow. ' }, dev);
    expect(r).toMatchObject({ ok: true });
    const r2 = await h.commands.updateUser(key, dev1, { noChangeToday: true }, dev);
    expect(r2.ok).toBe(true);
    if (r2.ok) expect(lastUserUpdate(r2.ticket)).not.toBeNull();
    await h.deliverer.deliverDue();
    const texts = h.sim.state.notesOf(key).map((n) => n.text);
    expect(texts.some((t) => t.includes('Found the cause; a fix goes out tomorrow.'))).toBe(true);
    expect(texts.some((t) => t.includes(NO_CHANGE_TODAY_TEXT))).toBe(true);
  });

  it('refuses empty and over-long text, and a ticket that is no longer theirs; nothing is written', async () => {
    h = await startSyncHarness();
    const { key, dev } = await ownedTicket(h);
    const before = (await h.tickets.get(key))!.outbox.length;
    expect(await h.commands.updateUser(key, dev1, { text: '   ' }, dev)).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: 'The message to the user is empty.' });
    expect(await h.commands.updateUser(key, dev1, { text: 'x'.repeat(USER_MESSAGE_MAX + 1) }, dev)).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    const other = await h.commands.updateUser(key, { name: 'Dev Two' }, { noChangeToday: true }, 'someone-else');
    expect(other).toMatchObject({ ok: false, code: 'WRONG_STATE' });
    if (!other.ok) expect(other.message).toMatch(/is no longer yours \(it is owned by Dev One\)/);
    expect(await h.commands.updateUser('no-such-key', dev1, { noChangeToday: true }, dev)).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect((await h.tickets.get(key))!.outbox.length).toBe(before);
  });
});
