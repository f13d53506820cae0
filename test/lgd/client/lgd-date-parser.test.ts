import { describe, expect, it } from 'vitest';
import { LgdDateParser } from '../../../bot/lgd/client/lgd-date-parser.js';
import { instantOf, parseLgdDate, wallTimeIn } from '../../../bot/lgd/lgd-date.js';

describe('LgdDateParser', () => {
  const format = 'dd/MM/yyyy HH:mm:ss';
  const zone = 'Europe/London';

  it('agrees with parseLgdDate, across a clock change, from memory too', () => {
    const p = new LgdDateParser(format, zone);
    for (const s of ['29/03/2026 00:59:59', '29/03/2026 02:00:00', '25/10/2026 01:30:00', '31/02/2026 10:00:00', 'nonsense']) {
      const want = parseLgdDate(s, format, zone)?.toISOString() ?? null;
      expect(p.parse(s)?.toISOString() ?? null).toBe(want);
      expect(p.parse(s)?.toISOString() ?? null).toBe(want);
    }
  });

  it('hands out a new Date each time, and stays bounded', () => {
    const p = new LgdDateParser(format, zone, 2);
    const a = p.parse('01/01/2026 10:00:00');
    a?.setFullYear(1990);
    expect(p.parse('01/01/2026 10:00:00')?.toISOString()).toBe('2026-01-01T10:00:00.000Z');
    p.parse('02/01/2026 10:00:00');
    p.parse('03/01/2026 10:00:00');
    expect(p.parse('01/01/2026 10:00:00')?.toISOString()).toBe('2026-01-01T10:00:00.000Z');
  });
});

describe('instantOf', () => {
  // Clock changes of whole hours, and a zone without any, at a half-hour offset.
  const zones = ['Europe/London', 'America/New_York', 'Asia/Kolkata'];
  const windows = [Date.UTC(2026, 2, 27), Date.UTC(2026, 9, 23), Date.UTC(2026, 3, 3)];

  it('gives the earliest instant showing each wall time around clock changes, the same from its memory of steady hours', () => {
    for (const zone of zones) {
      for (const from of windows) {
        const first = new Map<number, number>();
        for (let pass = 0; pass < 2; pass++) {
          for (let t = from; t < from + 4 * 86_400_000; t += 11 * 60_000) {
            const w = wallTimeIn(new Date(t), zone);
            const r = instantOf(w, zone).getTime();
            expect(wallTimeIn(new Date(r), zone)).toEqual(w);
            // The same instant, or the earlier one of a repeated hour (or half hour).
            expect([0, 1_800_000, 3_600_000]).toContain(t - r);
            if (pass === 0) first.set(t, r);
            else expect(r).toBe(first.get(t));
          }
        }
      }
    }
  });
});

describe('wallTimeIn (offsets kept by zone and hour)', () => {
  const formats = new Map<string, Intl.DateTimeFormat>();
  const formatOf = (zone: string): Intl.DateTimeFormat => {
    const f =
      formats.get(zone) ??
      new Intl.DateTimeFormat('en-GB', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formats.set(zone, f);
    return f;
  };
  const reference = (ms: number, zone: string): Record<string, number> => {
    const parts = formatOf(zone).formatToParts(new Date(ms));
    const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
    return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
  };
  // London's clock changes (on the UTC hour), Lord Howe's half-hour change at 02:00 local (15:30 UTC,
  // in the middle of a UTC hour), Chatham at +12:45/+13:45, and Kathmandu at +05:45 with no change.
  const cases: [string, number][] = [
    ['Europe/London', Date.UTC(2026, 2, 28, 12)],
    ['Europe/London', Date.UTC(2026, 9, 24, 12)],
    ['Australia/Lord_Howe', Date.UTC(2026, 3, 4, 0)],
    ['Australia/Lord_Howe', Date.UTC(2026, 9, 3, 0)],
    ['Pacific/Chatham', Date.UTC(2026, 3, 4, 0)],
    ['Pacific/Chatham', Date.UTC(2026, 8, 26, 0)],
    ['Asia/Kathmandu', Date.UTC(2026, 0, 1, 0)],
  ];

  it('agrees with Intl second by second around clock changes, the first time and from memory', () => {
    for (const [zone, from] of cases) {
      for (let pass = 0; pass < 2; pass++) {
        // Every 7 minutes and 13 seconds for two days, and every second of the hour around each change.
        for (let t = from; t < from + 2 * 86_400_000; t += 433_000) expect(wallTimeIn(new Date(t), zone), `${zone} ${new Date(t).toISOString()}`).toEqual(reference(t, zone));
      }
    }
    for (const [zone, at] of [
      ['Europe/London', Date.UTC(2026, 2, 29, 1)],
      ['Europe/London', Date.UTC(2026, 9, 25, 1)],
      ['Australia/Lord_Howe', Date.UTC(2026, 3, 4, 14, 30)],
      ['Australia/Lord_Howe', Date.UTC(2026, 9, 3, 15, 30)],
    ] as const) {
      for (let t = at - 3_600_000; t < at + 3_600_000; t += 1000) {
        const got = wallTimeIn(new Date(t), zone);
        const want = reference(t, zone);
        if (got.hour !== want.hour || got.minute !== want.minute || got.second !== want.second || got.day !== want.day) expect(got, `${zone} ${new Date(t).toISOString()}`).toEqual(want);
      }
    }
  });

  it('gives the earlier instant of the repeated half hour in Lord Howe (11 hours from UTC), and reads a skipped time as London does', () => {
    const f = 'dd/MM/yyyy HH:mm:ss';
    // Clocks go back from 02:00 +11 to 01:30 +10:30 on 5 April 2026: 01:45 is shown twice; the earlier is returned.
    expect(parseLgdDate('05/04/2026 01:45:00', f, 'Australia/Lord_Howe')?.toISOString()).toBe('2026-04-04T14:45:00.000Z');
    // Clocks go forward from 02:00 +10:30 to 02:30 +11 on 4 October 2026: 02:15 does not exist and, as
    // 01:30 in London on 29 March, is read with the larger offset.
    expect(parseLgdDate('04/10/2026 02:15:00', f, 'Australia/Lord_Howe')?.toISOString()).toBe('2026-10-03T15:15:00.000Z');
    expect(parseLgdDate('29/03/2026 01:30:00', f, 'Europe/London')?.toISOString()).toBe('2026-03-29T00:30:00.000Z');
    expect(parseLgdDate('25/10/2026 01:30:00', f, 'Europe/London')?.toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('keeps Intl as the reference outside years 1000-9999 and for an invalid date', () => {
    expect(wallTimeIn(new Date(Date.UTC(999, 5, 1, 12)), 'Europe/London')).toEqual(reference(Date.UTC(999, 5, 1, 12), 'Europe/London'));
    expect(() => wallTimeIn(new Date(NaN), 'Europe/London')).toThrow(RangeError);
  });
});

describe('parseLgdDate (fixed-width patterns read by position)', () => {
  const f = 'dd/MM/yyyy HH:mm:ss';
  const zone = 'Europe/London';
  const iso = (text: string, pattern = f, tz = zone): string | null => parseLgdDate(text, pattern, tz)?.toISOString() ?? null;

  it('reads a date in the form by position as the expression reads it with spaces around', () => {
    for (const [text, want] of [
      ['14/02/2019 11:05:06', '2019-02-14T11:05:06.000Z'],
      ['01/07/2026 00:00:00', '2026-06-30T23:00:00.000Z'],
      ['29/02/2024 23:59:59', '2024-02-29T23:59:59.000Z'],
      ['31/12/9999 12:00:00', '9999-12-31T12:00:00.000Z'],
    ] as const) {
      expect(iso(text)).toBe(want);
      expect(iso(`  ${text} `)).toBe(want);
      expect(iso(`${text}\t`)).toBe(want);
    }
  });

  it('refuses what is not a date of the form, by position as by the expression', () => {
    for (const text of [
      '29/02/2023 10:00:00',
      '31/04/2026 10:00:00',
      '00/01/2026 10:00:00',
      '01/13/2026 10:00:00',
      '01/00/2026 10:00:00',
      '01/02/2026 24:00:00',
      '01/02/2026 10:60:00',
      '01/02/2026 10:00:60',
      '01/02/2026 10:00:0x',
      '01-02-2026 10:00:00',
      '01/02/2026T10:00:00',
      '+1/02/2026 10:00:00',
      '1/02/2026 10:00:00',
      '01/02/2026 10:00:00:',
      '٠١/٠٢/٢٠٢٦ ١٠:٠٠:٠٠',
      '０１/０２/２０２６ １０:００:００',
      '',
    ]) {
      expect(iso(text), text).toBeNull();
      expect(iso(` ${text} `), text).toBeNull();
    }
  });

  it('reads years below 100 as Date.UTC does (19xx), by position too', () => {
    // 1900 was no leap year: 29 February of year 0000 is no date, as before.
    expect(iso('29/02/0000 10:00:00')).toBeNull();
    expect(iso('28/02/0050 10:00:00', f, 'UTC')).toBe('1950-02-28T10:00:00.000Z');
  });

  it('reads dates at the edges of years 1000-9999 (where Intl renders the zone) as before', () => {
    expect(iso('02/01/1000 00:30:00')).toBe('1000-01-02T00:31:15.000Z');
    expect(iso('03/01/1000 12:00:00', f, 'Pacific/Kiritimati')).toBe('1000-01-03T22:29:20.000Z');
    expect(iso('01/01/0999 00:00:00', f, 'Etc/GMT+12')).toBe('0999-01-01T12:00:00.000Z');
    expect(iso('29/12/9999 23:00:00', f, 'Pacific/Kiritimati')).toBe('9999-12-29T09:00:00.000Z');
    expect(iso('31/12/9999 23:59:59', f, 'Etc/GMT+12')).toBe('+010000-01-01T11:59:59.000Z');
  });

  it('reads other fixed patterns, and patterns of one-digit fields by the expression', () => {
    expect(iso('2026-03-29T01:30', 'yyyy-MM-ddTHH:mm')).toBe('2026-03-29T00:30:00.000Z');
    expect(iso('2026-10-25 01:30', 'yyyy-MM-dd HH:mm')).toBe('2026-10-25T00:30:00.000Z');
    expect(iso('7/3/2026 9:05', 'd/M/yyyy H:mm')).toBe('2026-03-07T09:05:00.000Z');
    expect(iso('07/03/2026 09:05', 'd/M/yyyy H:mm')).toBe('2026-03-07T09:05:00.000Z');
    // A field named twice takes its last value (the expression's reading).
    expect(iso('01/02/2026 03', 'dd/MM/yyyy dd', 'UTC')).toBe('2026-02-03T00:00:00.000Z');
    // Letters that are no field stay literal.
    expect(iso('at 01/02/2026 10:00 sharp', 'at dd/MM/yyyy HH:mm sharp', 'UTC')).toBe('2026-02-01T10:00:00.000Z');
    expect(iso('at 01/02/2026 10:00 shar9', 'at dd/MM/yyyy HH:mm sharp', 'UTC')).toBeNull();
  });
});
