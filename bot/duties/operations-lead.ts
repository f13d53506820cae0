import type { NoticeRecipient } from '../store/notice-repository.js';
import type { PeopleDirectory, Person, Rota } from '../teams/teams-ports.js';
import type { LeadSource } from '../teams/roles.js';

/** Who gets a day's messages for the Operations Lead, and whether the rota had a gap. */
export interface OperationsLead {
  /** The day's rota'd Operations Lead, or every lead the app can reach when there is none. */
  to: NoticeRecipient[];
  /** The name the cards give: the Operations Lead's, or "the leads". */
  name: string;
  /** True when nobody (reachable) is on the rota that day, so the leads get it: the card says so. */
  gap: boolean;
  /** Why the leads get it, when they do. */
  why: string | null;
}

/** A person as a notice names them. */
export const recipientOf = (p: Person): NoticeRecipient => ({ name: p.name, aadObjectId: p._id, teamsUserId: p.teamsUserId });

/**
 * The Operations Lead of `day` (support-process.md: triage is done by the "rota'd Operations
 * Lead"): the rota's, when the app knows them in Teams; else the leads, saying the rota has a gap.
 */
export async function operationsLeadOn(day: string, d: { rota: Pick<Rota, 'leadOn'>; people: Pick<PeopleDirectory, 'byEmails'>; leads: LeadSource }): Promise<OperationsLead> {
  const rota = await d.rota.leadOn(day);
  if (rota) {
    const [person] = await d.people.byEmails([rota.lead.email]);
    if (person) return { to: [recipientOf(person)], name: person.name, gap: false, why: null };
  }
  const leads = await d.people.byEmails(await d.leads.emails());
  const why = rota
    ? `the rota's Operations Lead for ${day} (${rota.lead.name ?? rota.lead.email}) has not met the app in Teams yet`
    : `nobody is on the rota as Operations Lead for ${day}`;
  return { to: leads.map(recipientOf), name: 'the leads', gap: true, why };
}
