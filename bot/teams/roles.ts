import { mayTriage } from '../domain/permissions.js';
import { todayIn } from '../domain/iso-date.js';
import type { PeopleDirectory, Person, Roles, Rota } from './teams-ports.js';

/** Teams caps a card's `refresh.userIds` at 60. */
export const MAX_REFRESH_USERS = 60;

/** The leads as the roles read them: the store's, never a list fixed at start-up. */
export interface LeadSource {
  /** The leads' e-mails / UPNs, lower case. */
  emails(): Promise<string[]>;
}

/** A person's e-mail and UPN, lower case. */
function idsOf(person: Pick<Person, 'email' | 'upn'>): string[] {
  return [person.email, person.upn].filter((s): s is string => !!s).map((s) => s.toLowerCase());
}

/** Who may triage: the store's leads, and the day's rota'd Operations Lead in the team's time zone (the rule is domain's `mayTriage`). */
export class TeamRoles implements Roles {
  constructor(private readonly deps: { rota: Rota; people: PeopleDirectory; leads: LeadSource; timeZone: string }) {}

  /** True when the person's e-mail or UPN is a lead's. */
  async isLead(person: Person): Promise<boolean> {
    const leads = await this.deps.leads.emails();
    return idsOf(person).some((id) => leads.includes(id));
  }

  /** True when the person is a lead or today's rota lead. */
  async canTriage(person: Person, now: Date): Promise<boolean> {
    const ids = idsOf(person);
    const today = await this.deps.rota.leadOn(todayIn(this.deps.timeZone, now));
    return mayTriage({ isLead: await this.isLead(person), isRotaLeadToday: today !== null && ids.includes(today.lead.email.toLowerCase()) });
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
    return (await this.today(now)).triagerTeamsIds;
  }

  /** Today's rota lead and the triagers' Teams ids, from one read of the rota, the leads and the people. */
  async today(now: Date): Promise<{ lead: { email: string; name: string | null; person: Person | null } | null; triagerTeamsIds: string[] }> {
    const day = await this.deps.rota.leadOn(todayIn(this.deps.timeZone, now));
    const leadEmail = day ? day.lead.email.toLowerCase() : null;
    const emails = [...(leadEmail ? [leadEmail] : []), ...(await this.deps.leads.emails())];
    const people = await this.deps.people.byEmails(emails);
    const rank = (p: Person): number => {
      const i = emails.findIndex((e) => e === p.email || e === p.upn);
      return i < 0 ? emails.length : i;
    };
    const ids = [...people].sort((a, b) => rank(a) - rank(b)).map((p) => p.teamsUserId);
    // The rota lead as byEmails([lead]) would find them: the first by _id whose e-mail or UPN it is.
    const person = leadEmail ? (people.find((p) => p.email === leadEmail || p.upn === leadEmail) ?? null) : null;
    return {
      lead: day && leadEmail ? { email: leadEmail, name: day.lead.name ?? (person?.name || null), person } : null,
      triagerTeamsIds: [...new Set(ids)].slice(0, MAX_REFRESH_USERS),
    };
  }
}
