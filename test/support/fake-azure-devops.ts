import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local fake of the slice of the Azure DevOps REST API the backlog uses: create a work item
 * (JSON Patch) and a WIQL query by tag. It checks what the real service checks (Basic auth with a
 * PAT, api-version, content type, patch shape, known work item types) and answers errors in
 * Azure DevOps' own shape (`{ message, typeKey }`). Tests can make it fail on purpose.
 */

/** A work item as the fake keeps it. */
export interface FakeWorkItem {
  id: number;
  type: string;
  fields: Record<string, unknown>;
  relations: { rel: string; url: string; attributes?: Record<string, unknown> }[];
}

/** A request as the fake saw it. */
export interface RecordedAdoRequest {
  method: string;
  /** Path without the query. */
  path: string;
  route: 'create' | 'wiql' | null;
  apiVersion: string | null;
  contentType: string;
  authorized: boolean;
  body: unknown;
  status: number | 'dropped' | 'hung';
}

/** A way to fail one request on purpose. */
export type AdoFailure =
  | { kind: 'status'; status: 500 | 503 }
  | { kind: 'throttle'; retryAfterSeconds: number }
  | { kind: 'unauthorized' }
  | { kind: 'drop' }
  | { kind: 'hang' }
  /** Creates the work item, then answers 500 (or drops the connection): the write happened. */
  | { kind: 'apply-then-fail'; then: 'status' | 'drop' };

export interface FakeAzureDevOps {
  /** Organisation URL to configure, e.g. http://127.0.0.1:PORT/contoso. */
  readonly organizationUrl: string;
  readonly items: FakeWorkItem[];
  readonly requests: RecordedAdoRequest[];
  /** Fails the next `times` requests to `route` (default: any) the given way. */
  fail(failure: AdoFailure, opts?: { times?: number; route?: 'create' | 'wiql' }): void;
  close(): Promise<void>;
}

export interface FakeAzureDevOpsOptions {
  token: string;
  organization?: string;
  project: string;
  workItemTypes?: string[];
}

const ALLOWED_FIELDS = new Set(['/fields/System.Title', '/fields/System.Description', '/fields/System.Tags', '/fields/System.AreaPath']);

/** Starts the fake on 127.0.0.1 and a free port. */
export async function startFakeAzureDevOps(opts: FakeAzureDevOpsOptions): Promise<FakeAzureDevOps> {
  const org = opts.organization ?? 'contoso';
  const types = opts.workItemTypes ?? ['Product Backlog Item', 'Bug', 'Epic'];
  const expectedAuth = `Basic ${Buffer.from(`:${opts.token}`).toString('base64')}`;
  const items: FakeWorkItem[] = [];
  const requests: RecordedAdoRequest[] = [];
  const failures: { failure: AdoFailure; times: number; route: 'create' | 'wiql' | undefined }[] = [];
  let nextId = 101;
  let base = '';

  const send = (res: ServerResponse, rec: RecordedAdoRequest, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    rec.status = status;
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
  const adoError = (message: string, typeKey: string): Record<string, unknown> => ({
    $id: '1',
    innerException: null,
    message,
    typeName: `Microsoft.TeamFoundation.${typeKey}, Microsoft.TeamFoundation`,
    typeKey,
    errorCode: 0,
    eventId: 3000,
  });
  const takeFailure = (route: 'create' | 'wiql' | null): AdoFailure | null => {
    const i = failures.findIndex((f) => f.route === undefined || f.route === route);
    const f = failures[i];
    if (!f) return null;
    if (--f.times <= 0) failures.splice(i, 1);
    return f.failure;
  };

  const create = (type: string, patch: unknown): { item: FakeWorkItem } | { error: [number, string, string] } => {
    if (!types.some((t) => t.toLowerCase() === type.toLowerCase()))
      return { error: [404, `VS402323: Work item type ${type} does not exist in project ${opts.project} or you do not have permission to access it.`, 'WorkItemTypeNotFoundException'] };
    if (!Array.isArray(patch) || patch.length === 0) return { error: [400, 'You must pass a valid patch document in the body of the request.', 'VssPropertyValidationException'] };
    const item: FakeWorkItem = { id: 0, type, fields: {}, relations: [] };
    for (const op of patch as Record<string, unknown>[]) {
      if (op?.op !== 'add' || typeof op.path !== 'string') return { error: [400, `Invalid patch operation: ${JSON.stringify(op)}`, 'PatchOperationFailedException'] };
      if (op.path === '/relations/-') {
        const v = op.value as { rel?: unknown; url?: unknown; attributes?: Record<string, unknown> };
        if (v?.rel !== 'Hyperlink' || typeof v.url !== 'string' || !/^https?:\/\//.test(v.url))
          return { error: [400, 'Invalid relation: a Hyperlink needs an absolute url.', 'WorkItemLinkInvalidException'] };
        item.relations.push({ rel: v.rel, url: v.url, attributes: v.attributes });
      } else if (ALLOWED_FIELDS.has(op.path)) {
        if (typeof op.value !== 'string') return { error: [400, `TF51535: Cannot find field ${op.path}.`, 'WorkItemFieldInvalidException'] };
        item.fields[op.path.slice('/fields/'.length)] = op.value;
      } else return { error: [400, `TF51535: Cannot find field ${op.path.slice('/fields/'.length)}.`, 'WorkItemFieldInvalidException'] };
    }
    if (!item.fields['System.Title']) return { error: [400, "TF401320: Rule Error for field Title. Error code: Required, HasValues, LimitedToValues, AllowsOldValue, InvalidEmpty.", 'RuleValidationException'] };
    item.id = nextId++;
    items.push(item);
    return { item };
  };

  const answerOf = (item: FakeWorkItem): Record<string, unknown> => ({
    id: item.id,
    rev: 1,
    fields: { 'System.WorkItemType': item.type, 'System.State': 'New', ...item.fields },
    relations: item.relations,
    _links: { html: { href: `${base}/${org}/${encodeURIComponent(opts.project)}/_workitems/edit/${item.id}` } },
    url: `${base}/${org}/_apis/wit/workItems/${item.id}`,
  });

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    const url = new URL(req.url ?? '/', base);
    const path = decodeURIComponent(url.pathname);
    const prefix = `/${org}/${opts.project}/_apis/wit/`;
    const route = req.method === 'POST' && path.startsWith(`${prefix}workitems/$`) ? 'create' : req.method === 'POST' && path === `${prefix}wiql` ? 'wiql' : null;
    let body: unknown;
    try {
      body = raw ? (JSON.parse(raw) as unknown) : null;
    } catch (err) {
      body = { unparsable: raw, error: (err as Error).message };
    }
    const rec: RecordedAdoRequest = {
      method: req.method ?? '',
      path,
      route,
      apiVersion: url.searchParams.get('api-version'),
      contentType: String(req.headers['content-type'] ?? ''),
      authorized: req.headers.authorization === expectedAuth,
      body,
      status: 0,
    };
    requests.push(rec);

    const failure = takeFailure(route);
    if (failure?.kind === 'drop') {
      rec.status = 'dropped';
      req.socket.destroy();
      return;
    }
    if (failure?.kind === 'hang') {
      rec.status = 'hung';
      return;
    }
    if (failure?.kind === 'status') return send(res, rec, failure.status, adoError('The service is temporarily unavailable.', 'ServiceUnavailableException'));
    if (failure?.kind === 'throttle')
      return send(res, rec, 429, adoError('Request was blocked due to exceeding usage of resource.', 'RequestBlockedException'), {
        'Retry-After': String(failure.retryAfterSeconds),
      });
    if (failure?.kind === 'unauthorized' || !rec.authorized)
      return send(res, rec, 401, adoError('TF400813: The user is not authorized to access this resource.', 'UnauthorizedRequestException'));
    if (!route) return send(res, rec, 404, adoError(`The resource ${path} cannot be found.`, 'NotFoundException'));
    if (rec.apiVersion !== '7.1') return send(res, rec, 400, adoError('The requested REST API version is not supported.', 'VssVersionNotSupportedException'));

    if (route === 'wiql') {
      if (!rec.contentType.startsWith('application/json')) return send(res, rec, 415, adoError('Unsupported media type.', 'UnsupportedMediaTypeException'));
      const query = (body as { query?: unknown })?.query;
      const tag = typeof query === 'string' ? /\[System\.Tags\]\s+CONTAINS\s+'((?:[^']|'')*)'/i.exec(query)?.[1]?.replace(/''/g, "'") : undefined;
      if (!tag) return send(res, rec, 400, adoError('The query is not supported by this fake.', 'WiqlSyntaxException'));
      const found = items.filter((i) =>
        (typeof i.fields['System.Tags'] === 'string' ? i.fields['System.Tags'] : '')
          .split(';')
          .some((t) => t.trim().toLowerCase() === tag.toLowerCase()),
      );
      return send(res, rec, 200, {
        queryType: 'flat',
        queryResultType: 'workItem',
        asOf: new Date().toISOString(),
        columns: [{ referenceName: 'System.Id', name: 'ID' }],
        workItems: found.map((i) => ({ id: i.id, url: `${base}/${org}/_apis/wit/workItems/${i.id}` })),
      });
    }

    if (rec.contentType.split(';')[0]?.trim() !== 'application/json-patch+json')
      return send(res, rec, 400, adoError(`The request indicated a Content-Type of "${rec.contentType}" for method type "POST" which is not supported.`, 'VssRequestContentTypeNotSupportedException'));
    const made = create(path.slice(`${prefix}workitems/$`.length), body);
    if ('error' in made) return send(res, rec, made.error[0], adoError(made.error[1], made.error[2]));
    if (failure?.kind === 'apply-then-fail') {
      if (failure.then === 'drop') {
        rec.status = 'dropped';
        req.socket.destroy();
        return;
      }
      return send(res, rec, 500, adoError('An unexpected error occurred after the write.', 'InternalServerErrorException'));
    }
    return send(res, rec, 200, answerOf(made.item));
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    organizationUrl: `${base}/${org}`,
    items,
    requests,
    fail(failure, o = {}) {
      failures.push({ failure, times: o.times ?? 1, route: o.route });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
