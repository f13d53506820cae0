import { todayIn } from './rota.js';
import type { PeopleDirectory, Person, Roles, Rota } from './teams-ports.js';

/** Teams caps a card's `refresh.userIds` at 60. */
export const MAX_REFRESH_USERS = 60;

/** Who may triage: everyone in LEADS, and the day's rota'd Operations Lead in the team's time zone. */
export class TeamRoles implements Roles {
  private readonly leads: ReadonlySet<string>;

  constructor(
    private readonly deps: { rota: Rota; people: PeopleDirectory; leads: readonly string[]; timeZone: string },
  ) {
    this.leads = new Set(deps.leads.map((l) => l.toLowerCase()));
  }

  /** True when the person's e-mail or UPN is a lead's or today's rota lead's. */
  async canTriage(person: Person, now: Date): Promise<boolean> {
    const ids = [person.email, person.upn].filter((s): s is string => !!s).map((s) => s.toLowerCase());
    if (ids.some((id) => this.leads.has(id))) return true;
    const today = await this.deps.rota.leadOn(todayIn(this.deps.timeZone, now));
    return today !== null && ids.includes(today.lead.email.toLowerCase());
  }

  /** Today's rota lead, with the person when the directory knows them. */
  async leadToday(now: Date): Promise<{ email: string; name: string | null; person: Person | null } | null> {
    const day = await this.deps.rota.leadOn(todayIn(this.deps.timeZone, now));
    if (!day) return null;
    const email = day.lead.email.toLowerCase();
    const [person = null] = await this.deps.people.byEmails([email]);
    return { email, name: day.lead.name ?? (person?.name || null), person };
  }

  /** Teams ids of the known leads and today's lead, at most MAX_REFRESH_USERS. */
  async triagerTeamsIds(now: Date): Promise<string[]> {
    const day = await this.deps.rota.leadOn(todayIn(this.deps.timeZone, now));
    const emails = [...(day ? [day.lead.email.toLowerCase()] : []), ...this.leads];
    const people = await this.deps.people.byEmails(emails);
    const rank = (p: Person): number => {
      const i = emails.findIndex((e) => e === p.email || e === p.upn);
      return i < 0 ? emails.length : i;
    };
    const ids = people.sort((a, b) => rank(a) - rank(b)).map((p) => p.teamsUserId);
    return [...new Set(ids)].slice(0, MAX_REFRESH_USERS);
  }
}
