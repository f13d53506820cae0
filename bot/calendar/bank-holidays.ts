/**
 * Bank holidays from the maintained `date-holidays` library (its GB data follows gov.uk's lists,
 * substitute days included). Kept outside bot/domain: the domain's calendar is pure and is given
 * this list, so the rules are tested without the library and another source could replace it.
 */
import Holidays from 'date-holidays';

/** England and Wales share one list of bank holidays (date-holidays has no "EW": its `ENG` is that list). */
export const DEFAULT_HOLIDAY_REGION = 'GB-ENG';

/** Only days off work: date-holidays also lists observances (Mother's Day) and optional days. */
const TYPES: ('public' | 'bank')[] = ['public', 'bank'];

const known = new Holidays();

/** Why `region` (COUNTRY-REGION, e.g. GB-ENG, GB-SCT, GB-NIR) is not one the library knows, or null when it is. */
export function holidayRegionProblem(region: string): string | null {
  const [country = '', state, ...rest] = region.split('-');
  if (rest.length > 0 || !/^[A-Z]{2}$/.test(country)) return 'must be a country code and a region, e.g. GB-ENG';
  if (!known.getCountries()[country]) return `names a country the holiday library does not know (${country})`;
  const states = known.getStates(country) ?? {};
  if (state === undefined) {
    return Object.keys(states).length > 0 ? `needs a region of ${country}: one of ${Object.keys(states).map((s) => `${country}-${s}`).join(', ')}` : null;
  }
  if (!states[state]) return `names a region the holiday library does not know; ${country} has ${Object.keys(states).map((s) => `${country}-${s}`).join(', ') || 'no regions'}`;
  return null;
}

/** The bank holidays of `region` (checked with holidayRegionProblem) in the years from..to inclusive, weekends included as the library lists them. */
export function bankHolidays(region: string, fromYear: number, toYear: number): { date: string; name: string }[] {
  const [country = '', state] = region.split('-');
  const lib = state ? new Holidays(country, state, { types: TYPES }) : new Holidays(country, { types: TYPES });
  const out: { date: string; name: string }[] = [];
  for (let y = fromYear; y <= toYear; y++) {
    // `date` is the local calendar date ("2026-12-28 00:00:00"), which is what the team counts in.
    for (const h of lib.getHolidays(y)) if (TYPES.includes(h.type as 'public' | 'bank')) out.push({ date: h.date.slice(0, 10), name: h.name });
  }
  return out;
}
