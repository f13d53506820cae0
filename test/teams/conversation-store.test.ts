import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../bot/store/doc-collection.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import { ConversationRepository, normaliseConversationId } from '../../bot/store/conversation-repository.js';
import { conversationRecordFrom } from '../../bot/teams/conversation-record.js';

const channelActivity = (): Partial<Activity> => ({
  type: 'message',
  id: '1700000000000',
  channelId: 'msteams',
  serviceUrl: 'https://smba.trafficmanager.net/uk/',
  from: { id: '29:ann', name: 'Ann', aadObjectId: 'aad-ann' },
  recipient: { id: '28:bot', name: 'LGD Support' },
  conversation: { id: '19:ops@thread.tacv2;messageid=1700000000000', conversationType: 'channel', isGroup: true, name: '' },
  channelData: { team: { id: '19:general@thread.tacv2' }, tenant: { id: 'tenant-1' }, channel: { id: '19:ops@thread.tacv2' } },
});

const personalActivity = (): Partial<Activity> => ({
  type: 'message',
  id: 'm1',
  channelId: 'msteams',
  serviceUrl: 'https://smba.trafficmanager.net/uk/',
  from: { id: '29:ann', name: 'Ann', aadObjectId: 'aad-ann' },
  recipient: { id: '28:bot', name: 'LGD Support' },
  conversation: { id: 'a:personal-ann', conversationType: 'personal', tenantId: 'tenant-1', isGroup: false, name: '' },
});

describe('conversationRecordFrom', () => {
  it('keeps a channel without the thread suffix, with its team and tenant', () => {
    const rec = conversationRecordFrom(channelActivity());
    expect(rec).toMatchObject({
      _id: '19:ops@thread.tacv2',
      kind: 'channel',
      tenantId: 'tenant-1',
      teamId: '19:general@thread.tacv2',
      userAadObjectId: null,
      userTeamsId: null,
      reference: {
        channelId: 'msteams',
        serviceUrl: 'https://smba.trafficmanager.net/uk/',
        bot: { id: '28:bot' },
        conversation: { id: '19:ops@thread.tacv2', conversationType: 'channel' },
      },
    });
  });

  it('keeps a personal chat with its user', () => {
    expect(conversationRecordFrom(personalActivity())).toMatchObject({
      _id: 'a:personal-ann',
      kind: 'personal',
      tenantId: 'tenant-1',
      teamId: null,
      userAadObjectId: 'aad-ann',
      userTeamsId: '29:ann',
      reference: { user: { id: '29:ann' }, conversation: { id: 'a:personal-ann' } },
    });
  });

  it('reads group chats', () => {
    const a = { ...personalActivity(), conversation: { id: '19:group@thread.v2', conversationType: 'groupChat', isGroup: true, name: '' } };
    expect(conversationRecordFrom(a)).toMatchObject({ kind: 'groupChat', tenantId: null, userAadObjectId: null });
  });

  it('strips only the messageid suffix', () => {
    expect(normaliseConversationId('19:x@thread.tacv2;messageid=42')).toBe('19:x@thread.tacv2');
    expect(normaliseConversationId('a:personal')).toBe('a:personal');
  });
});

describe('ConversationRepository', () => {
  let store: Store;
  let dir: string;
  let clock = 0;
  let convs: ConversationRepository;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lgd-convs-'));
    store = await openEmbeddedStore({ dataDir: dir });
    clock = Date.parse('2026-11-27T09:00:00Z');
    convs = new ConversationRepository(store, () => new Date((clock += 1000)));
    await convs.init();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('upserts by normalised id and finds personal chats', async () => {
    await convs.save(conversationRecordFrom(channelActivity()));
    await convs.save({ ...conversationRecordFrom(channelActivity()), _id: '19:ops@thread.tacv2;messageid=99', teamId: 'changed' });
    expect(await convs.get('19:ops@thread.tacv2;messageid=5')).toMatchObject({ _id: '19:ops@thread.tacv2', teamId: 'changed' });
    expect(await store.collection('conversations').countDocuments()).toBe(1);

    await convs.save(conversationRecordFrom(personalActivity()));
    expect(await convs.personalOf('aad-ann')).toMatchObject({ _id: 'a:personal-ann', kind: 'personal' });
    expect(await convs.personalOf('aad-nobody')).toBeNull();
    expect(await convs.anyInTenant('tenant-1')).toMatchObject({ _id: 'a:personal-ann' });
    expect(await convs.anyInTenant('tenant-2')).toBeNull();
  });

  it('keeps the first ops channel on reinstall, moves it on request, and picks the earliest team', async () => {
    expect(await convs.opsTeam()).toBeNull();
    const first = await convs.installTeam('team-1', 'Digital', '19:general-1;messageid=1');
    expect(first).toMatchObject({ _id: 'team-1', name: 'Digital', opsConversationId: '19:general-1', setBy: null });
    await convs.installTeam('team-2', null, '19:general-2');

    const again = await convs.installTeam('team-1', null, '19:other-1');
    expect(again).toMatchObject({ name: 'Digital', opsConversationId: '19:general-1', installedAt: first.installedAt });

    const moved = await convs.setOpsChannel('team-1', '19:ops-1;messageid=7', 'lead@example.org');
    expect(moved).toMatchObject({ opsConversationId: '19:ops-1', setBy: 'lead@example.org', installedAt: first.installedAt });
    expect(await convs.installTeam('team-1', 'Digital IT', '19:general-1')).toMatchObject({ name: 'Digital IT', opsConversationId: '19:ops-1' });
    expect(await convs.opsTeam()).toMatchObject({ _id: 'team-1' });
  });
});
