import { createHash } from 'node:crypto';
import type { Request, Response } from 'restify';

/** A strong ETag for a JSON value: the hash of its text (with `prefix` naming the resource). */
export function etagOf(prefix: string, value: unknown): string {
  return `${prefix}-${createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 22)}`;
}

/** Answers 200 with `body` (whose `etag` is sent as the quoted `ETag` header), or 304 with no body when `If-None-Match` names it. */
export function sendWithEtag(req: Request, res: Response, body: { etag: string }): void {
  const quoted = `"${body.etag}"`;
  res.setHeader('etag', quoted);
  res.setHeader('cache-control', 'no-store');
  const match = req.headers['if-none-match'];
  if (typeof match === 'string' && match.split(',').some((m) => m.trim() === quoted || m.trim() === `W/${quoted}`)) {
    res.send(304);
    return;
  }
  res.send(200, body);
}
