import { createHash } from 'node:crypto';
import { z } from 'zod';
import { BacklogRefused, BacklogUnavailable } from '../errors.js';
import type { Logger } from '../logger.js';
import type { BacklogPort, CreatedBacklogItem, NewBacklogItem } from './backlog-port.js';

/** How to reach one Azure DevOps project's Boards. */
export interface AzureDevOpsBacklogOptions {
  /** Organisation URL, e.g. https://dev.azure.com/contoso (tests point it at a local fake). */
  organizationUrl: string;
  project: string;
  /** Work item type to create (default "Product Backlog Item"). */
  workItemType?: string;
  /** Personal access token with Work Items (Read & write); sent as Basic auth, never logged. */
  token: string;
  /** Area path for new items; the project's default when unset. */
  areaPath?: string;
  fetch?: typeof fetch;
  /** Per-request timeout (default 15000 ms). */
  timeoutMs?: number;
  logger: Logger;
}

/** One JSON Patch operation of a work item create. */
export interface PatchOperation {
  op: 'add';
  path: string;
  value: unknown;
}

const API_VERSION = '7.1';

const wiqlAnswer = z.object({ workItems: z.array(z.object({ id: z.number().int() })) });
const workItemAnswer = z.object({
  id: z.number().int(),
  _links: z.object({ html: z.object({ href: z.string() }).optional() }).optional(),
});
const adoErrorBody = z.object({ message: z.string().min(1), typeKey: z.string().optional() });

/** The tag that marks the work item made for a request; Azure DevOps tags allow no `;` or `,`. */
export function requestTag(requestId: string): string {
  const safe = /^[A-Za-z0-9._:-]{1,100}$/.test(requestId) ? requestId : createHash('sha256').update(requestId).digest('hex').slice(0, 32);
  return `lgd-req-${safe}`;
}

/** Escapes text for HTML content and attribute values. */
function html(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The JSON Patch document that creates the work item for `item`. */
export function workItemPatch(item: NewBacklogItem, areaPath?: string): PatchOperation[] {
  const description = [
    `<p>${html(item.description).replace(/\r?\n/g, '<br>')}</p>`,
    `<p>Decided as project work by ${html(item.decidedBy)} during LGSS-IT-Digital triage.<br>`,
    `Raised by ${html(item.raisedBy)}. Area: ${html(item.area)}.<br>`,
    `LGD ticket: <a href="${html(item.ticketLink)}">LGD ${item.ticketNumber}</a></p>`,
  ].join('');
  const tagSafe = (s: string): string => s.replace(/[;,]/g, ' ').trim();
  const ops: PatchOperation[] = [
    { op: 'add', path: '/fields/System.Title', value: item.title },
    { op: 'add', path: '/fields/System.Description', value: description },
    { op: 'add', path: '/fields/System.Tags', value: ['LGD', `LGD-${item.ticketNumber}`, tagSafe(item.area), requestTag(item.requestId)].join('; ') },
  ];
  if (areaPath) ops.push({ op: 'add', path: '/fields/System.AreaPath', value: areaPath });
  ops.push({
    op: 'add',
    path: '/relations/-',
    value: { rel: 'Hyperlink', url: item.ticketLink, attributes: { comment: `LGD ${item.ticketNumber}` } },
  });
  return ops;
}

/**
 * Azure DevOps Boards as the project backlog. Work item creates are not idempotent, so each create
 * first asks (WIQL) for an item already carrying the request's tag and returns that one if found.
 */
export class AzureDevOpsBacklog implements BacklogPort {
  readonly kind = 'azure-devops' as const;
  private readonly base: string;
  private readonly workItemType: string;
  private readonly auth: string;
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;
  private readonly log: Logger;

  constructor(private readonly o: AzureDevOpsBacklogOptions) {
    this.base = `${o.organizationUrl.replace(/\/+$/, '')}/${encodeURIComponent(o.project)}`;
    this.workItemType = o.workItemType ?? 'Product Backlog Item';
    this.auth = `Basic ${Buffer.from(`:${o.token}`).toString('base64')}`;
    this.fetchFn = o.fetch ?? fetch;
    this.timeoutMs = o.timeoutMs ?? 15_000;
    this.log = o.logger.child({ component: 'azure-devops' });
  }

  /** Creates the work item, or returns the one an earlier attempt of the same request made. */
  async create(item: NewBacklogItem): Promise<CreatedBacklogItem> {
    const existing = await this.findByRequest(item.requestId);
    if (existing !== null) {
      this.log.info({ requestId: item.requestId, workItemId: existing }, 'work item already made for this request');
      return { externalId: String(existing), url: this.webUrl(existing) };
    }
    const url = `${this.base}/_apis/wit/workitems/${encodeURIComponent(`$${this.workItemType}`)}?api-version=${API_VERSION}`;
    const body = await this.send('create work item', url, 'application/json-patch+json', workItemPatch(item, this.o.areaPath));
    const created = parse(workItemAnswer, body, 'create work item');
    this.log.info({ requestId: item.requestId, workItemId: created.id, ticketNumber: item.ticketNumber }, 'work item created');
    return { externalId: String(created.id), url: created._links?.html?.href ?? this.webUrl(created.id) };
  }

  /** The id of the work item carrying the request's tag, or null. */
  private async findByRequest(requestId: string): Promise<number | null> {
    const tag = requestTag(requestId).replace(/'/g, "''");
    const query =
      `SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project ` + `AND [System.Tags] CONTAINS '${tag}' ORDER BY [System.Id]`;
    const body = await this.send('query by tag', `${this.base}/_apis/wit/wiql?api-version=${API_VERSION}`, 'application/json', { query });
    return parse(wiqlAnswer, body, 'query by tag').workItems[0]?.id ?? null;
  }

  private webUrl(id: number): string {
    return `${this.base}/_workitems/edit/${id}`;
  }

  /** POSTs JSON and returns the parsed answer; failures become BacklogUnavailable / BacklogRefused. */
  private async send(what: string, url: string, contentType: string, payload: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await this.fetchFn(url, {
        method: 'POST',
        headers: { Authorization: this.auth, 'Content-Type': contentType, Accept: 'application/json' },
        body: JSON.stringify(payload),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      throw new BacklogUnavailable(timedOut ? `${what}: no answer within ${this.timeoutMs} ms` : `${what}: connection failed (${causeCode(err)})`, {
        cause: err,
      });
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw new BacklogUnavailable(`${what}: the answer broke off (HTTP ${res.status})`, { cause: err, status: res.status });
    }
    if (res.status === 429 || res.status >= 500) {
      throw new BacklogUnavailable(`${what}: HTTP ${res.status}: ${adoMessage(text) ?? 'no message'}`, {
        status: res.status,
        retryAfterMs: retryAfterMs(res.headers.get('retry-after')),
      });
    }
    if (res.status === 401 || res.status === 403 || res.status === 203 || (res.status >= 300 && res.status < 400)) {
      // 203 and redirects are Azure DevOps' sign-in page: the token was not accepted.
      throw new BacklogRefused(res.status, adoMessage(text) ?? `the token was not accepted (HTTP ${res.status})`, {
        hint: 'check AZURE_DEVOPS_TOKEN: it must be valid and have the Work Items (Read & write) scope',
      });
    }
    if (res.status >= 400) {
      throw new BacklogRefused(res.status, adoMessage(text) ?? `HTTP ${res.status}`, {
        hint: 'check AZURE_DEVOPS_PROJECT, AZURE_DEVOPS_WORK_ITEM_TYPE and AZURE_DEVOPS_AREA_PATH',
      });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new BacklogUnavailable(`${what}: unreadable answer (HTTP ${res.status}): "${text.slice(0, 80)}"`, { cause: err, status: res.status });
    }
  }
}

/** Validates an answer; an unexpected shape is retried (the create is safe to repeat: it checks first). */
function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new BacklogUnavailable(`${what}: unexpected answer (${issue?.path.join('.') || '(root)'} ${issue?.message ?? 'invalid'})`);
}

/** Azure DevOps' own message in an error answer (`{ message, typeKey }`), if there is one. */
function adoMessage(text: string): string | null {
  try {
    const r = adoErrorBody.safeParse(JSON.parse(text));
    if (r.success) return r.data.typeKey ? `${r.data.message} [${r.data.typeKey}]` : r.data.message;
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
  }
  return null;
}

/** Retry-After in ms: delta-seconds or an HTTP date. */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function causeCode(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { code?: string } | undefined) : undefined;
  return cause?.code ?? (err instanceof Error ? err.name : 'unknown');
}
