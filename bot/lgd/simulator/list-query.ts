import { z } from 'zod';
import type { LgdMapping } from '../lgd-mapping.js';
import { parseLgdDate } from '../lgd-date.js';
import { CnsSyntaxError, cnsTerms, evaluateCns, parseCns, type CnsOp } from './cns-parser.js';
import { renderObject, renderValue, type AttrType, type ClassView, type RenderedObject, type SimValue } from './class-views.js';
import { fnv1a } from './prng.js';
import { SimError } from './sim-error.js';

/** The list.rails answer, exactly as Web Access shapes it. */
export interface ListResult {
  objectCount: number;
  pageCount: number;
  pageNumber: number;
  pageSize: number;
  objects: RenderedObject[];
}

const positiveInt = z.coerce.number().int().min(1);

const listParamsSchema = z.object({
  class_name: z.string().min(1).optional(),
  attributes: z.string().optional(),
  cns: z.string().optional(),
  page_size: positiveInt.optional(),
  page: positiveInt.optional(),
  query: z.string().optional(),
  sort_by: z.string().optional(),
});

export interface ListOptions {
  mapping: LgdMapping;
  views: Map<string, ClassView>;
  defaultPageSize: number;
  /** Salt of the scrambled order; the order is stable for a given salt and key set. */
  orderSalt: string;
}

/** Splits `Path:Label,Path2` into columns; no list means every attribute of the class. */
function columnsOf(view: ClassView, attributes: string | undefined): { path: string; label: string }[] {
  if (attributes === undefined || attributes.trim() === '') {
    return view.attributeNames().map((p) => ({ path: p, label: p }));
  }
  return attributes
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const colon = s.indexOf(':');
      const path = colon < 0 ? s : s.slice(0, colon);
      const label = colon < 0 ? s : s.slice(colon + 1);
      if (view.attrType(path) === undefined) {
        throw new SimError(400, `The attribute '${path}' does not exist on class '${view.className}'.`);
      }
      return { path, label };
    });
}

type Prepared = { type: AttrType; raw: string; date: Date | null; num: number };

/** Whether one value satisfies one condition. Strings compare case-insensitively; dates as instants. */
function matches(value: SimValue, op: CnsOp, c: Prepared, mapping: LgdMapping): boolean {
  if (value === null) return op === 'e' && c.raw === '';
  if (value instanceof Date) {
    if (op === 'c') return renderValue(value, mapping).includes(c.raw);
    const d = c.date as Date;
    if (op === 'e') return renderValue(value, mapping) === renderValue(d, mapping);
    return op === 'gt' ? value.getTime() > d.getTime() : value.getTime() < d.getTime();
  }
  if (typeof value === 'number' && Number.isFinite(c.num) && op !== 'c') {
    if (op === 'e') return value === c.num;
    return op === 'gt' ? value > c.num : value < c.num;
  }
  const a = renderValue(value, mapping).toLowerCase();
  const b = c.raw.toLowerCase();
  switch (op) {
    case 'e':
      return a === b;
    case 'c':
      return a.includes(b);
    case 'gt':
      return a > b;
    default:
      return a < b;
  }
}

const rankCache = new Map<string, Map<string, number>>();

/** A key's place in the scrambled order, remembered: hashing every key on every page request dominated big listings. */
function rankOf(salt: string, key: string): number {
  let bySalt = rankCache.get(salt);
  if (!bySalt) rankCache.set(salt, (bySalt = new Map<string, number>()));
  let r = bySalt.get(key);
  if (r === undefined) {
    r = fnv1a(salt + key);
    if (bySalt.size > 500_000) bySalt.clear();
    bySalt.set(key, r);
  }
  return r;
}

/** Runs a list.rails query over the simulator's views. */
export function runList(params: URLSearchParams, opts: ListOptions): ListResult {
  const raw: Record<string, string> = {};
  for (const k of ['class_name', 'attributes', 'cns', 'page_size', 'page', 'query', 'sort_by']) {
    const v = params.get(k);
    if (v !== null) raw[k] = v;
  }
  const parsed = listParamsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SimError(400, `Invalid parameter '${String(issue?.path[0] ?? '')}': ${issue?.message ?? 'invalid'}.`);
  }
  const p = parsed.data;
  if (p.class_name === undefined) {
    throw new SimError(400, p.query !== undefined ? `The saved query '${p.query}' does not exist.` : 'class_name is required.');
  }
  const view = opts.views.get(p.class_name);
  if (!view) throw new SimError(400, `The class '${p.class_name}' does not exist.`);
  const columns = columnsOf(view, p.attributes);
  const { mapping } = opts;

  let keys = view.keys();
  if (p.cns !== undefined && p.cns.trim() !== '') {
    let tree;
    try {
      tree = parseCns(p.cns);
    } catch (err) {
      if (err instanceof CnsSyntaxError) throw new SimError(400, err.message);
      throw err;
    }
    const prepared = new Map<string, Prepared>();
    for (const term of cnsTerms(tree)) {
      const type = view.attrType(term.path);
      if (type === undefined) {
        throw new SimError(400, `The attribute '${term.path}' does not exist on class '${view.className}'.`);
      }
      const value = params.get(`c${term.index}`);
      if (value === null) throw new SimError(400, `The condition value 'c${term.index}' is missing.`);
      let date: Date | null = null;
      if (type === 'date' && term.op !== 'c') {
        date = parseLgdDate(value, mapping.dateFormat, mapping.timeZone);
        if (date === null) throw new SimError(400, `String '${value}' was not recognized as a valid DateTime.`);
      }
      prepared.set(`${term.index}|${term.path}`, { type, raw: value, date, num: Number(value) });
    }
    keys = keys.filter((key) =>
      evaluateCns(tree, (term) =>
        matches(view.value(key, term.path), term.op, prepared.get(`${term.index}|${term.path}`) as Prepared, mapping),
      ),
    );
  }

  const ranked = keys.map((k) => ({ k, r: rankOf(opts.orderSalt, k) }));
  ranked.sort((a, b) => a.r - b.r || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  keys = ranked.map((x) => x.k);
  const pageSize = p.page_size ?? opts.defaultPageSize;
  const pageNumber = p.page ?? 1;
  const pageCount = Math.max(1, Math.ceil(keys.length / pageSize));
  const slice = keys.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return {
    objectCount: pageCount === 1 ? 0 : keys.length,
    pageCount,
    pageNumber,
    pageSize,
    objects: slice.map((key) => renderObject(view, key, columns, mapping)),
  };
}
