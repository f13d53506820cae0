import { longWorkText, SEED_GUIDELINES } from '../../domain/guidelines.js';
import { createHash } from 'node:crypto';
import type { ProcessState } from '../../domain/process-state.js';
import { mayReassign } from '../../domain/permissions.js';
import type { AdaptiveCard, TeamContext, TicketActionData, TicketCardModel, Viewer } from './card-model.js';
import {
  adaptiveCard,
  execute,
  factSet,
  noticeBlock,
  openUrl,
  shorten,
  text,
  type CardAction,
  type CardElement,
  type CardNotice,
  type CardRefresh,
  type TextColor,
} from './card-elements.js';
import { describeAge, DEFAULT_TEAM_TIME_ZONE, formatTeamTime, formatTeamTimeShort } from './team-time.js';
import { ticketHeader } from './ticket-header.js';

/** Longest description a card shows, in characters. */
export const DESCRIPTION_MAX = 300;
/** Teams sends a refresh to at most this many users. */
export const MAX_REFRESH_USERS = 60;

const REFUSAL_MAX = 300;

function stateLine(model: TicketCardModel): { text: string; color?: TextColor } {
  const lines: Record<ProcessState, () => { text: string; color?: TextColor }> = {
    needs_triage: () =>
      model.assignedInLgd ? { text: `Assigned in LGD to ${model.assignedInLgd} — waiting for triage`, color: 'warning' } : { text: 'Needs triage', color: 'warning' },
    approved_unassigned: () => ({ text: 'Approved — waiting for an owner', color: 'good' }),
    owned: () => ({ text: model.owner ? `Owned by ${model.owner}` : 'Owned (owner not known)', color: 'accent' }),
    project: () => ({ text: 'Project work — moved to a backlog' }),
    reassigned: () => ({ text: model.group ? `Reassigned to ${model.group}` : 'Reassigned away from the team' }),
    resolved: () => ({ text: 'Resolved', color: 'good' }),
  };
  return lines[model.state]();
}

function decisionLine(model: TicketCardModel, team: TeamContext, timeZone: string): string | null {
  const d = model.decision;
  if (!d) return null;
  const what = d.kind === 'approved' ? 'Approved' : 'Marked as project work';
  const by = d.by ? ` by ${d.by}` : '';
  const where = d.source === 'teams' ? 'via Teams' : 'in LGD';
  return `${what}${by} ${where} · ${formatTeamTimeShort(d.at, team.now, timeZone)}`;
}

function descriptionText(description: string): string {
  const tidy = description.replace(/\r\n?/g, '\n').replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  return shorten(tidy, DESCRIPTION_MAX);
}

function actionsFor(model: TicketCardModel, viewer: Viewer | null): CardAction[] {
  const data: TicketActionData = { ticketKey: model.key, v: model.version };
  const triager = viewer?.canTriage === true;
  const actions: CardAction[] = [];
  switch (model.state) {
    case 'needs_triage':
      if (triager) {
        actions.push(
          execute('Approve', 'approve', data, { style: 'positive' }),
          execute('Project', 'projectForm', data),
          execute('Reassign', 'reassignForm', data),
        );
      }
      break;
    case 'approved_unassigned':
      actions.push(execute('Take ownership', 'takeOwnership', data, { style: 'positive' }));
      // Work that turns out bigger than support still becomes Project (the seed's three-day rule).
      if (triager) actions.push(execute('Project', 'projectForm', data), execute('Reassign', 'reassignForm', data));
      break;
    case 'owned':
      if (viewer?.isOwner) actions.push(execute('Resolve', 'resolveForm', data, { style: 'positive' }));
      actions.push(execute('Discuss', 'discuss', data));
      if (triager) actions.push(execute('Project', 'projectForm', data));
      // The owner hands a ticket back (support-process.md, step 7); triagers reassign it.
      if (mayReassign({ mayTriage: triager, isOwner: viewer?.isOwner === true })) actions.push(execute('Reassign', 'reassignForm', data));
      break;
    case 'project':
    case 'reassigned':
    case 'resolved':
      break;
  }
  actions.push(openUrl('Open in LGD', model.lgdLink));
  return actions;
}

function refreshFor(model: TicketCardModel, team: TeamContext): CardRefresh | undefined {
  const userIds = [...new Set(team.refreshUserIds)].sort().slice(0, MAX_REFRESH_USERS);
  if (userIds.length === 0) return undefined;
  return { action: { type: 'Action.Execute', verb: 'refresh', data: { ticketKey: model.key, v: model.version } }, userIds };
}

/**
 * A ticket as a card. `viewer` null is the shared card everyone sees (read-only apart from actions
 * anyone may take, with a `refresh` so triagers get their own view); a viewer gets their own view.
 */
export function ticketCard(model: TicketCardModel, viewer: Viewer | null, team: TeamContext, notice?: CardNotice): AdaptiveCard {
  const timeZone = team.timeZone ?? DEFAULT_TEAM_TIME_ZONE;
  const state = stateLine(model);
  const body: CardElement[] = [
    ...ticketHeader(model),
    text(state.text, { weight: 'bolder', color: state.color, spacing: 'small' }),
    factSet([
      { title: 'Raised by', value: model.raisedBy ?? '—' },
      { title: 'Raised', value: `${formatTeamTime(model.raisedAt, team.now, timeZone)} (${describeAge(model.raisedAt, team.now)})` },
      { title: 'Priority', value: model.priority ?? '—' },
      { title: 'Category', value: model.category ?? '—' },
      { title: 'Group', value: model.group ?? '—' },
      // Someone LGD had on it before triage does not own it yet (the state line names them).
      { title: 'Owner', value: model.assignedInLgd ? 'Nobody yet' : (model.owner ?? 'Nobody yet') },
      { title: 'LGD status', value: model.status },
    ]),
  ];
  const description = descriptionText(model.description);
  if (description) body.push(text(description, { maxLines: 4, isSubtle: true }));
  if (model.state === 'owned' && model.lastUserUpdate !== undefined) {
    const heard = model.lastUserUpdate ? formatTeamTimeShort(model.lastUserUpdate, team.now, timeZone) : 'never';
    body.push(text(`The user last heard from the team: ${heard}`, { size: 'small', isSubtle: true }));
  }
  const decision = decisionLine(model, team, timeZone);
  if (decision) body.push(text(decision, { size: 'small', isSubtle: true }));
  if (model.queuedForLgd > 0) {
    const count = model.queuedForLgd === 1 ? '' : ` (${model.queuedForLgd} changes)`;
    body.push(text(`Queued for LGD — not confirmed by LGD yet${count}`, { color: 'warning', size: 'small' }));
  }
  if (model.refusal) {
    body.push(text(`LGD refused the last change: ${shorten(model.refusal, REFUSAL_MAX)}`, { color: 'attention', weight: 'bolder' }));
  }
  if (model.state === 'needs_triage' && viewer?.canTriage !== true) {
    body.push(text(team.triagerToday ? `Triage today: ${team.triagerToday}` : 'Nobody is on the triage rota today', { isSubtle: true }));
  }
  if (notice) body.push(noticeBlock(notice));
  // The owner's daily duties in a row of their own (Teams shows at most five actions a row).
  if (model.state === 'owned' && viewer?.isOwner) {
    const data = { ticketKey: model.key, v: model.version };
    body.push({ type: 'ActionSet', actions: [execute('Update the user', 'updateUserForm', data), execute(`This will take ${longWorkText(team.guidelines ?? SEED_GUIDELINES)}`, 'longWorkForm', data)] });
  }
  body.push({ type: 'ActionSet', actions: actionsFor(model, viewer) });
  return adaptiveCard(body, refreshFor(model, team));
}

/** A fixed clock for the hash, so relative wording ("3 days ago", "today") does not change it. */
const HASH_EPOCH = new Date(0);

/** A short stable fingerprint of what the shared card shows: when it changes, the posted card is stale. */
export function ticketCardHash(model: TicketCardModel, team: TeamContext): string {
  const card = ticketCard(model, null, { ...team, now: HASH_EPOCH });
  return createHash('sha1').update(JSON.stringify(card)).digest('base64url');
}
