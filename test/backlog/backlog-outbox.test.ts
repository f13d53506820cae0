import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AzureDevOpsBacklog } from '../../bot/backlog/azure-devops-backlog.js';
import { BacklogQueue, backlogBackoffMs } from '../../bot/backlog/backlog-outbox.js';
import type { BacklogPort } from '../../bot/backlog/backlog-port.js';
import { BuiltinBacklog } from '../../bot/backlog/builtin-backlog.js';
import { BacklogRefused, BacklogUnavailable } from '../../bot/errors.js';
import { BacklogItemRepository } from '../../bot/store/backlog-item-repository.js';
import { BacklogRequestRepository, type BacklogRequest } from '../../bot/store/backlog-request-repository.js';
import type { Store } from '../../bot/store/doc-collection.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import { startFakeAzureDevOps, type FakeAzureDevOps } from '../support/fake-azure-devops.js';
import { newItem } from './backlog-fixtures.js';

const TOKEN = 'pat-for-the-queue';
const logger = pino({ level: 'silent' });
const lead = { name: 'Ann Lovelace', aadObjectId: '00000000-0000-0000-0000-0000000000a1', teamsUserId: '29:ann' };
const t0 = new Date('2026-11-27T09:00:00Z');
const at = (ms: number): Date => new Date(t0.getTime() + ms);

let store: Store;
let dir: string;
let ado: FakeAzureDevOps;
let failures: { request: BacklogRequest; error: BacklogUnavailable | BacklogRefused }[];
let created: BacklogRequest[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lgd-backlog-queue-'));
  store = await openEmbeddedStore({ dataDir: dir });
  ado = await startFakeAzureDevOps({ token: TOKEN, project: 'Digital' });
  failures = [];
  created = [];
});
afterEach(async () => {
  await ado.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function queue(port: BacklogPort = new AzureDevOpsBacklog({ organizationUrl: ado.organizationUrl, project: 'Digital', token: TOKEN, logger })): BacklogQueue {
  return new BacklogQueue(new BacklogRequestRepository(store), {
    port,
    logger,
    clock: () => t0,
    onFirstFailure: (request, error) => void failures.push({ request, error }),
    onCreated: (request) => void created.push(request),
  });
}

describe('BacklogQueue', () => {
  it('backs off from 30 s, doubling, capped at 1 h', () => {
    expect([1, 2, 3, 4, 7, 8, 20].map(backlogBackoffMs)).toEqual([30_000, 60_000, 120_000, 240_000, 1_920_000, 3_600_000, 3_600_000]);
  });

  it('enqueues once per requestId', async () => {
    const q = queue();
    await new BacklogRequestRepository(store).init();
    const first = await q.enqueue(newItem(), lead);
    const again = await q.enqueue(newItem({ title: 'other' }), { name: 'Bob' });
    expect(first.queued).toBe(true);
    expect(again.queued).toBe(false);
    expect(again.request.item.title).toBe(newItem().title);
    expect(again.request.requestedBy.name).toBe('Ann Lovelace');
    expect(await q.list()).toHaveLength(1);
  });

  it('refuses an invalid item at the edge', async () => {
    await expect(queue().enqueue(newItem({ ticketLink: 'not a link' }), lead)).rejects.toThrow(/http\(s\) URL/);
  });

  it('delivers a due request and calls onCreated', async () => {
    const q = queue();
    await q.enqueue(newItem(), lead);
    const report = await q.deliverDue(t0);
    expect(report).toEqual({ created: ['project-4711-1'], retrying: [], failed: [] });
    const r = await q.get('project-4711-1');
    expect(r).toMatchObject({ status: 'created', attempts: 1, lastError: null, result: { externalId: String(ado.items[0]!.id) } });
    expect(created.map((c) => c._id)).toEqual(['project-4711-1']);
    expect(failures).toHaveLength(0);
    // Nothing more is due.
    expect(await q.deliverDue(at(10 * 3_600_000))).toEqual({ created: [], retrying: [], failed: [] });
    expect(ado.items).toHaveLength(1);
  });

  it('retries with backoff until Azure DevOps recovers, telling the lead exactly once', async () => {
    const q = queue();
    await q.enqueue(newItem(), lead);
    ado.fail({ kind: 'status', status: 503 }, { times: 3 });

    expect((await q.deliverDue(t0)).retrying).toEqual(['project-4711-1']);
    let r = (await q.get('project-4711-1'))!;
    expect(r.status).toBe('pending');
    expect(r.nextAttemptAt).toEqual(at(30_000));
    expect(r.lastError).toMatch(/HTTP 503/);

    // Not due yet: nothing is sent.
    const sent = ado.requests.length;
    expect(await q.deliverDue(at(29_999))).toEqual({ created: [], retrying: [], failed: [] });
    expect(ado.requests.length).toBe(sent);

    expect((await q.deliverDue(at(30_000))).retrying).toEqual(['project-4711-1']);
    r = (await q.get('project-4711-1'))!;
    expect(r.nextAttemptAt).toEqual(at(30_000 + 60_000));

    expect((await q.deliverDue(at(90_000))).retrying).toEqual(['project-4711-1']);
    r = (await q.get('project-4711-1'))!;
    expect(r.nextAttemptAt).toEqual(at(90_000 + 120_000));

    expect((await q.deliverDue(at(210_000))).created).toEqual(['project-4711-1']);
    r = (await q.get('project-4711-1'))!;
    expect(r).toMatchObject({ status: 'created', attempts: 4, notifiedFailure: true });
    expect(ado.items).toHaveLength(1);

    expect(failures).toHaveLength(1);
    expect(failures[0]!.request.requestedBy).toEqual(lead);
    expect(failures[0]!.error).toBeInstanceOf(BacklogUnavailable);
    expect(created).toHaveLength(1);
  });

  it('waits as long as a 429 asks when that is longer than the backoff', async () => {
    const q = queue();
    await q.enqueue(newItem(), lead);
    ado.fail({ kind: 'throttle', retryAfterSeconds: 300 });
    await q.deliverDue(t0);
    expect((await q.get('project-4711-1'))!.nextAttemptAt).toEqual(at(300_000));
  });

  it('makes one work item when an attempt was applied but its answer lost', async () => {
    const q = queue();
    await q.enqueue(newItem(), lead);
    ado.fail({ kind: 'apply-then-fail', then: 'drop' }, { route: 'create' });
    expect((await q.deliverDue(t0)).retrying).toEqual(['project-4711-1']);
    expect(ado.items).toHaveLength(1);
    expect((await q.deliverDue(at(30_000))).created).toEqual(['project-4711-1']);
    expect(ado.items).toHaveLength(1);
    expect((await q.get('project-4711-1'))!.result?.externalId).toBe(String(ado.items[0]!.id));
  });

  it('ends a refused request as failed, never retried, and tells the lead', async () => {
    const bad = new AzureDevOpsBacklog({ organizationUrl: ado.organizationUrl, project: 'Digital', token: 'wrong', logger });
    const q = queue(bad);
    await q.enqueue(newItem(), lead);
    expect(await q.deliverDue(t0)).toEqual({ created: [], retrying: [], failed: ['project-4711-1'] });
    const r = (await q.get('project-4711-1'))!;
    expect(r.status).toBe('failed');
    expect(r.lastError).toMatch(/TF400813/);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.error).toBeInstanceOf(BacklogRefused);
    const sent = ado.requests.length;
    expect(await q.deliverDue(at(10 * 3_600_000))).toEqual({ created: [], retrying: [], failed: [] });
    expect(ado.requests.length).toBe(sent);
    expect(created).toHaveLength(0);
  });

  it('tells the lead again at the next failure when telling them failed', async () => {
    let calls = 0;
    const q = new BacklogQueue(new BacklogRequestRepository(store), {
      port: new AzureDevOpsBacklog({ organizationUrl: ado.organizationUrl, project: 'Digital', token: TOKEN, logger }),
      logger,
      clock: () => t0,
      onFirstFailure: () => {
        calls++;
        if (calls === 1) throw new Error('Teams is down too');
      },
    });
    await q.enqueue(newItem(), lead);
    ado.fail({ kind: 'status', status: 500 }, { times: 3 });
    await q.deliverDue(t0);
    await q.deliverDue(at(30_000));
    await q.deliverDue(at(90_000));
    expect(calls).toBe(2);
    expect((await q.get('project-4711-1'))!.notifiedFailure).toBe(true);
  });

  it('lets only one of two racing passes send a request', async () => {
    let sends = 0;
    const slow: BacklogPort = {
      kind: 'builtin',
      create: async (item) => {
        sends++;
        await new Promise((r) => setTimeout(r, 50));
        return { externalId: `X-${item.ticketNumber}`, url: null };
      },
    };
    const q = queue(slow);
    await q.enqueue(newItem(), lead);
    const [a, b] = await Promise.all([q.deliverDue(t0), q.deliverDue(t0)]);
    expect(sends).toBe(1);
    expect([...a.created, ...b.created]).toEqual(['project-4711-1']);
  });

  it('delivers to the built-in backlog through the same queue', async () => {
    const builtin = new BuiltinBacklog(new BacklogItemRepository(store), () => t0);
    const q = queue(builtin);
    await q.enqueue(newItem(), lead);
    await q.deliverDue(t0);
    const r = (await q.get('project-4711-1'))!;
    expect(r.status).toBe('created');
    expect(r.result).toEqual({ externalId: expect.stringMatching(/^BL-4711-[0-9a-f]{6}$/), url: null });
    expect((await builtin.list()).map((i) => i.externalId)).toEqual([r.result!.externalId]);
  });
});
