/**
 * Who may do what in the team's process (support-process.md): triage is done by "a lead
 * developer, scrum master or other rota'd Operations Lead"; leads look after the team's settings
 * (who the leads are, the areas and their contacts). Pure rules: the caller says where a person stands.
 */

/** Where a person stands today. */
export interface Standing {
  /** A lead developer or scrum master (the store's leads). */
  isLead: boolean;
  /** The rota's Operations Lead today, in the team's time zone. */
  isRotaLeadToday: boolean;
}

/** Triage (Approve, Project, Reassign), the rota and mapping people: a lead any day, the rota'd Operations Lead on their day. */
export function mayTriage(s: Standing): boolean {
  return s.isLead || s.isRotaLeadToday;
}

/** True when the person with this LGD analyst key is the one the team sees on the ticket. */
export function isOwnerOf(t: { owner: { key: string } | null }, analystKey: string | null | undefined): boolean {
  return !!t.owner && !!analystKey && t.owner.key.toLowerCase() === analystKey.toLowerCase();
}

/** Reassign: triagers (triage's third outcome), and the owner handing their ticket back (support-process.md, step 7). */
export function mayReassign(s: { mayTriage: boolean; isOwner: boolean }): boolean {
  return s.mayTriage || s.isOwner;
}

/** Resolve from Teams: the owner of an owned ticket ("see it through to completion"). */
export function mayResolve(t: { state: string; owner: { key: string } | null }, analystKey: string | null | undefined): boolean {
  return t.state === 'owned' && isOwnerOf(t, analystKey);
}

/** The team's settings (leads, areas and their contacts): leads only. */
export function mayManageTeam(s: Pick<Standing, 'isLead'>): boolean {
  return s.isLead;
}

/** Why `email` may not be removed from `leads` (lower-case e-mails), or null when it may. */
export function leadRemovalRefusal(leads: readonly string[], email: string): string | null {
  if (!leads.includes(email)) return `${email} is not a lead.`;
  if (leads.length <= 1) return `${email} is the last lead: add another lead first, so someone can still manage the team.`;
  return null;
}

/** With no lead at all, the person who installs the app in a team becomes the first, so the team is never locked out. */
export function becomesFirstLead(leadCount: number): boolean {
  return leadCount === 0;
}
