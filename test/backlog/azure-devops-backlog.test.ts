import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AzureDevOpsBacklog, requestTag } from '../../bot/backlog/azure-devops-backlog.js';
import { BacklogRefused, BacklogUnavailable } from '../../bot/errors.js';
import { startFakeAzureDevOps, type FakeAzureDevOps } from '../support/fake-azure-devops.js';
import { newItem, recordingLogger } from './backlog-fixtures.js';

const TOKEN = 'pat-5ecret-abcdefghijklmnop';
let ado: FakeAzureDevOps;
let log: ReturnType<typeof recordingLogger>;

beforeEach(async () => {
  ado = await startFakeAzureDevOps({ token: TOKEN, project: 'Digital Projects' });
  log = recordingLogger();
});
afterEach(async () => {
  await ado.close();
});

function backlog(over: Partial<ConstructorParameters<typeof AzureDevOpsBacklog>[0]> = {}): AzureDevOpsBacklog {
  return new AzureDevOpsBacklog({ organizationUrl: ado.organizationUrl, project: 'Digital Projects', token: TOKEN, logger: log.logger, ...over });
}

async function failureOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

describe('AzureDevOpsBacklog', () => {
  it('creates a work item with exactly the expected patch operations', async () => {
    const made = await backlog({ areaPath: 'Digital Projects\\Place' }).create(newItem());

    expect(ado.items).toHaveLength(1);
    const item = ado.items[0]!;
    expect(made).toEqual({ externalId: String(item.id), url: `${ado.organizationUrl}/Digital%20Projects/_workitems/edit/${item.id}` });
    expect(item.type).toBe('Product Backlog Item');

    const createReq = ado.requests.find((r) => r.route === 'create')!;
    expect(createReq.path).toBe('/contoso/Digital Projects/_apis/wit/workitems/$Product Backlog Item');
    expect(createReq.apiVersion).toBe('7.1');
    expect(createReq.contentType).toBe('application/json-patch+json');
    expect(createReq.authorized).toBe(true);
    const description =
      '<p>Please build a &lt;portal&gt; so residents can renew &quot;permits&quot; &amp; pay.<br>They ask daily.</p>' +
      '<p>Decided as project work by Ann Lovelace during LGSS-IT-Digital triage.<br>' +
      'Raised by Jo Bloggs. Area: Place &amp; Economy.<br>' +
      `LGD ticket: <a href="${newItem().ticketLink.replace(/&/g, '&amp;')}">LGD 4711</a></p>`;
    expect(createReq.body).toEqual([
      { op: 'add', path: '/fields/System.Title', value: 'Self-service portal for parking permits' },
      { op: 'add', path: '/fields/System.Description', value: description },
      { op: 'add', path: '/fields/System.Tags', value: 'LGD; LGD-4711; Place & Economy; lgd-req-project-4711-1' },
      { op: 'add', path: '/fields/System.AreaPath', value: 'Digital Projects\\Place' },
      { op: 'add', path: '/relations/-', value: { rel: 'Hyperlink', url: newItem().ticketLink, attributes: { comment: 'LGD 4711' } } },
    ]);
    // It looked for an earlier attempt first.
    expect(ado.requests.map((r) => r.route)).toEqual(['wiql', 'create']);
    expect(JSON.stringify(ado.requests[0]!.body)).toContain("[System.Tags] CONTAINS 'lgd-req-project-4711-1'");
  });

  it('leaves out the area path when none is configured and uses the configured type', async () => {
    await backlog({ workItemType: 'Epic' }).create(newItem());
    const createReq = ado.requests.find((r) => r.route === 'create')!;
    expect(createReq.path).toMatch(/\/workitems\/\$Epic$/);
    expect((createReq.body as { path: string }[]).map((op) => op.path)).not.toContain('/fields/System.AreaPath');
  });

  it('creates nothing new for a repeat of the same requestId', async () => {
    const b = backlog();
    const first = await b.create(newItem());
    const again = await b.create(newItem({ title: 'changed title' }));
    expect(again).toEqual(first);
    expect(ado.items).toHaveLength(1);
    expect(ado.requests.filter((r) => r.route === 'create')).toHaveLength(1);
    // A different request for the same ticket is a new item.
    await b.create(newItem({ requestId: 'project-4711-2' }));
    expect(ado.items).toHaveLength(2);
  });

  it('finds the item an attempt made before its answer was lost (apply-then-fail), and makes no second', async () => {
    const b = backlog();
    ado.fail({ kind: 'apply-then-fail', then: 'status' }, { route: 'create' });
    expect(await failureOf(b.create(newItem()))).toBeInstanceOf(BacklogUnavailable);
    ado.fail({ kind: 'apply-then-fail', then: 'drop' }, { route: 'create' });
    expect(await failureOf(b.create(newItem({ requestId: 'other-request' })))).toBeInstanceOf(BacklogUnavailable);
    expect(ado.items).toHaveLength(2);

    const retried = await b.create(newItem());
    const retriedOther = await b.create(newItem({ requestId: 'other-request' }));
    expect(ado.items).toHaveLength(2);
    expect(retried.externalId).toBe(String(ado.items[0]!.id));
    expect(retriedOther.externalId).toBe(String(ado.items[1]!.id));
  });

  it('maps a refused token (401) to BacklogRefused with Azure DevOps\' message, and never shows the token', async () => {
    const err = await failureOf(backlog({ token: 'wrong-token-value' }).create(newItem()));
    expect(err).toBeInstanceOf(BacklogRefused);
    const refused = err as BacklogRefused;
    expect(refused.code).toBe('BACKLOG_REFUSED');
    expect(refused.status).toBe(401);
    expect(refused.retryable).toBe(false);
    expect(refused.backlogMessage).toContain('TF400813: The user is not authorized');
    expect(refused.userMessage).toMatch(/AZURE_DEVOPS_TOKEN/);
    expect(ado.items).toHaveLength(0);
    expect(`${refused.message} ${log.text()}`).not.toContain('wrong-token-value');
  });

  it('maps an unknown work item type (404) to BacklogRefused naming it', async () => {
    await expect(backlog({ workItemType: 'User Story' }).create(newItem())).rejects.toMatchObject({
      code: 'BACKLOG_REFUSED',
      status: 404,
      backlogMessage: expect.stringContaining('Work item type User Story does not exist'),
    });
  });

  it('maps 500, 429 and a dropped connection to BacklogUnavailable (retryable), with Retry-After', async () => {
    const b = backlog();
    ado.fail({ kind: 'status', status: 500 });
    const e500 = (await failureOf(b.create(newItem()))) as BacklogUnavailable;
    expect(e500).toBeInstanceOf(BacklogUnavailable);
    expect(e500).toMatchObject({ code: 'BACKLOG_UNAVAILABLE', status: 500, retryable: true });

    ado.fail({ kind: 'throttle', retryAfterSeconds: 90 });
    const e429 = (await failureOf(b.create(newItem()))) as BacklogUnavailable;
    expect(e429).toMatchObject({ status: 429, retryAfterMs: 90_000 });

    ado.fail({ kind: 'drop' });
    const dropped = (await failureOf(b.create(newItem()))) as BacklogUnavailable;
    expect(dropped).toBeInstanceOf(BacklogUnavailable);
    expect(dropped.message).toMatch(/connection failed/);
    expect(ado.items).toHaveLength(0);
  });

  it('gives up on a hung request after its timeout', async () => {
    ado.fail({ kind: 'hang' });
    const started = Date.now();
    const err = (await failureOf(backlog({ timeoutMs: 300 }).create(newItem()))) as BacklogUnavailable;
    expect(err).toBeInstanceOf(BacklogUnavailable);
    expect(err.message).toMatch(/no answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('never logs the token, even at trace level', async () => {
    await backlog().create(newItem());
    const encoded = Buffer.from(`:${TOKEN}`).toString('base64');
    expect(log.text()).toContain('work item created');
    expect(log.text()).not.toContain(TOKEN);
    expect(log.text()).not.toContain(encoded);
  });

  it('makes tags safe for any request id', () => {
    expect(requestTag('abc-123')).toBe('lgd-req-abc-123');
    const odd = requestTag("it's; a, request");
    expect(odd).toMatch(/^lgd-req-[0-9a-f]{32}$/);
    expect(requestTag("it's; a, request")).toBe(odd);
  });
});
