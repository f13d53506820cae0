import { createHash } from 'node:crypto';
import type { Request, Response } from 'restify';
import type { z } from 'zod';
import { ERROR_STATUS, type ApiError, type ErrorCode } from '../../tab/src/api/contract.js';

/** JSON answers of the tab API are never cached by the browser or a proxy. */
const NO_STORE = { 'cache-control': 'no-store' };

/** Answers `body` as JSON, not cached. */
export function sendJson(res: Response, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.send(status, body, { ...NO_STORE, ...headers });
}

/** Answers an `ApiError` with the status its code goes with. */
export function sendApiError(res: Response, code: ErrorCode, message: string, extra: Omit<ApiError, 'code' | 'message'> = {}): void {
  sendJson(res, ERROR_STATUS[code], { code, message, ...extra } satisfies ApiError);
}

/** A strong entity tag of an answer: a short hash of what it shows. */
export function etagOf(prefix: string, shown: unknown): string {
  return `${prefix}-${createHash('sha256').update(JSON.stringify(shown)).digest('base64url').slice(0, 22)}`;
}

/** Answers `body` with its `ETag`, or 304 with no body when the client's `If-None-Match` names it. */
export function sendWithEtag(req: Request, res: Response, etag: string, body: unknown): void {
  const quoted = `"${etag}"`;
  const asked = req.headers['if-none-match'];
  if (typeof asked === 'string' && asked.split(',').some((t) => t.trim() === quoted)) {
    res.writeHead(304, { etag: quoted, ...NO_STORE });
    res.end();
    return;
  }
  sendJson(res, 200, body, { etag: quoted });
}

/** The field a zod issue is about, dotted (`pattern.mon.lead`), or undefined for the whole input. */
export const issueField = (issue: z.core.$ZodIssue | undefined): string | undefined => (issue && issue.path.length > 0 ? issue.path.map(String).join('.') : undefined);

/**
 * Parses a query or a body with `schema`; on failure answers 400 (BadQuery / BadBody) naming the
 * field and its problem, and returns null. Nothing unparsed reaches a handler.
 */
export function parseOr400<T>(res: Response, schema: z.ZodType<T>, input: unknown, code: 'BadQuery' | 'BadBody'): T | null {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  // An unknown field is named with its own path (`pattern.sat`), not its parent's.
  const field = issue?.code === 'unrecognized_keys' ? [...issue.path.map(String), issue.keys[0] ?? ''].join('.') : issueField(issue);
  const what = code === 'BadQuery' ? 'query parameter' : 'field';
  const message =
    issue?.code === 'unrecognized_keys'
      ? `Unknown ${what}${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')}: nothing was changed.`
      : `${field ? `The ${what} ${field}` : 'The request'} is not right: ${issue?.message ?? 'invalid'}. Nothing was changed.`;
  sendApiError(res, code, message, field ? { field } : {});
  return null;
}

/** Answers 400 (BadQuery / BadBody) naming the field at fault and why; nothing was changed. */
export function sendBadInput(res: Response, code: 'BadQuery' | 'BadBody', field: string, message: string): void {
  sendApiError(res, code, message, { field });
}
