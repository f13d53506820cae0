import { describe, expect, it } from 'vitest';
import { bankHolidays, DEFAULT_HOLIDAY_REGION, holidayRegionProblem } from '../../bot/calendar/bank-holidays.js';
import { CalendarSource } from '../../bot/calendar/calendar-source.js';
import { isWeekend } from '../../bot/domain/iso-date.js';
import { ENGLAND_AND_WALES_WEEKDAYS_2026_2027 } from '../domain/england-and-wales-holidays.js';

const noDaysOff = { between: async () => [] };

describe('bank holidays from date-holidays', () => {
  it("England and Wales's weekday bank holidays are gov.uk's for 2026 and 2027", () => {
    const weekdays = bankHolidays(DEFAULT_HOLIDAY_REGION, 2026, 2027).map((h) => h.date).filter((d) => !isWeekend(d));
    expect(weekdays).toEqual(ENGLAND_AND_WALES_WEEKDAYS_2026_2027);
  });

  it('lists Boxing Day on Saturday 26 December 2026 as well as its Monday substitute, and no observances', () => {
    const dec = bankHolidays('GB-ENG', 2026, 2026).filter((h) => h.date.startsWith('2026-12'));
    expect(dec).toEqual([
      { date: '2026-12-25', name: 'Christmas Day' },
      { date: '2026-12-26', name: 'Boxing Day' },
      { date: '2026-12-28', name: 'Boxing Day (substitute day)' },
    ]);
    expect(bankHolidays('GB-ENG', 2026, 2026).map((h) => h.name)).not.toContain("Mother's Day");
  });

  it('Scotland keeps 2 January and St Andrew\'s Day; Northern Ireland St Patrick\'s Day', () => {
    expect(bankHolidays('GB-SCT', 2026, 2026).map((h) => h.date)).toEqual(expect.arrayContaining(['2026-01-02', '2026-11-30']));
    expect(bankHolidays('GB-SCT', 2026, 2026).map((h) => h.date)).not.toContain('2026-04-06'); // no Easter Monday
    expect(bankHolidays('GB-NIR', 2026, 2026).map((h) => h.date)).toContain('2026-03-17');
  });

  it('knows the UK regions and refuses what it does not know', () => {
    for (const r of ['GB-ENG', 'GB-WLS', 'GB-SCT', 'GB-NIR']) expect(holidayRegionProblem(r)).toBeNull();
    expect(holidayRegionProblem('GB-XYZ')).toMatch(/region the holiday library does not know; GB has .*GB-ENG/);
    expect(holidayRegionProblem('GB')).toMatch(/needs a region of GB/);
    expect(holidayRegionProblem('ZZ-ENG')).toMatch(/country the holiday library does not know/);
    expect(holidayRegionProblem('England')).toMatch(/country code and a region/);
  });
});

describe("the team's calendar as built for today", () => {
  it('the next working day after Thursday 24 December 2026 is Tuesday 29 December', async () => {
    const source = new CalendarSource({ timeZone: 'Europe/London', region: 'GB-ENG', daysOff: noDaysOff, clock: () => new Date('2026-12-24T10:00:00Z') });
    const cal = await source.current();
    expect(cal.nextWorkingDay(cal.todayIn(new Date('2026-12-24T10:00:00Z')))).toBe('2026-12-29');
    // It covers last year to two years ahead.
    expect(cal.holidayName('2025-12-25')).toBe('Christmas Day');
    expect(cal.holidayName('2028-12-25')).toBe('Christmas Day');
  });

  it('counts the days off in the store, read each time', async () => {
    const stored: { date: string; name: string }[] = [];
    const source = new CalendarSource({ timeZone: 'Europe/London', region: 'GB-ENG', daysOff: { between: async () => stored }, clock: () => new Date('2026-12-02T10:00:00Z') });
    expect((await source.current()).nextWorkingDay('2026-12-23')).toBe('2026-12-24');
    stored.push({ date: '2026-12-24', name: 'Christmas Eve' });
    expect((await source.current()).nextWorkingDay('2026-12-23')).toBe('2026-12-29');
  });
});
