import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudAdapter } from 'botbuilder';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NotInConversation, TeamsSendFailed } from '../../bot/errors.js';
import type { Store } from '../../bot/store/doc-collection.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import { createBotAdapter } from '../../bot/teams/bot-adapter.js';
import { loadConfig } from '../../bot/config.js';
import type { AdaptiveCard } from '../../bot/teams/cards/card-model.js';
import { ConversationRepository } from '../../bot/store/conversation-repository.js';
import type { Conversations } from '../../bot/teams/teams-ports.js';
import { ADAPTIVE_CARD_CONTENT_TYPE, BotProactiveSender, failureInfo, MAX_SEND_ATTEMPTS } from '../../bot/teams/proactive-sender.js';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.js';

const logger = pino({ level: 'silent' });
const CHANNEL = '19:ops@thread.tacv2';
const TENANT = 'tenant-1';
const card = (title: string): AdaptiveCard => ({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: title }] });

let connector: RecordingConnector;
let adapter: CloudAdapter;
let store: Store;
let dir: string;
let conversations: ConversationRepository;

/** A fake clock that only moves when the sender sleeps; every sleep is recorded. */
function fakeTime(start = 1_000_000): { now: () => number; sleep: (ms: number) => Promise<void>; sleeps: number[] } {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}

function sender(time = fakeTime()): BotProactiveSender {
  return new BotProactiveSender({ adapter, appId: '', conversations, logger, sleep: time.sleep, now: time.now, random: () => 0.5 });
}

/** Connector calls since `from`, as "METHOD path status". */
const callsSince = (from: number): string[] => connector.calls.slice(from).map((c) => `${c.method} ${decodeURIComponent(c.path)} ${c.status}`);

beforeAll(async () => {
  connector = await startRecordingConnector();
  adapter = createBotAdapter(loadConfig({}).bot, logger);
  dir = mkdtempSync(join(tmpdir(), 'lgd-sender-'));
  store = await openEmbeddedStore({ dataDir: dir });
  conversations = new ConversationRepository(store);
  await conversations.save({
    _id: CHANNEL,
    kind: 'channel',
    tenantId: TENANT,
    teamId: '19:general@thread.tacv2',
    userAadObjectId: null,
    userTeamsId: null,
    reference: {
      channelId: 'msteams',
      serviceUrl: connector.url,
      bot: { id: '28:bot', name: 'LGD Support' },
      conversation: { id: CHANNEL, conversationType: 'channel', tenantId: TENANT, isGroup: true, name: 'Ops' },
    },
  });
});
afterAll(async () => {
  await store?.close();
  await connector?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  connector.setRoster([]);
});

describe('BotProactiveSender against the recording connector', () => {
  it('posts a card into a stored channel and replaces it in place', async () => {
    const from = connector.calls.length;
    const s = sender();
    const id = await s.sendCard(CHANNEL, card('New ticket'), 'A ticket arrived');
    await s.updateCard(CHANNEL, id, card('Approved'));

    expect(callsSince(from)).toEqual([`POST /v3/conversations/${CHANNEL}/activities 200`, `PUT /v3/conversations/${CHANNEL}/activities/${id} 200`]);
    const [post, put] = connector.calls.slice(from);
    expect(post?.body).toMatchObject({
      type: 'message',
      text: 'A ticket arrived',
      conversation: { id: CHANNEL },
      attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card('New ticket') }],
    });
    expect(put?.body).toMatchObject({ id, attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card('Approved') }] });
  });

  it('opens a 1:1 chat for a person with none stored, stores it, and reuses it next time', async () => {
    const from = connector.calls.length;
    const s = sender();
    const person = { aadObjectId: 'aad-ann', teamsUserId: '29:ann', tenantId: TENANT };
    const id = await s.sendToPerson(person, { text: 'Ticket 123 is yours', card: card('Yours') });
    expect(id).toMatch(/^act-/);

    const create = connector.calls[from];
    expect(create?.method).toBe('POST');
    expect(create?.path).toBe('/v3/conversations');
    expect(create?.body).toMatchObject({
      isGroup: false,
      bot: { id: '28:bot' },
      members: [{ id: '29:ann' }],
      tenantId: TENANT,
      channelData: { tenant: { id: TENANT } },
    });
    const convId = (connector.calls[from + 1]?.path.match(/\/v3\/conversations\/([^/]+)\/activities$/) ?? [])[1];
    expect(convId).toMatch(/^conv-/);

    const stored = await conversations.personalOf('aad-ann');
    expect(stored).toMatchObject({ _id: convId, kind: 'personal', tenantId: TENANT, userTeamsId: '29:ann', reference: { serviceUrl: connector.url } });

    const again = connector.calls.length;
    await s.sendToPerson(person, { text: 'And another' });
    expect(callsSince(again)).toEqual([`POST /v3/conversations/${convId}/activities 200`]);
  });

  it('waits as long as a 429 Retry-After says, then succeeds', async () => {
    const time = fakeTime();
    const from = connector.calls.length;
    connector.failNext(2, { status: 429, retryAfter: 1 });
    await sender(time).sendText(CHANNEL, 'hello');

    expect(callsSince(from).map((c) => c.split(' ').at(-1))).toEqual(['429', '429', '200']);
    expect(time.sleeps).toEqual([1000, 1000]);
  });

  it('retries a 503 with exponential backoff and jitter', async () => {
    const time = fakeTime();
    const from = connector.calls.length;
    connector.failNext(3, { status: 503 });
    await sender(time).sendText(CHANNEL, 'hello');

    expect(callsSince(from).map((c) => c.split(' ').at(-1))).toEqual(['503', '503', '503', '200']);
    // base 1 s doubling, jitter factor 0.5 + random/2 = 0.75 with random() = 0.5
    expect(time.sleeps).toEqual([750, 1500, 3000]);
  });

  it(`gives up with TeamsSendFailed after ${MAX_SEND_ATTEMPTS} attempts`, async () => {
    const from = connector.calls.length;
    connector.failNext(MAX_SEND_ATTEMPTS, { status: 502 });
    const err = await sender()
      .sendText(CHANNEL, 'hello')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TeamsSendFailed);
    expect(err).toMatchObject({ code: 'TEAMS_SEND_FAILED', statusCode: 502 });
    expect(connector.calls.length - from).toBe(MAX_SEND_ATTEMPTS);
  });

  it('does not retry 403 BotNotInConversationRoster: NotInConversation', async () => {
    const from = connector.calls.length;
    connector.failNext(1, { status: 403, code: 'BotNotInConversationRoster' });
    const err = await sender()
      .sendCard(CHANNEL, card('x'))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotInConversation);
    expect(err).toMatchObject({ code: 'TEAMS_NOT_IN_CONVERSATION', reason: 'BotNotInConversationRoster' });
    expect(connector.calls.length - from).toBe(1);
  });

  it('answers null for a person who blocked the bot (403 MessageWritesBlocked), without retrying', async () => {
    const from = connector.calls.length;
    connector.failNext(1, { status: 403, code: 'MessageWritesBlocked', match: (m, p) => m === 'POST' && p.endsWith('/activities') });
    const id = await sender().sendToPerson({ aadObjectId: 'aad-ann', teamsUserId: '29:ann' }, { text: 'hi' });
    expect(id).toBeNull();
    expect(connector.calls.length - from).toBe(1);
  });

  it('answers null when there is no stored conversation to open a 1:1 chat from', async () => {
    const nowhere: Conversations = {
      save: async () => undefined,
      get: async () => null,
      personalOf: async () => null,
      installTeam: async () => expect.unreachable(),
      setOpsChannel: async () => expect.unreachable(),
      opsTeam: async () => null,
      anyInTenant: async () => null,
    };
    const from = connector.calls.length;
    const lonely = new BotProactiveSender({ adapter, appId: '', conversations: nowhere, logger });
    expect(await lonely.sendToPerson({ aadObjectId: 'aad-bob', teamsUserId: '29:bob' }, { text: 'hi' })).toBeNull();
    expect(connector.calls.length).toBe(from);
  });

  it('keeps at least 200 ms between sends to one conversation, and no more than 8 in 2 s, in order', async () => {
    const time = fakeTime();
    const from = connector.calls.length;
    const s = sender(time);
    await Promise.all(Array.from({ length: 10 }, (_, i) => s.sendText(CHANNEL, `message ${i}`)));

    expect(connector.calls.length - from).toBe(10);
    expect(connector.sent().slice(-10).map((a) => a.text)).toEqual(Array.from({ length: 10 }, (_, i) => `message ${i}`));
    // The fake clock moves only by the throttle's sleeps: sends at 0, 200, ..., 1400; the ninth waits for the 2 s window.
    expect(time.sleeps).toEqual([200, 200, 200, 200, 200, 200, 200, 600, 200]);
  });

  it('does not hold one conversation up for another', async () => {
    const time = fakeTime();
    const s = sender(time);
    await s.sendText(CHANNEL, 'one');
    await s.sendToPerson({ aadObjectId: 'aad-ann', teamsUserId: '29:ann' }, { text: 'two' });
    expect(time.sleeps).toEqual([]);
  });
});

describe('failureInfo', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const headers = (v: string) => ({ statusCode: 429, response: { headers: { get: (n: string) => (n === 'retry-after' ? v : undefined) } } });
    expect(failureInfo(headers('3'))).toMatchObject({ status: 429, retryAfterMs: 3000 });
    const now = Date.parse('2026-11-27T09:00:00Z');
    expect(failureInfo(headers('Fri, 27 Nov 2026 09:00:05 GMT'), now).retryAfterMs).toBe(5000);
    expect(failureInfo(new Error('boom'))).toEqual({ status: null, code: null, retryAfterMs: null });
  });
});
