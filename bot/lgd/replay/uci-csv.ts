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

/** One event row of the log; `null` where the log has `?`; runs of spaces in names collapsed. */
export interface UciRow {
  number: string;
  /** Ticket number as an integer (INC0000045 → 45). */
  ticketId: number;
  /** 0-based position of the row in the file, the tie-breaker that keeps sorting deterministic. */
  index: number;
  incident_state: string;
  active: boolean;
  reassignment_count: number;
  reopen_count: number;
  sys_mod_count: number;
  made_sla: boolean;
  caller_id: string | null;
  opened_by: string | null;
  opened_at: Date | null;
  sys_created_by: string | null;
  sys_created_at: Date | null;
  sys_updated_by: string | null;
  sys_updated_at: Date;
  contact_type: string | null;
  location: string | null;
  category: string | null;
  subcategory: string | null;
  u_symptom: string | null;
  impact: string | null;
  urgency: string | null;
  priority: string | null;
  assignment_group: string | null;
  assigned_to: string | null;
  knowledge: boolean;
  closed_code: string | null;
  resolved_by: string | null;
  resolved_at: Date | null;
  closed_at: Date | null;
}

type Column = (typeof UCI_COLUMNS)[number];

/** Reads typed values out of one record, naming the line and column of a bad one. */
class RowReader {
  constructor(
    private readonly record: readonly string[],
    private readonly at: ReadonlyMap<string, number>,
    private readonly line: number,
    /** Instants of timestamps already read: the outcome columns repeat on every row. */
    private readonly times: Map<string, number>,
  ) {}

  private fail(column: Column, message: string): never {
    throw new ReplayDataError(`line ${this.line}, column ${column}: ${message}`);
  }

  raw(column: Column): string {
    return this.record[this.at.get(column) as number] as string;
  }

  text(column: Column): string | null {
    const s = this.raw(column);
    if (s === '?' || s === '') return null;
    return s.includes('  ') ? s.replace(/ {2,}/g, ' ') : s;
  }

  required(column: Column, pattern?: RegExp): string {
    const s = this.text(column) ?? this.fail(column, 'missing value');
    if (pattern && !pattern.test(s)) this.fail(column, `unexpected value "${s}"`);
    return s;
  }

  bool(column: Column): boolean {
    const s = this.raw(column);
    if (s !== 'true' && s !== 'false') this.fail(column, `expected true or false, got "${s}"`);
    return s === 'true';
  }

  count(column: Column): number {
    const s = this.raw(column);
    if (!/^-?\d+$/.test(s)) this.fail(column, `expected a whole number, got "${s}"`);
    return Number(s);
  }

  time(column: Column): Date | null {
    const s = this.raw(column);
    const known = this.times.get(s);
    if (known !== undefined) return new Date(known);
    try {
      const date = parseUciTime(s);
      if (date) this.times.set(s, date.getTime());
      return date;
    } catch (err) {
      return this.fail(column, err instanceof Error ? err.message : String(err));
    }
  }

  requiredTime(column: Column): Date {
    return this.time(column) ?? this.fail(column, 'missing value');
  }
}

function readRow(r: RowReader, index: number): UciRow {
  const number = r.required('number', /^INC\d+$/);
  return {
    number,
    ticketId: Number(number.slice(3)),
    index,
    incident_state: r.required('incident_state'),
    active: r.bool('active'),
    reassignment_count: r.count('reassignment_count'),
    reopen_count: r.count('reopen_count'),
    sys_mod_count: r.count('sys_mod_count'),
    made_sla: r.bool('made_sla'),
    caller_id: r.text('caller_id'),
    opened_by: r.text('opened_by'),
    opened_at: r.time('opened_at'),
    sys_created_by: r.text('sys_created_by'),
    sys_created_at: r.time('sys_created_at'),
    sys_updated_by: r.text('sys_updated_by'),
    sys_updated_at: r.requiredTime('sys_updated_at'),
    contact_type: r.text('contact_type'),
    location: r.text('location'),
    category: r.text('category'),
    subcategory: r.text('subcategory'),
    u_symptom: r.text('u_symptom'),
    impact: r.text('impact'),
    urgency: r.text('urgency'),
    priority: r.text('priority'),
    assignment_group: r.text('assignment_group'),
    assigned_to: r.text('assigned_to'),
    knowledge: r.bool('knowledge'),
    closed_code: r.text('closed_code'),
    resolved_by: r.text('resolved_by'),
    resolved_at: r.time('resolved_at'),
    closed_at: r.time('closed_at'),
  };
}

/** Parse a UCI incident-log CSV (header line first) into validated rows. */
export function parseUciRows(csv: string): UciRow[] {
  const records = parseCsv(csv);
  const header = records[0];
  if (!header) throw new ReplayDataError('empty CSV');
  const at = new Map(header.map((name, i) => [name.trim(), i]));
  const absent = UCI_COLUMNS.filter((c) => !at.has(c));
  if (absent.length > 0) throw new ReplayDataError(`missing columns: ${absent.join(', ')}`);
  const rows: UciRow[] = [];
  const times = new Map<string, number>();
  for (let r = 1; r < records.length; r += 1) {
    const record = records[r] as string[];
    if (record.length === 1 && record[0] === '') continue;
    if (record.length !== header.length) {
      throw new ReplayDataError(`line ${r + 1}: ${record.length} fields, expected ${header.length}`);
    }
    rows.push(readRow(new RowReader(record, at, r + 1, times), rows.length));
  }
  return rows;
}
