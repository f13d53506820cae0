import { describe, expect, it } from 'vitest';
import { teamCalendar } from '../../bot/domain/calendar.js';
import { ENGLAND_AND_WALES_2026_2027 } from './england-and-wales-holidays.js';

const london = (daysOff: { date: string; name: string }[] = []) =>
  teamCalendar({ timeZone: 'Europe/London', bankHolidays: ENGLAND_AND_WALES_2026_2027, daysOff });
const weekendsOnly = teamCalendar({ timeZone: 'Europe/London', bankHolidays: [] });

describe("the team's working days", () => {
  it('are Monday to Friday', () => {
    expect(weekendsOnly.nextWorkingDay('2026-11-26')).toBe('2026-11-27'); // Thu → Fri
    expect(weekendsOnly.nextWorkingDay('2026-11-27')).toBe('2026-11-30'); // Fri → Mon
    expect(weekendsOnly.nextWorkingDay('2026-11-28')).toBe('2026-11-30'); // Sat → Mon
    expect(weekendsOnly.nextWorkingDay('2026-12-31')).toBe('2027-01-01'); // over a year end
    expect(weekendsOnly.isWorkingDay('2026-11-28')).toBe(false);
    expect(weekendsOnly.isWorkingDay('2026-11-30')).toBe(true);
  });

  it('the next working day after Thursday 24 December 2026 is Tuesday 29 December', () => {
    // Christmas Day is Friday 25th; Boxing Day falls on Saturday 26th, so Monday 28th is its substitute.
    expect(london().nextWorkingDay('2026-12-24')).toBe('2026-12-29');
    expect(london().isWorkingDay('2026-12-25')).toBe(false);
    expect(london().isWorkingDay('2026-12-28')).toBe(false);
  });

  it('Boxing Day on Saturday 26 December 2026 costs no working day of its own: its Monday substitute does', () => {
    const cal = london();
    expect(cal.holidayName('2026-12-25')).toBe('Christmas Day');
    expect(cal.holidayName('2026-12-26')).toBeNull();
    expect(cal.holidayName('2026-12-28')).toBe('Boxing Day (substitute day)');
    // Thursday 24th to Thursday 31st: only Tuesday 29th, Wednesday 30th and Thursday 31st are worked.
    expect(cal.workingDaysBetween('2026-12-24', '2026-12-31')).toBe(3);
    expect(cal.daysNotWorked('2026-12-24', '2026-12-31').map((d) => `${d.date} ${d.name}`)).toEqual(['2026-12-25 Christmas Day', '2026-12-28 Boxing Day (substitute day)']);
  });

  it('in 2027 both Christmas holidays fall on the weekend, so Monday 27th and Tuesday 28th are off', () => {
    expect(london().nextWorkingDay('2027-12-24')).toBe('2027-12-29');
  });

  it('a day off the team adds is not worked either, and shows its name', () => {
    const cal = london([{ date: '2026-12-24', name: 'Christmas Eve' }]);
    expect(cal.isWorkingDay('2026-12-24')).toBe(false);
    expect(cal.holidayName('2026-12-24')).toBe('Christmas Eve');
    expect(cal.nextWorkingDay('2026-12-23')).toBe('2026-12-29');
    expect(cal.daysNotWorked('2026-12-24', '2026-12-24')).toEqual([{ date: '2026-12-24', name: 'Christmas Eve', kind: 'day_off' }]);
  });

  it('a bank holiday keeps its name when the team also took the day off', () => {
    expect(london([{ date: '2026-12-25', name: 'Team lunch' }]).holidayName('2026-12-25')).toBe('Christmas Day');
  });

  it('counts working days after one day up to and including another', () => {
    const cal = london();
    expect(cal.workingDaysBetween('2026-11-23', '2026-11-27')).toBe(4); // Mon → Fri
    expect(cal.workingDaysBetween('2026-11-27', '2026-11-30')).toBe(1); // Fri → Mon
    expect(cal.workingDaysBetween('2026-11-27', '2026-11-27')).toBe(0);
    expect(cal.workingDaysBetween('2026-11-30', '2026-11-27')).toBe(0);
    expect(cal.workingDaysBetween('2026-03-31', '2026-04-07')).toBe(3); // Good Friday and Easter Monday are off
  });

  it("knows the team's date in its time zone", () => {
    expect(london().todayIn(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
    expect(teamCalendar({ timeZone: 'America/New_York', bankHolidays: [] }).todayIn(new Date('2026-06-30T23:30:00Z'))).toBe('2026-06-30');
  });

  it('does not loop on when days off cover every weekday for more than a year', () => {
    const all: { date: string; name: string }[] = [];
    for (let t = Date.parse('2027-01-01T00:00:00Z'); t < Date.parse('2028-06-01T00:00:00Z'); t += 86_400_000) all.push({ date: new Date(t).toISOString().slice(0, 10), name: 'off' });
    expect(london(all).nextWorkingDay('2026-12-31')).toBe('2027-01-01');
  });
});
