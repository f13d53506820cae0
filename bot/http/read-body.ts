import type { IncomingMessage } from 'node:http';
import { createGunzip, createInflate, type Gunzip, type Inflate } from 'node:zlib';
import { RequestRefused } from '../errors.js';

/** What one request body may hold. */
export interface BodyLimits {
  /** Largest body in bytes, on the wire and again after inflating (Bot Framework activities are well under 256 KB). */
  maxBytes: number;
  /** Deepest nesting of objects and arrays (an activity nests about ten levels). */
  maxDepth: number;
  /** How long the whole body may take to arrive once the handler starts reading it. */
  timeoutMs: number;
}

/** The limits every JSON body is read with unless a server says otherwise. */
export const DEFAULT_BODY_LIMITS: BodyLimits = { maxBytes: 256 * 1024, maxDepth: 32, timeoutMs: 10_000 };

const refuse = (status: number, code: string, message: string, closeConnection = false, cause?: unknown): RequestRefused =>
  new RequestRefused(status, code, message, { closeConnection, cause });

/** The body's media type must be JSON in UTF-8 (the only thing the app reads). */
function checkContentType(header: string | undefined): void {
  const [type = '', ...params] = (header ?? '').split(';').map((s) => s.trim().toLowerCase());
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/^"|"$/g, '');
  if (type !== 'application/json' || (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')) {
    throw refuse(415, 'UnsupportedMediaType', 'Send the body as JSON in UTF-8 (Content-Type: application/json).', true);
  }
}

/** The inflater a Content-Encoding asks for; null for none; 415 for anything else. */
function inflaterFor(header: string | undefined): { name: string; stream: Gunzip | Inflate } | null {
  const encoding = (header ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return null;
  if (encoding === 'gzip' || encoding === 'x-gzip') return { name: 'gzip', stream: createGunzip() };
  if (encoding === 'deflate') return { name: 'deflate', stream: createInflate() };
  throw refuse(415, 'UnsupportedEncoding', 'Content-Encoding must be gzip, deflate or none.', true);
}

/**
 * Reads a request body as bytes: at most `maxBytes` on the wire and at most `maxBytes` after
 * inflating gzip or deflate, within `timeoutMs`. Every failure is a RequestRefused (400, 408, 413,
 * 415), never a thrown stream error: a broken or endless body cannot stop the process or fill its memory.
 */
export async function readBodyBytes(req: IncomingMessage, limits: BodyLimits = DEFAULT_BODY_LIMITS): Promise<Buffer> {
  const tooLarge = (): RequestRefused =>
    refuse(413, 'PayloadTooLarge', `The body is larger than ${Math.round(limits.maxBytes / 1024)} KB (after inflating, if compressed).`, true);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBytes) throw tooLarge();
  const inflater = inflaterFor(req.headers['content-encoding']);

  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let wire = 0;
    let size = 0;
    let settled = false;
    const finish = (err: RequestRefused | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onWire).off('end', onWireEnd).off('error', onWireError).off('close', onWireClose);
      if (inflater) {
        inflater.stream.off('data', onBody).off('end', onBodyEnd);
        // A stream error after this point has nobody to tell: keep one listener so it cannot crash the process.
        inflater.stream.on('error', () => {});
        inflater.stream.destroy();
      }
      if (err) {
        // Whatever else the client sends is dropped: the answer closes the connection.
        req.pause();
        reject(err);
      } else {
        resolve(Buffer.concat(chunks, size));
      }
    };
    const onBody = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limits.maxBytes) finish(tooLarge());
      else chunks.push(chunk);
    };
    const onBodyEnd = (): void => finish(null);
    const onWire = (chunk: Buffer): void => {
      wire += chunk.length;
      if (wire > limits.maxBytes) finish(tooLarge());
      else if (inflater) inflater.stream.write(chunk);
      else onBody(chunk);
    };
    const onWireEnd = (): void => {
      if (inflater) inflater.stream.end();
      else finish(null);
    };
    const onWireError = (err: Error): void => finish(refuse(400, 'BadBody', 'The body could not be read.', true, err));
    const onWireClose = (): void => {
      if (!req.complete) finish(refuse(400, 'BadBody', 'The body ended before it was complete.', true));
    };
    const timer = setTimeout(
      () => finish(refuse(408, 'RequestTimeout', `The body did not arrive within ${Math.round(limits.timeoutMs / 1000)} seconds.`, true)),
      limits.timeoutMs,
    );
    if (inflater) {
      const name = inflater.name;
      inflater.stream.on('data', onBody).on('end', onBodyEnd);
      inflater.stream.on('error', (err) => finish(refuse(400, 'BadEncoding', `The body is not valid ${name} data (or it is cut short).`, true, err)));
    }
    req.on('data', onWire).on('end', onWireEnd).on('error', onWireError).on('close', onWireClose);
  });
}

/** Throws a 400 when `text` nests objects and arrays deeper than `maxDepth`; one linear pass that skips strings. */
export function checkJsonDepth(text: string, maxDepth: number): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) throw refuse(400, 'TooDeep', `The JSON nests objects and arrays more than ${maxDepth} levels deep.`);
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads and parses a JSON request body within `limits`: JSON media type, bounded size before and
 * after inflating, bounded nesting, valid UTF-8 and JSON; each problem a RequestRefused with a
 * sentence the caller can act on.
 */
export async function readJsonBody(req: IncomingMessage, limits: BodyLimits = DEFAULT_BODY_LIMITS): Promise<unknown> {
  checkContentType(req.headers['content-type']);
  const bytes = await readBodyBytes(req, limits);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (err) {
    throw refuse(400, 'BadBody', 'The body is not valid UTF-8.', false, err);
  }
  if (text.trim() === '') throw refuse(400, 'EmptyBody', 'The body is empty; send a JSON document.');
  checkJsonDepth(text, limits.maxDepth);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const reason = err instanceof SyntaxError ? err.message.slice(0, 200) : 'it could not be parsed';
    throw refuse(400, 'InvalidJson', `Invalid JSON: ${reason}`, false, err);
  }
}
