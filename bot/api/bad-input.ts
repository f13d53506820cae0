import type { Response } from 'restify';
import type { z } from 'zod';

/** The 400 codes: a bad query parameter, or a bad body. */
export type BadInputCode = 'BadQuery' | 'BadBody';

/** Answers 400 `{ code, message, field }`. */
export function sendBadInput(res: Response, code: BadInputCode, field: string, message: string): void {
  res.send(400, { code, message, field });
}

/**
 * Parses a query or body with `schema` into typed values; on failure answers 400 with the first
 * problem's field (dotted, unknown fields named) and returns null. Nothing unparsed goes further.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, code: BadInputCode, res: Response): z.output<S> | null {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = (issue?.path ?? []).map(String);
  if (issue?.code === 'unrecognized_keys') {
    const field = [...path, issue.keys[0] ?? ''].join('.');
    sendBadInput(res, code, field, `${field} is not a field this takes. Nothing was changed.`);
    return null;
  }
  const field = path.join('.') || (code === 'BadQuery' ? 'query' : 'body');
  sendBadInput(res, code, field, `${field}: ${issue?.message ?? 'not valid'}.`);
  return null;
}
