import { z } from 'zod';
import type { LgdDateParser } from './lgd-date-parser.js';
import { LgdBadResponse, type LgdRequestInfo } from './lgd-errors.js';

/** Attribute values are strings in LGD's answers; a null is read as empty. */
const attributesSchema = z.record(z.string(), z.string().nullable());

/** One record as `list.rails` and `open.rails` render it. */
export const lgdObjectSchema = z.object({
  className: z.string().min(1),
  value: z.string().min(1),
  name: z.string().nullish(),
  attributes: attributesSchema,
});

export type LgdObject = z.infer<typeof lgdObjectSchema>;

const count = z.number().int().min(0).nullish();

/** The `list.rails` envelope. `objectCount` is read but never trusted. */
export const lgdListSchema = z.object({
  objectCount: count,
  pageCount: count,
  pageNumber: count,
  pageSize: count,
  objects: z.array(lgdObjectSchema),
});

export type LgdList = z.infer<typeof lgdListSchema>;

/** A JSON `{message}` body of an error answer, or a `{result:false,message}` one. */
export const lgdMessageSchema = z.object({ message: z.string(), result: z.boolean().optional() });

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isCount = (v: unknown): boolean => v === undefined || v === null || (Number.isInteger(v) && (v as number) >= 0);
const isOptionalString = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string';

/** True when `v` is a record lgdObjectSchema accepts (a check that copies nothing). */
function isLgdObject(v: unknown): boolean {
  if (!isRecord(v)) return false;
  const { className, value, name, attributes } = v;
  if (typeof className !== 'string' || className === '' || typeof value !== 'string' || value === '' || !isOptionalString(name) || !isRecord(attributes)) return false;
  for (const k in attributes) {
    if (!Object.hasOwn(attributes, k)) return false;
    const a = attributes[k];
    if (a !== null && typeof a !== 'string') return false;
  }
  return true;
}

/** True when `v` is a list lgdListSchema accepts. */
function isLgdList(v: unknown): boolean {
  if (!isRecord(v) || !Array.isArray(v.objects)) return false;
  if (!isCount(v.objectCount) || !isCount(v.pageCount) || !isCount(v.pageNumber) || !isCount(v.pageSize)) return false;
  for (const o of v.objects) if (!isLgdObject(o)) return false;
  return true;
}

/**
 * Checks that accept exactly what a schema accepts without copying the answer (zod rebuilds every
 * record: a sync's pages are thousands). What they refuse goes to zod, which words the problem.
 * The answer is kept as parsed: keys the schema does not name stay on it, unread.
 */
const quickChecks = new Map<z.ZodType, (v: unknown) => boolean>([
  [lgdListSchema, isLgdList],
  [lgdObjectSchema, isLgdObject],
]);

/** Parses `body` with `schema`; a mismatch becomes LgdBadResponse naming the request. */
export function validate<T>(schema: z.ZodType<T>, body: unknown, request: LgdRequestInfo, what: string): T {
  if (quickChecks.get(schema)?.(body)) return body as T;
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issues = r.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  throw new LgdBadResponse(`${what} did not have the expected shape (${issues})`, { request });
}

/** Reads one record's attributes; any problem becomes LgdBadResponse naming record and request. */
export class AttributeReader {
  constructor(
    private readonly obj: LgdObject,
    private readonly request: LgdRequestInfo,
    private readonly dates: LgdDateParser,
  ) {}

  private fail(detail: string): never {
    throw new LgdBadResponse(`${this.obj.className} ${this.obj.value}: ${detail}`, { request: this.request });
  }

  /** The attribute as a string ('' for null); missing from the answer is an error. */
  text(path: string): string {
    if (!Object.hasOwn(this.obj.attributes, path)) this.fail(`attribute "${path}" is missing`);
    return this.obj.attributes[path] ?? '';
  }

  /** The attribute, or null when empty. */
  optional(path: string): string | null {
    const v = this.text(path).trim();
    return v === '' ? null : v;
  }

  /** A non-empty attribute. */
  required(path: string): string {
    const v = this.optional(path);
    if (v === null) this.fail(`attribute "${path}" is empty`);
    return v;
  }

  /** A whole number. */
  integer(path: string): number {
    const v = this.required(path);
    if (!/^-?\d+$/.test(v)) this.fail(`attribute "${path}" is not a whole number: "${v}"`);
    return Number(v);
  }

  /** A date in the session's format and zone. */
  date(path: string): Date {
    const v = this.required(path);
    const d = this.dates.parse(v);
    if (!d) this.fail(`attribute "${path}" is not a date in the format ${this.dates.format}: "${v}"`);
    return d;
  }

  /** LGD's "True"/"False" (empty reads as false). */
  flag(path: string): boolean {
    const v = this.text(path).trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false' || v === '') return false;
    return this.fail(`attribute "${path}" is not True or False: "${v}"`);
  }
}
