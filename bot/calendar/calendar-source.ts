import { teamCalendar, type TeamCalendar } from '../domain/calendar.js';
import { todayIn } from '../domain/iso-date.js';
import { bankHolidays } from './bank-holidays.js';

/** Where the team's days off are kept (bot/store/days-off-repository.ts). */
export interface DaysOffSource {
  between(from: string, to: string): Promise<readonly { date: string; name: string }[]>;
}

/**
 * Builds the team's calendar for today: the region's bank holidays (from last year to two years
 * ahead, computed once per year) and the days off in the store (read each time, so a lead's change
 * counts at once, on every instance). Outside bot/domain because it reads the store and a library.
 */
export class CalendarSource {
  private readonly years = new Map<number, readonly { date: string; name: string }[]>();
  private readonly clock: () => Date;

  constructor(private readonly d: { timeZone: string; region: string; daysOff: DaysOffSource; clock?: () => Date }) {
    this.clock = d.clock ?? (() => new Date());
  }

  /** The calendar as it stands now. */
  async current(): Promise<TeamCalendar> {
    const year = Number(todayIn(this.d.timeZone, this.clock()).slice(0, 4));
    const holidays: { date: string; name: string }[] = [];
    for (let y = year - 1; y <= year + 2; y++) holidays.push(...this.holidaysOf(y));
    const daysOff = await this.d.daysOff.between(`${year - 1}-01-01`, `${year + 2}-12-31`);
    return teamCalendar({ timeZone: this.d.timeZone, bankHolidays: holidays, daysOff });
  }

  private holidaysOf(year: number): readonly { date: string; name: string }[] {
    let list = this.years.get(year);
    if (!list) {
      list = bankHolidays(this.d.region, year, year);
      this.years.set(year, list);
    }
    return list;
  }
}
