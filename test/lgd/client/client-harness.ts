/** Helpers for LGD client tests: a simulator per need, a recording fetch, a log capture. */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { LgdClient, type LgdClientOptions } from '../../../bot/lgd/client/lgd-client.js';
import { defaultLgdMapping, lgdMappingSchema, type LgdMapping } from '../../../bot/lgd/lgd-mapping.js';
import type { SimIncident, SimState } from '../../../bot/lgd/simulator/sim-state.js';

export const USERNAME = 'lgd.service';
export const PASSWORD = 'lgd-simulator';
export const GROUP = 'LGSS-IT-Digital';

/** One request the client sent. */
export interface SentRequest {
  method: string;
  /** Path after the base URL's host, lower-cased. */
  path: string;
  url: URL;
  body: string;
}

/** A fetch that records each request and can run a hook before sending it. */
export function recordingFetch(hook?: (r: SentRequest) => void | Promise<void>): { fetch: typeof fetch; sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  const f: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const r: SentRequest = {
      method: init?.method ?? 'GET',
      path: url.pathname.toLowerCase(),
      url,
      body: typeof init?.body === 'string' ? init.body : '',
    };
    sent.push(r);
    await hook?.(r);
    return fetch(input, init);
  };
  return { fetch: f, sent };
}

/** How many requests went to a controller path ending (e.g. 'logon/logon.rails'). */
export const count = (sent: readonly SentRequest[], ending: string): number =>
  sent.filter((r) => r.path.endsWith(ending.toLowerCase())).length;

/** A pino logger writing every line (trace and up) into an array. */
export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: pino({ level: 'trace' }, stream), lines };
}

/** A client against a base URL with test defaults. */
export function makeClient(baseUrl: string, overrides: Partial<LgdClientOptions> = {}): LgdClient {
  return new LgdClient({
    baseUrl,
    username: USERNAME,
    password: PASSWORD,
    mapping: defaultLgdMapping,
    timeoutMs: 5_000,
    ...overrides,
  });
}

/** The default mapping with another page size. */
export const mappingWithPageSize = (pageSize: number): LgdMapping => lgdMappingSchema.parse({ pageSize });

/** Raises `n` incidents in a group, LastUpdate one minute apart from `from`. */
export function seedIncidents(
  state: SimState,
  n: number,
  opts: { group?: string; from?: Date; status?: string; firstId?: number } = {},
): SimIncident[] {
  const group = state.addGroup(opts.group ?? GROUP);
  const from = opts.from ?? new Date('2026-06-01T09:00:00Z');
  const out: SimIncident[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      state.raiseIncident({
        ...(opts.firstId === undefined ? {} : { id: opts.firstId + i }),
        title: `Ticket ${i + 1} of ${group.title}`,
        description: `Generated test ticket ${i + 1}`,
        status: opts.status ?? 'Active',
        groupKey: group.guid,
        raiseUser: 'Sam Jones',
        priority: '3',
        category: 'Software',
        at: new Date(from.getTime() + i * 60_000),
      }),
    );
  }
  return out;
}

/** Awaits a promise that must reject and returns its error. */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}
