import type { Activity, CloudAdapter, TeamsPagedMembersResult, TurnContext } from 'botbuilder';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotAdapter } from '../../bot/teams/bot-adapter.js';
import { loadConfig } from '../../bot/config.js';
import { lookupMember, pageThrough, rosterOf, type RosterMember } from '../../bot/teams/member-lookup.js';
import { startRecordingConnector, type RecordingConnector, type RosterEntry } from '../support/recording-connector.js';

const logger = pino({ level: 'silent' });
let connector: RecordingConnector;
let adapter: CloudAdapter;

const roster: RosterEntry[] = Array.from({ length: 5 }, (_, i) => ({
  id: `29:user-${i}`,
  aadObjectId: `aad-${i}`,
  name: `User ${i}`,
  email: `user${i}@example.org`,
  userPrincipalName: `user${i}@example.org`,
}));

beforeAll(async () => {
  connector = await startRecordingConnector({ roster, pageSize: 2 });
  adapter = createBotAdapter(loadConfig({}).bot, logger);
});
afterAll(async () => {
  await connector?.close();
});

/** Runs `logic` in a real turn for a channel message, its connector the recording one. */
async function inTurn<T>(logic: (ctx: TurnContext) => Promise<T>, team = true): Promise<T> {
  const activity = {
    type: 'message',
    id: 'm1',
    channelId: 'msteams',
    serviceUrl: connector.url,
    from: { id: '29:user-1', name: 'User 1', aadObjectId: 'aad-1' },
    recipient: { id: '28:bot', name: 'LGD Support' },
    conversation: team
      ? { id: '19:ops@thread.tacv2;messageid=m1', conversationType: 'channel', isGroup: true, name: '' }
      : { id: 'a:personal-1', conversationType: 'personal', isGroup: false, name: '' },
    channelData: team ? { team: { id: '19:general@thread.tacv2' }, tenant: { id: 'tenant-1' } } : { tenant: { id: 'tenant-1' } },
    text: 'hello',
  } as unknown as Activity;
  const out: { value?: T } = {};
  await adapter.processActivityDirect('', activity, async (ctx) => {
    out.value = await logic(ctx);
  });
  return out.value as T;
}

describe('lookupMember', () => {
  it('asks Teams for the member in the team and returns e-mail, UPN and name', async () => {
    const from = connector.calls.length;
    const m = await inTurn((ctx) => lookupMember(ctx, '29:user-3', logger));
    expect(m).toEqual({ email: 'user3@example.org', userPrincipalName: 'user3@example.org', name: 'User 3' });
    expect(decodeURIComponent(connector.calls[from]?.path ?? '')).toBe('/v3/conversations/19:general@thread.tacv2/members/29:user-3');
  });

  it('returns null when Teams does not know the member, or fails', async () => {
    expect(await inTurn((ctx) => lookupMember(ctx, '29:stranger', logger), false)).toBeNull();
    connector.failNext(1, { status: 400 });
    expect(await inTurn((ctx) => lookupMember(ctx, '29:user-1', logger))).toBeNull();
  });

  it('gets past one 5xx: inside a turn, the connector client retries by itself (about a second)', async () => {
    const from = connector.calls.length;
    connector.failNext(1, { status: 500 });
    expect(await inTurn((ctx) => lookupMember(ctx, '29:user-1', logger))).toMatchObject({ name: 'User 1' });
    expect(connector.calls.slice(from).map((c) => c.status)).toEqual([500, 200]);
  });
});

describe('rosterOf', () => {
  it('pages through every member with continuation tokens', async () => {
    const from = connector.calls.length;
    const members = await inTurn((ctx) => rosterOf(ctx, logger));
    expect(members.map((m) => m.id)).toEqual(roster.map((r) => r.id));
    expect(members[0]).toEqual(roster[0]);
    const paths = connector.calls.slice(from).map((c) => decodeURIComponent(c.path));
    expect(paths).toHaveLength(3);
    expect(paths.every((p) => p.startsWith('/v3/conversations/19:general@thread.tacv2/pagedmembers?'))).toBe(true);
    expect(paths[1]).toContain('continuationToken=2');
  });

  it('returns [] when Teams fails', async () => {
    connector.failNext(1, { status: 403, code: 'BotNotInConversationRoster' });
    expect(await inTurn((ctx) => rosterOf(ctx, logger))).toEqual([]);
  });
});

describe('pageThrough', () => {
  it('stops at the last page and at a repeated token', async () => {
    const page = (ids: string[], continuationToken?: string): TeamsPagedMembersResult =>
      ({ members: ids.map((id) => ({ id, name: id })), continuationToken }) as TeamsPagedMembersResult;
    const seen: (string | undefined)[] = [];
    const got: RosterMember[] = await pageThrough(async (token) => {
      seen.push(token);
      return token === undefined ? page(['a'], 't1') : token === 't1' ? page(['b'], 't1') : page([]);
    });
    expect(got.map((m) => m.id)).toEqual(['a', 'b']);
    expect(seen).toEqual([undefined, 't1']);
  });
});
