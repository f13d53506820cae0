import type { ActionVerb, Me, QueueRow } from '../api/contract.js';

/**
 * The buttons a person sees on a row. This only decides what to offer: the server runs the
 * domain's checks on every action and answers 403/409 when the offer was wrong (a stale view).
 * Triagers: Approve (needs triage), Project and Reassign (needs triage, approved, owned); any
 * mapped person: Take ownership (approved); the owner: Reassign and Update the user. Nothing for
 * someone not mapped to an LGD analyst (the server would answer 403 NotMapped).
 */
export function rowActions(row: QueueRow, me: Me | null): ActionVerb[] {
  // Every action writes to LGD on the person's behalf: unmapped people are told how to get mapped instead.
  if (!me?.analyst) return [];
  const open = row.state === 'needs_triage' || row.state === 'approved_unassigned' || row.state === 'owned';
  const isOwner = !!me.analyst && row.owner?.key === me.analyst.key;
  const out: ActionVerb[] = [];
  if (me.canTriage && row.state === 'needs_triage') out.push('approve');
  if (row.state === 'approved_unassigned') out.push('take');
  if (isOwner && row.state === 'owned') out.push('update-user');
  if (me.canTriage && open) out.push('project');
  if ((me.canTriage || isOwner) && open) out.push('reassign');
  return out;
}

/** Button labels. */
export const ACTION_LABELS: Record<ActionVerb, string> = {
  approve: 'Approve',
  take: 'Take ownership',
  reassign: 'Reassign',
  project: 'Project',
  'update-user': 'Update the user',
};
