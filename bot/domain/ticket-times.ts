/**
 * The two moments the guidelines count from (guidelines.ts): when the user last heard from the
 * team, and since when the current owner has owned the ticket. Pure, from the stored ticket.
 */
import { isMadeOrOwed } from './outbox.js';
import type { Ticket } from './ticket.js';

/**
 * When the ticket's raise user last heard from the team: an end-user update LGD has or is still
 * owed (a refused one never reached them), or a note in LGD they were notified of; null: never.
 */
export function lastUserUpdate(t: Pick<Ticket, 'outbox' | 'notes'>): Date | null {
  const times = [
    ...t.outbox.filter((e) => e.write.kind === 'end_user_update' && isMadeOrOwed(e)).map((e) => e.requestedAt),
    ...t.notes.filter((n) => n.notifyRaiseUser).map((n) => n.createdAt),
  ];
  return times.reduce<Date | null>((latest, d) => (latest === null || d > latest ? d : latest), null);
}

/**
 * Since when the current owner has owned the ticket, or null when nobody owns it: the later of
 * when they became the person on it and when it became owned (a person assigned before triage owns
 * it from the approval on).
 */
export function ownedSince(t: Pick<Ticket, 'state' | 'owner' | 'ownerSince' | 'stateChangedAt'>): Date | null {
  if (t.state !== 'owned' || !t.owner) return null;
  const since = t.ownerSince ?? t.stateChangedAt;
  return since > t.stateChangedAt ? since : t.stateChangedAt;
}

/**
 * When a ticket reached the state it is in: when the app saw it change, or, for a ticket that was
 * already in it when the app first saw it (resolved before the first sync), LGD's last update.
 */
export function stateSince(t: Pick<Ticket, 'stateChangedAt' | 'firstSeenAt' | 'lgd'>): Date {
  return t.stateChangedAt.getTime() <= t.firstSeenAt.getTime() && t.lgd.lastUpdate < t.stateChangedAt ? t.lgd.lastUpdate : t.stateChangedAt;
}
