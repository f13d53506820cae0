import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Server } from 'restify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backlogRoute, type BacklogEntryView } from '../../bot/api/backlog-route.js';
import { AzureDevOpsBacklog } from '../../bot/backlog/azure-devops-backlog.js';
import { BacklogQueue } from '../../bot/backlog/backlog-outbox.js';
import { BuiltinBacklog } from '../../bot/backlog/builtin-backlog.js';
import { openBacklog } from '../../bot/backlog/open-backlog.js';
import { loadConfig } from '../../bot/config.js';
import { closeServer, createHttpServer, listen } from '../../bot/http/http-server.js';
import { BacklogItemRepository } from '../../bot/store/backlog-item-repository.js';
import { BacklogRequestRepository } from '../../bot/store/backlog-request-repository.js';
import type { Store } from '../../bot/store/doc-collection.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import { newItem } from './backlog-fixtures.js';

const logger = pino({ level: 'silent' });
const lead = { name: 'Ann Lovelace' };
let store: Store;
let dir: string;
let now: Date;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lgd-backlog-'));
  store = await openEmbeddedStore({ dataDir: dir });
  now = new Date('2026-11-27T09:00:00Z');
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('BuiltinBacklog', () => {
  it('stores an item once per requestId', async () => {
    const repo = new BacklogItemRepository(store);
    await repo.init();
    const b = new BuiltinBacklog(repo, () => now);
    const first = await b.create(newItem());
    const again = await b.create(newItem({ title: 'a different title' }));
    expect(first.externalId).toMatch(/^BL-4711-[0-9a-f]{6}$/);
    expect(first.url).toBeNull();
    expect(again).toEqual(first);
    const items = await b.list();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ _id: 'project-4711-1', title: newItem().title, area: 'Place & Economy', decidedBy: 'Ann Lovelace' });
    expect((await b.create(newItem({ requestId: 'project-4711-2' }))).externalId).not.toBe(first.externalId);
  });

  it('is what openBacklog gives without Azure DevOps, and Azure DevOps when configured', () => {
    const own = new BuiltinBacklog(new BacklogItemRepository(store));
    const builtin = openBacklog(loadConfig({}).backlog, own, logger);
    expect(builtin).toBeInstanceOf(BuiltinBacklog);
    expect(builtin.kind).toBe('builtin');
    const cfg = loadConfig({ AZURE_DEVOPS_ORG_URL: 'https://dev.azure.com/contoso', AZURE_DEVOPS_PROJECT: 'Digital', AZURE_DEVOPS_TOKEN: 'pat' });
    const ado = openBacklog(cfg.backlog, own, logger);
    expect(ado).toBeInstanceOf(AzureDevOpsBacklog);
    expect(ado.kind).toBe('azure-devops');
  });
});

describe('GET /api/backlog', () => {
  let server: Server;
  let url: string;
  let builtin: BuiltinBacklog;
  let queue: BacklogQueue;

  beforeEach(async () => {
    builtin = new BuiltinBacklog(new BacklogItemRepository(store), () => now);
    queue = new BacklogQueue(new BacklogRequestRepository(store), { port: builtin, logger, clock: () => now });
    server = createHttpServer({ routes: [backlogRoute({ builtin, requests: queue })], logger });
    url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  });
  afterEach(async () => {
    await closeServer(server);
  });

  const get = async (query = ''): Promise<{ status: number; body: { page: number; pageSize: number; total: number; items: BacklogEntryView[]; code?: string; message?: string } }> => {
    const res = await fetch(`${url}/api/backlog${query}`);
    return { status: res.status, body: (await res.json()) as never };
  };

  it('lists built-in items and pending requests, one entry per request, newest first', async () => {
    // A request delivered to the built-in backlog.
    await queue.enqueue(newItem({ requestId: 'r-1', ticketNumber: 1, title: 'first' }), lead);
    await queue.deliverDue(now);
    // An item made directly, without the queue.
    now = new Date('2026-11-27T10:00:00Z');
    await builtin.create(newItem({ requestId: 'r-2', ticketNumber: 2, title: 'second' }));
    // A request still pending (e.g. waiting for Azure DevOps).
    now = new Date('2026-11-27T11:00:00Z');
    await queue.enqueue(newItem({ requestId: 'r-3', ticketNumber: 3, title: 'third' }), lead);

    const { status, body } = await get();
    expect(status).toBe(200);
    expect(body.total).toBe(3);
    expect(body.items.map((i) => [i.requestId, i.status, i.title])).toEqual([
      ['r-3', 'pending', 'third'],
      ['r-2', 'created', 'second'],
      ['r-1', 'created', 'first'],
    ]);
    expect(body.items[2]).toMatchObject({ externalId: expect.stringMatching(/^BL-1-/), requestedBy: 'Ann Lovelace', attempts: 1, nextAttemptAt: null });
    expect(body.items[0]).toMatchObject({ externalId: null, attempts: 0, nextAttemptAt: '2026-11-27T11:00:00.000Z' });

    const page2 = await get('?page=2&pageSize=2');
    expect(page2.body).toMatchObject({ page: 2, pageSize: 2, total: 3 });
    expect(page2.body.items.map((i) => i.requestId)).toEqual(['r-1']);
  });

  it('answers a bad query with 400 and a message', async () => {
    const { status, body } = await get('?pageSize=1000');
    expect(status).toBe(400);
    expect(body.code).toBe('BadQuery');
    expect(body.message).toMatch(/^pageSize: /);
  });
});
