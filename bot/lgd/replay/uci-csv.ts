import { z } from 'zod';
import { AppError } from '../../errors.js';

/**
 * Reading the UCI "Incident management process enriched event log" (CC BY 4.0, see
 * data/ATTRIBUTION.md): a small CSV parser and typed rows. The file has one header line, comma
 * separators, no quoting in practice (quoted fields are still accepted), `?` for a missing value
 * and timestamps `d/m/yyyy HH:MM` with no time zone.
 */

/** The shipped slice or a CSV given to the slice script is not what the replay expects. */
export class ReplayDataError extends AppError {
  constructor(detail: string) {
    super('REPLAY_DATA_INVALID', 'The replay data set could not be read.', { detail });
  }
}

/** Split CSV text into records of fields (RFC 4180: `"` quotes, `""` escapes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let inQuotes = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i += 1;
        continue;
      }
      const next = text.indexOf('"', i);
      const end = next === -1 ? n : next;
      field += text.slice(i, end);
      i = end;
      continue;
    }
    if (c === '"' && field === '') {
      inQuotes = true;
      i += 1;
    } else if (c === ',') {
      record.push(field);
      field = '';
      i += 1;
    } else if (c === '\n' || c === '\r') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      let j = i;
      while (j < n) {
        const d = text[j];
        if (d === ',' || d === '\n' || d === '\r' || d === '"') break;
        j += 1;
      }
      if (j === i) {
        // a stray quote inside an unquoted field is kept as text
        field += c;
        j += 1;
      } else {
        field += text.slice(i, j);
      }
      i = j;
    }
  }
  if (inQuotes) throw new ReplayDataError('unterminated quoted field at end of CSV');
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** The columns every row must have; the rest of the 36 are kept in the file but not read. */
export const UCI_COLUMNS = [
  'number',
  'incident_state',
  'active',
  'reassignment_count',
  'reopen_count',
  'sys_mod_count',
  'made_sla',
  'caller_id',
  'opened_by',
  'opened_at',
  'sys_created_by',
  'sys_created_at',
  'sys_updated_by',
  'sys_updated_at',
  'contact_type',
  'location',
  'category',
  'subcategory',
  'u_symptom',
  'impact',
  'urgency',
  'priority',
  'assignment_group',
  'assigned_to',
  'knowledge',
  'closed_code',
  'resolved_by',
  'resolved_at',
  'closed_at',
] as const;

const TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})$/;

/** A `d/m/yyyy HH:MM` wall time as an instant read as if it were UTC; `?` gives null. */
export function parseUciTime(s: string): Date | null {
  if (s === '?' || s === '') return null;
  const m = TIME.exec(s);
  if (!m) throw new ReplayDataError(`bad timestamp "${s}" (expected d/m/yyyy HH:MM)`);
  const [, d, mo, y, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi));
  if (date.getUTCDate() !== d || date.getUTCMonth() !== mo - 1 || h > 23 || mi > 59) {
    throw new ReplayDataError(`bad timestamp "${s}" (no such date or time)`);
  }
  return date;
}

const text = z.string();
const missing = z.string().transform((s) => (s === '?' || s === '' ? null : s.replace(/ {2,}/g, ' ')));
const bool = z.enum(['true', 'false']).transform((s) => s === 'true');
const count = z.string().regex(/^-?\d+$/).transform(Number);
const time = z.string().transform((s, ctx) => {
  try {
    return parseUciTime(s);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
    return z.NEVER;
  }
});
const requiredTime = time.refine((d) => d !== null, 'missing timestamp').transform((d) => d as Date);

const uciRowSchema = z.object({
  number: z.string().regex(/^INC\d+$/),
  incident_state: text,
  active: bool,
  reassignment_count: count,
  reopen_count: count,
  sys_mod_count: count,
  made_sla: bool,
  caller_id: missing,
  opened_by: missing,
  opened_at: time,
  sys_created_by: missing,
  sys_created_at: time,
  sys_updated_by: missing,
  sys_updated_at: requiredTime,
  contact_type: missing,
  location: missing,
  category: missing,
  subcategory: missing,
  u_symptom: missing,
  impact: missing,
  urgency: missing,
  priority: missing,
  assignment_group: missing,
  assigned_to: missing,
  knowledge: bool,
  closed_code: missing,
  resolved_by: missing,
  resolved_at: time,
  closed_at: time,
});

/** One event row of the log; `null` where the log has `?`; runs of spaces in names collapsed. */
export type UciRow = z.infer<typeof uciRowSchema> & {
  /** Ticket number as an integer (INC0000045 → 45). */
  ticketId: number;
  /** 0-based position of the row in the file, the tie-breaker that keeps sorting deterministic. */
  index: number;
};

/** Parse a UCI incident-log CSV (header line first) into validated rows. */
export function parseUciRows(csv: string): UciRow[] {
  const records = parseCsv(csv);
  const header = records[0];
  if (!header) throw new ReplayDataError('empty CSV');
  const at = new Map(header.map((name, i) => [name.trim(), i]));
  const absent = UCI_COLUMNS.filter((c) => !at.has(c));
  if (absent.length > 0) throw new ReplayDataError(`missing columns: ${absent.join(', ')}`);
  const rows: UciRow[] = [];
  for (let r = 1; r < records.length; r += 1) {
    const record = records[r] as string[];
    if (record.length === 1 && record[0] === '') continue;
    if (record.length !== header.length) {
      throw new ReplayDataError(`line ${r + 1}: ${record.length} fields, expected ${header.length}`);
    }
    const raw: Record<string, string> = {};
    for (const c of UCI_COLUMNS) raw[c] = record[at.get(c) as number] as string;
    const parsed = uciRowSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ReplayDataError(`line ${r + 1}, column ${String(issue?.path[0])}: ${issue?.message}`);
    }
    rows.push({ ...parsed.data, ticketId: Number(parsed.data.number.slice(3)), index: rows.length });
  }
  return rows;
}
