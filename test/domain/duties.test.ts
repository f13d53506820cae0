import { describe, expect, it } from 'vitest';
import { teamCalendar } from '../../bot/domain/calendar.js';
import {
  byOwner,
  DEFAULT_DUTY_TIMES,
  dutiesDue,
  dutyKey,
  handsBack,
  longWorkToRaise,
  overloaded,
  timeOfDayIn,
  updatesOwed,
  type OwnedWork,
} from '../../bot/domain/duties.js';
import { SEED_GUIDELINES } from '../../bot/domain/guidelines.js';
import { ENGLAND_AND_WALES_2026_2027 } from './england-and-wales-holidays.js';

const cal = teamCalendar({ timeZone: 'Europe/London', bankHolidays: ENGLAND_AND_WALES_2026_2027 });
/** A London wall-clock time in winter (GMT), or in summer (BST) when `bst`. */
const at = (date: string, time: string, bst = false): Date => new Date(`${date}T${time}:00${bst ? '+01:00' : 'Z'}`);
const g = SEED_GUIDELINES;
const work = (ownerKey: string, ownedSince: Date, lastUpdate: Date | null = null): OwnedWork<string> => ({ ticket: `${ownerKey}-t`, ownerKey, ownedSince, lastUpdate });

describe('when the duty passes are due', () => {
  it('on a working day: overload and long work all day, each timed pass from its time on', () => {
    expect(dutiesDue(at('2026-12-02', '09:00'), cal, DEFAULT_DUTY_TIMES)).toEqual({ day: '2026-12-02', kinds: ['overload', 'long_work'] });
    expect(dutiesDue(at('2026-12-02', '14:00'), cal, DEFAULT_DUTY_TIMES).kinds).toEqual(['overload', 'long_work', 'update_nudge']);
    expect(dutiesDue(at('2026-12-02', '16:05'), cal, DEFAULT_DUTY_TIMES).kinds).toEqual(['overload', 'long_work', 'update_nudge', 'hand_back']);
    expect(dutiesDue(at('2026-12-02', '17:30'), cal, DEFAULT_DUTY_TIMES).kinds).toContain('cut_off');
  });

  it('counts the time in the team\'s zone (British Summer Time in June)', () => {
    expect(timeOfDayIn('Europe/London', new Date('2027-06-02T13:00:00Z'))).toBe('14:00');
    expect(dutiesDue(at('2027-06-02', '13:59', true), cal, DEFAULT_DUTY_TIMES).kinds).not.toContain('update_nudge');
    expect(dutiesDue(at('2027-06-02', '14:00', true), cal, DEFAULT_DUTY_TIMES).kinds).toContain('update_nudge');
  });

  it('on weekends and bank holidays nothing is due', () => {
    expect(dutiesDue(at('2026-12-05', '15:00'), cal, DEFAULT_DUTY_TIMES).kinds).toEqual([]);
    expect(dutiesDue(at('2026-12-25', '18:00'), cal, DEFAULT_DUTY_TIMES).kinds).toEqual([]);
  });

  it('honours configured times', () => {
    expect(dutiesDue(at('2026-12-02', '11:00'), cal, { ...DEFAULT_DUTY_TIMES, updateNudgeAt: '10:30' }).kinds).toContain('update_nudge');
  });
});

describe('who owes their users an update', () => {
  it('not the day one takes a ticket, but every working day after it without an update that day', () => {
    const took = at('2026-12-01', '09:00');
    expect(updatesOwed([work('ann', took)], at('2026-12-01', '14:00'), cal, g)).toEqual([]);
    expect(updatesOwed([work('ann', took)], at('2026-12-02', '14:00'), cal, g)).toHaveLength(1);
    expect(updatesOwed([work('ann', took, at('2026-12-02', '10:00'))], at('2026-12-02', '14:00'), cal, g)).toEqual([]);
    expect(updatesOwed([work('ann', took, at('2026-12-02', '10:00'))], at('2026-12-03', '14:00'), cal, g)).toHaveLength(1);
  });

  it('never at a weekend or on a bank holiday', () => {
    const took = at('2026-12-21', '09:00');
    expect(updatesOwed([work('ann', took)], at('2026-12-25', '14:00'), cal, g)).toEqual([]);
    expect(updatesOwed([work('ann', took)], at('2026-12-26', '14:00'), cal, g)).toEqual([]);
  });
});

describe('who hands back before a day off the support rota', () => {
  it('an owner who is not on the next working day\'s support list', () => {
    expect(handsBack(['ann@example.org'], [{ email: 'Bob@example.org' }])).toBe(true);
    expect(handsBack(['ANN@example.org'], [{ email: 'ann@example.org' }])).toBe(false);
    expect(handsBack(['ann@example.org'], [])).toBe(true);
  });

  it('nobody when the support rota is not in use that day', () => {
    expect(handsBack(['ann@example.org'], null)).toBe(false);
    expect(handsBack(['ann@example.org'], undefined)).toBe(false);
  });
});

describe('long work', () => {
  const took = at('2026-11-30', '09:00');
  it('is raised after more than three working days owned, counted from when the current owner took it', () => {
    expect(longWorkToRaise([work('ann', took)], () => null, at('2026-12-03', '10:00'), cal, g)).toEqual([]);
    expect(longWorkToRaise([work('ann', took)], () => null, at('2026-12-04', '10:00'), cal, g)).toHaveLength(1);
    expect(longWorkToRaise([work('ann', at('2026-12-02', '09:00'))], () => null, at('2026-12-04', '10:00'), cal, g)).toEqual([]);
  });

  it('is not raised when the lead agreed since the owner took it; an agreement with an earlier owner does not count', () => {
    expect(longWorkToRaise([work('ann', took)], () => at('2026-12-01', '10:00'), at('2026-12-04', '10:00'), cal, g)).toEqual([]);
    expect(longWorkToRaise([work('ann', took)], () => at('2026-11-27', '10:00'), at('2026-12-04', '10:00'), cal, g)).toHaveLength(1);
  });
});

describe('overload', () => {
  it('names each owner with more than three tickets once, with the count', () => {
    const now = at('2026-12-02', '09:00');
    const owned = [...['a', 'b', 'c', 'd'].map(() => work('ann', now)), ...['a', 'b', 'c'].map(() => work('bob', now))];
    expect(overloaded(owned, g)).toEqual([{ ownerKey: 'ann', count: 4 }]);
    expect([...byOwner(owned).keys()]).toEqual(['ann', 'bob']);
  });
});

describe('duty keys', () => {
  it('are the day and kind, and the person when there is one', () => {
    expect(dutyKey('2026-12-02', 'update_nudge')).toBe('2026-12-02|update_nudge');
    expect(dutyKey('2026-12-02', 'overload', 'k1')).toBe('2026-12-02|overload|k1');
  });
});
