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
