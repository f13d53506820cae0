import { describe, expect, it } from 'vitest';
import { teamCalendar } from '../../bot/domain/calendar.js';
import { DAY_OFF_NAME_MAX, dayOffRefusal, DEFAULT_DAY_OFF_NAME, parseDayOff, parseDayOffDate } from '../../bot/domain/day-off.js';
import { ENGLAND_AND_WALES_2026_2027 } from './england-and-wales-holidays.js';

const cal = teamCalendar({ timeZone: 'Europe/London', bankHolidays: ENGLAND_AND_WALES_2026_2027, daysOff: [{ date: '2026-12-24', name: 'Christmas Eve' }] });
const today = '2026-12-02'; // a Wednesday

describe('what "day off" says', () => {
  it('reads a date and a name, tidying the spaces; a day off without a name is a team day off', () => {
    expect(parseDayOff('2026-12-24   Christmas   Eve ')).toEqual({ ok: true, value: { date: '2026-12-24', name: 'Christmas Eve' } });
    expect(parseDayOff('2026-12-24')).toEqual({ ok: true, value: { date: '2026-12-24', name: DEFAULT_DAY_OFF_NAME } });
  });

  it('refuses what is no date, a name too long or with control characters, and a text too long to read', () => {
    expect(parseDayOff('')).toEqual({ ok: false, message: 'Give the date, as YYYY-MM-DD.' });
    expect(parseDayOff('24/12/2026 Christmas Eve')).toEqual({ ok: false, message: '"24/12/2026" is not a date written YYYY-MM-DD.' });
    expect(parseDayOff('2026-02-29')).toMatchObject({ ok: false });
    expect(parseDayOff(`2026-12-24 ${'x'.repeat(DAY_OFF_NAME_MAX + 1)}`)).toMatchObject({ ok: false, message: expect.stringMatching(/at most 80 characters/) });
    expect(parseDayOff('2026-12-24 Eve\u0007')).toMatchObject({ ok: false, message: expect.stringMatching(/control characters/) });
    expect(parseDayOff(`2026-12-24 ${' '.repeat(100_000)}x`)).toMatchObject({ ok: false, message: expect.stringMatching(/too long/) });
    expect(parseDayOffDate(' 2026-12-24 ')).toEqual({ ok: true, value: '2026-12-24' });
    expect(parseDayOffDate('soon')).toMatchObject({ ok: false });
  });
});

describe('which days may become days off', () => {
  it('a working day from today on, up to two years ahead; a day off already may be renamed', () => {
    expect(dayOffRefusal('2026-12-02', today, cal)).toBeNull();
    expect(dayOffRefusal('2026-12-24', today, cal)).toBeNull();
    expect(dayOffRefusal('2028-12-01', today, cal)).toBeNull();
  });

  it('not a weekend or a bank holiday, which are not worked anyway, nor the past, nor further than two years', () => {
    expect(dayOffRefusal('2026-12-26', today, cal)).toBe('Sat 2026-12-26 is a weekend day: it is not a working day anyway.');
    expect(dayOffRefusal('2026-12-28', today, cal)).toBe('Mon 2026-12-28 is a bank holiday (Boxing Day (substitute day)): it is not a working day anyway.');
    expect(dayOffRefusal('2026-12-01', today, cal)).toBe('Tue 2026-12-01 is in the past.');
    expect(dayOffRefusal('2028-12-04', today, cal)).toMatch(/too far ahead/);
  });
});
