import { describe, expect, it } from 'vitest';
import { addDays, datesBetween, daysFromTo, isIsoDate, mondayOf, todayIn, withWeekday } from '../../bot/domain/iso-date.js';

describe('todayIn', () => {
  const london = (iso: string) => todayIn('Europe/London', new Date(iso));

  it('is the London date, not the UTC date, during British Summer Time', () => {
    expect(london('2026-06-30T22:59:59Z')).toBe('2026-06-30');
    expect(london('2026-06-30T23:00:00Z')).toBe('2026-07-01'); // 00:00 BST
  });

  it('is the UTC date in winter (GMT)', () => {
    expect(london('2026-12-31T23:59:59Z')).toBe('2026-12-31');
    expect(london('2027-01-01T00:00:00Z')).toBe('2027-01-01');
  });

  it('follows the clocks changing', () => {
    // BST starts 01:00 UTC on Sunday 29 March 2026; ends 01:00 UTC on Sunday 25 October 2026
    expect(london('2026-03-28T23:30:00Z')).toBe('2026-03-28'); // 23:30 GMT
    expect(london('2026-03-29T23:30:00Z')).toBe('2026-03-30'); // 00:30 BST
    expect(london('2026-10-24T23:30:00Z')).toBe('2026-10-25'); // 00:30 BST
    expect(london('2026-10-25T23:30:00Z')).toBe('2026-10-25'); // 23:30 GMT
  });

  it('works for other zones', () => {
    expect(todayIn('America/New_York', new Date('2026-11-27T03:00:00Z'))).toBe('2026-11-26');
    expect(todayIn('UTC', new Date('2026-11-27T03:00:00Z'))).toBe('2026-11-27');
  });
});

describe('ISO dates', () => {
  it('are real calendar dates written YYYY-MM-DD', () => {
    expect(isIsoDate('2026-12-24')).toBe(true);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-12-24T00:00')).toBe(false);
    expect(isIsoDate('24/12/2026')).toBe(false);
  });

  it('count calendar days across month, year and clock changes', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-10-24', 2)).toBe('2026-10-26'); // the clocks go back on the 25th
    expect(daysFromTo('2026-12-24', '2027-01-04')).toBe(11);
    expect(daysFromTo('2026-12-24', '2026-12-24')).toBe(0);
    expect(datesBetween('2026-12-30', '2027-01-02')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
    expect(datesBetween('2026-12-30', '2026-12-29')).toEqual([]);
  });

  it('know their week: Monday is its first day, and a day shows its weekday', () => {
    expect(mondayOf('2026-11-26')).toBe('2026-11-23'); // Thursday
    expect(mondayOf('2026-11-29')).toBe('2026-11-23'); // Sunday ends the week
    expect(withWeekday('2026-12-25')).toBe('Fri 2026-12-25');
  });
});
