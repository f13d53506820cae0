import { describe, expect, it } from 'vitest';
import { teamCalendar } from '../../bot/domain/calendar.js';
import {
  countWord,
  isOverOwnedLimit,
  longWorkText,
  ownedLimitText,
  ownedTooLong,
  SEED_GUIDELINES,
  updateGuidelineText,
  userUpdateDue,
  userUpdatedToday,
  workingDaysOwned,
} from '../../bot/domain/guidelines.js';
import { ENGLAND_AND_WALES_2026_2027 } from './england-and-wales-holidays.js';

const cal = teamCalendar({ timeZone: 'Europe/London', bankHolidays: ENGLAND_AND_WALES_2026_2027 });
/** 10:00 on a London date (GMT in winter). */
const at = (date: string, time = '10:00'): Date => new Date(`${date}T${time}:00Z`);
const g = SEED_GUIDELINES;

describe('the seed\'s guidelines', () => {
  it('are three owned tickets, an update every working day and three working days of work', () => {
    expect(g).toEqual({ maxOwned: 3, updateEveryWorkingDays: 1, longWorkDays: 3 });
  });

  it('a developer who owns three tickets may take no fourth without the lead hearing of it', () => {
    expect(isOverOwnedLimit(3, g)).toBe(false);
    expect(isOverOwnedLimit(4, g)).toBe(true);
    expect(ownedLimitText(g)).toBe('three at most');
  });

  it('a team that allows five says five', () => {
    const five = { ...g, maxOwned: 5 };
    expect(isOverOwnedLimit(4, five)).toBe(false);
    expect(isOverOwnedLimit(6, five)).toBe(true);
    expect(ownedLimitText(five)).toBe('five at most');
    expect(ownedLimitText({ ...g, maxOwned: 12 })).toBe('12 at most');
    expect(countWord(1)).toBe('one');
  });

  it('says the update and long-work guidelines in words', () => {
    expect(updateGuidelineText(g)).toBe('at least once a day');
    expect(updateGuidelineText({ ...g, updateEveryWorkingDays: 2 })).toBe('at least once every 2 working days');
    expect(longWorkText(g)).toBe('more than three working days');
    expect(longWorkText({ ...g, longWorkDays: 1 })).toBe('more than one working day');
  });
});

describe('updating the user at least once a day', () => {
  it('an update this morning, in the team\'s time zone, is an update today', () => {
    expect(userUpdatedToday(at('2026-12-02', '08:00'), at('2026-12-02', '16:00'), cal)).toBe(true);
    expect(userUpdatedToday(at('2026-12-01', '16:00'), at('2026-12-02', '08:00'), cal)).toBe(false);
    expect(userUpdatedToday(null, at('2026-12-02'), cal)).toBe(false);
    // 23:30 UTC on 30 June is 00:30 on 1 July in London.
    expect(userUpdatedToday(new Date('2026-06-30T23:30:00Z'), new Date('2026-07-01T10:00:00Z'), cal)).toBe(true);
  });

  it('an owner who last updated the user yesterday owes them an update today', () => {
    expect(userUpdateDue({ lastUpdate: at('2026-12-01'), ownedSince: at('2026-11-30') }, at('2026-12-02'), cal, g)).toBe(true);
    expect(userUpdateDue({ lastUpdate: at('2026-12-02', '09:00'), ownedSince: at('2026-11-30') }, at('2026-12-02'), cal, g)).toBe(false);
  });

  it('the day one takes a ticket counts as handled; the next working day an update is due', () => {
    expect(userUpdateDue({ lastUpdate: null, ownedSince: at('2026-12-02', '09:00') }, at('2026-12-02', '16:00'), cal, g)).toBe(false);
    expect(userUpdateDue({ lastUpdate: null, ownedSince: at('2026-12-02', '09:00') }, at('2026-12-03'), cal, g)).toBe(true);
  });

  it('no update is due on a weekend or a bank holiday, and Friday\'s update holds until Monday', () => {
    const friday = { lastUpdate: at('2026-11-27'), ownedSince: at('2026-11-23') };
    expect(userUpdateDue(friday, at('2026-11-28'), cal, g)).toBe(false); // Saturday
    expect(userUpdateDue(friday, at('2026-11-30'), cal, g)).toBe(true); // Monday
    const christmasEve = { lastUpdate: at('2026-12-24'), ownedSince: at('2026-12-21') };
    expect(userUpdateDue(christmasEve, at('2026-12-25'), cal, g)).toBe(false); // Christmas Day
    expect(userUpdateDue(christmasEve, at('2026-12-29'), cal, g)).toBe(true);
  });

  it('a team that updates every two working days owes the update on the second', () => {
    const two = { ...g, updateEveryWorkingDays: 2 };
    expect(userUpdateDue({ lastUpdate: at('2026-11-30'), ownedSince: at('2026-11-23') }, at('2026-12-01'), cal, two)).toBe(false);
    expect(userUpdateDue({ lastUpdate: at('2026-11-30'), ownedSince: at('2026-11-23') }, at('2026-12-02'), cal, two)).toBe(true);
  });
});

describe('work of more than three days is raised with the Operations Lead', () => {
  it('a ticket taken on Monday is owned too long on Friday, not on Thursday', () => {
    expect(workingDaysOwned(at('2026-11-23'), at('2026-11-26'), cal)).toBe(3);
    expect(ownedTooLong(at('2026-11-23'), at('2026-11-26'), cal, g)).toBe(false);
    expect(ownedTooLong(at('2026-11-23'), at('2026-11-27'), cal, g)).toBe(true);
  });

  it('weekends and bank holidays do not count: a ticket taken on Christmas Eve 2026 is owned too long on Monday 4 January 2027', () => {
    expect(workingDaysOwned(at('2026-12-24'), at('2026-12-31'), cal)).toBe(3);
    expect(ownedTooLong(at('2026-12-24'), at('2026-12-31'), cal, g)).toBe(false);
    expect(workingDaysOwned(at('2026-12-24'), at('2027-01-01'), cal)).toBe(3); // New Year's Day is off
    expect(ownedTooLong(at('2026-12-24'), at('2027-01-04'), cal, g)).toBe(true);
  });

  it('a team that allows five working days raises on the sixth', () => {
    const five = { ...g, longWorkDays: 5 };
    expect(ownedTooLong(at('2026-11-23'), at('2026-11-30'), cal, five)).toBe(false);
    expect(ownedTooLong(at('2026-11-23'), at('2026-12-01'), cal, five)).toBe(true);
  });
});
