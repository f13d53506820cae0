import { describe, expect, it } from 'vitest';
import { parseCsv, parseUciRows, parseUciTime, ReplayDataError, UCI_COLUMNS } from '../../../bot/lgd/replay/uci-csv.js';

const header = UCI_COLUMNS.join(',');

function line(overrides: Partial<Record<(typeof UCI_COLUMNS)[number], string>> = {}): string {
  const base: Record<string, string> = Object.fromEntries(UCI_COLUMNS.map((c) => [c, '?']));
  Object.assign(base, {
    number: 'INC0000045',
    incident_state: 'New',
    active: 'true',
    reassignment_count: '0',
    reopen_count: '0',
    sys_mod_count: '0',
    made_sla: 'true',
    knowledge: 'false',
    sys_updated_at: '29/2/2016 01:23',
    opened_by: 'Opened by  8',
    ...overrides,
  });
  return UCI_COLUMNS.map((c) => base[c]).join(',');
}

describe('parseCsv', () => {
  it('splits plain and quoted fields, with escaped quotes, commas and both line endings', () => {
    expect(parseCsv('a,b\r\n"x,1","say ""hi""",\nlast')).toEqual([['a', 'b'], ['x,1', 'say "hi"', ''], ['last']]);
  });

  it('rejects an unterminated quote', () => {
    expect(() => parseCsv('a,"b')).toThrow(ReplayDataError);
  });
});

describe('parseUciTime', () => {
  it('reads d/m/yyyy HH:MM as a UTC wall time and ? as missing', () => {
    expect(parseUciTime('5/3/2016 12:07')?.toISOString()).toBe('2016-03-05T12:07:00.000Z');
    expect(parseUciTime('?')).toBeNull();
  });

  it('rejects impossible dates and other formats', () => {
    expect(() => parseUciTime('31/2/2016 10:00')).toThrow(ReplayDataError);
    expect(() => parseUciTime('2016-03-05 12:07')).toThrow(ReplayDataError);
  });
});

describe('parseUciRows', () => {
  it('types a row: ? becomes null, numbers and booleans are converted, double spaces collapse', () => {
    const [row] = parseUciRows(`${header}\n${line({ assigned_to: 'Resolver 17', sys_mod_count: '3' })}\n`);
    expect(row).toMatchObject({
      number: 'INC0000045',
      ticketId: 45,
      sys_mod_count: 3,
      active: true,
      knowledge: false,
      assigned_to: 'Resolver 17',
      assignment_group: null,
      opened_by: 'Opened by 8',
      index: 0,
    });
    expect(row?.sys_updated_at.toISOString()).toBe('2016-02-29T01:23:00.000Z');
  });

  it('names the line and column of a bad value', () => {
    expect(() => parseUciRows(`${header}\n${line()}\n${line({ sys_mod_count: 'x' })}`)).toThrow(/line 3, column sys_mod_count/);
  });

  it('rejects a missing column and a short row', () => {
    expect(() => parseUciRows('number,incident_state\nINC1,New')).toThrow(/missing columns: active/);
    expect(() => parseUciRows(`${header}\nINC0000045,New`)).toThrow(/2 fields/);
  });
});
