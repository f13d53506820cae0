/**
 * The commands people give about a ticket, as pure functions: each checks the ticket is where
 * the command makes sense and returns the ticket with the LGD write queued in its outbox, or a
 * refusal saying why. Applying the result is one atomic store update.
 */
import type { OutboxEntry, OutboxWrite, Requester } from './outbox.js';
import type { ProcessState } from './process-state.js';
import type { Ticket } from './ticket.js';
import { parseAreaName } from './area-name.js';
import { isOwnerOf } from './permissions.js';

export type CommandResult = { ok: true; ticket: Ticket; entries: OutboxEntry[] } | { ok: false; code: CommandRefusal; message: string };

export type CommandRefusal = 'WRONG_STATE' | 'ALREADY_OWNED' | 'INVALID_INPUT';

const STATE_WORDS: Record<ProcessState, string> = {
  needs_triage: 'waiting for triage',
  approved_unassigned: 'approved and waiting for an owner',
  owned: 'owned',
  project: 'decided as project work',
  reassigned: 'reassigned away from the team',
  resolved: 'resolved',
};

/** Describes a state in words people use. */
export const describeState = (s: ProcessState): string => STATE_WORDS[s];

function refuse(code: CommandRefusal, message: string): CommandResult {
  return { ok: false, code, message };
}

function queue(ticket: Ticket, writes: OutboxWrite[], by: Requester, now: Date, newId: () => string): CommandResult {
  const entries: OutboxEntry[] = writes.map((write) => ({
    id: newId(),
    write,
    requestedBy: by,
    requestedAt: now,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    claimedUntil: null,
    lastError: null,
    finishedAt: null,
    refusal: null,
  }));
  return { ok: true, ticket: { ...ticket, outbox: [...ticket.outbox, ...entries] }, entries };
}

function requireState(t: Ticket, allowed: readonly ProcessState[], verb: string): CommandResult | null {
  if (allowed.includes(t.state)) return null;
  return refuse('WRONG_STATE', `Ticket ${t.lgd.id} is ${describeState(t.state)}, so it cannot be ${verb} now.`);
}

export interface CommandContext {
  by: Requester;
  now: Date;
  newId: () => string;
}

/** Approve: the ticket is support work. */
export function approve(t: Ticket, ctx: CommandContext): CommandResult {
  return requireState(t, ['needs_triage'], 'approved') ?? queue(t, [{ kind: 'note', text: 'Approved', decision: 'approved' }], ctx.by, ctx.now, ctx.newId);
}

/** Take ownership: assign the ticket to the requester's analyst record. Exactly one person wins. */
export function takeOwnership(t: Ticket, analyst: { key: string; title: string }, ctx: CommandContext): CommandResult {
  if (t.state === 'owned') {
    return refuse('ALREADY_OWNED', `Ticket ${t.lgd.id} is already owned by ${t.owner?.title ?? 'someone else'}.`);
  }
  return (
    requireState(t, ['approved_unassigned'], 'taken') ??
    queue(
      t,
      [{ kind: 'assign', userKey: analyst.key, userTitle: analyst.title, groupKey: t.lgd.groupKey ?? undefined, groupTitle: t.lgd.groupTitle ?? undefined, description: 'Taking ownership' }],
      ctx.by,
      ctx.now,
      ctx.newId,
    )
  );
}

/** Where a ticket may be reassigned (triage's third outcome, or an owner handing it back): while it is still the team's and not finished. */
export const REASSIGN_STATES: readonly ProcessState[] = ['needs_triage', 'approved_unassigned', 'owned'];

/** Reassign to another group and/or person, with a reason. */
export function reassign(
  t: Ticket,
  target: { groupKey?: string; groupTitle?: string; userKey?: string; userTitle?: string; reason: string },
  ctx: CommandContext,
): CommandResult {
  if (!target.groupKey && !target.userKey) return refuse('INVALID_INPUT', 'Choose a group or a person to reassign the ticket to.');
  if (!target.reason.trim()) return refuse('INVALID_INPUT', 'Say why the ticket is being reassigned.');
  return (
    requireState(t, REASSIGN_STATES, 'reassigned') ??
    queue(
      t,
      [
        {
          kind: 'assign',
          groupKey: target.groupKey,
          groupTitle: target.groupTitle,
          userKey: target.userKey,
          userTitle: target.userTitle,
          description: target.reason.trim(),
        },
      ],
      ctx.by,
      ctx.now,
      ctx.newId,
    )
  );
}

/** Resolve with a resolution category and description. */
export function resolve(t: Ticket, input: { categoryKey: string; description: string }, ctx: CommandContext): CommandResult {
  if (!input.description.trim()) return refuse('INVALID_INPUT', 'Describe the resolution.');
  return (
    requireState(t, ['owned', 'approved_unassigned', 'project'], 'resolved') ??
    queue(t, [{ kind: 'resolve', categoryKey: input.categoryKey, description: input.description.trim() }], ctx.by, ctx.now, ctx.newId)
  );
}

/** Update the user: a message the raise user sees. */
export function updateUser(t: Ticket, text: string, ctx: CommandContext, maxLength = USER_MESSAGE_MAX): CommandResult {
  const body = text.trim();
  if (!body) return refuse('INVALID_INPUT', 'The message to the user is empty.');
  if (body.length > maxLength) return refuse('INVALID_INPUT', `The message to the user is ${body.length} characters; the limit is ${maxLength}.`);
  return requireState(t, ['owned', 'approved_unassigned', 'needs_triage', 'project'], 'updated') ?? queue(t, [{ kind: 'end_user_update', text: body }], ctx.by, ctx.now, ctx.newId);
}

/**
 * The owner updates their user (support-process.md: "Update the user at least once a day"): only
 * while the ticket is owned by `analystKey`; a ticket no longer theirs is refused.
 */
export function ownerUpdatesUser(t: Ticket, text: string, analystKey: string | null, ctx: CommandContext): CommandResult {
  if (t.state !== 'owned' || !isOwnerOf(t, analystKey)) {
    const now = t.state === 'owned' ? `owned by ${t.owner?.title ?? 'someone else'}` : describeState(t.state);
    return refuse('WRONG_STATE', `Ticket ${t.lgd.id} is no longer yours (it is ${now}), so its user is not updated from here.`);
  }
  return updateUser(t, text, ctx);
}

/** The most a message to the user may hold (the form's limit, and a sane note size). */
export const USER_MESSAGE_MAX = 2000;

/** The most a backlog title may hold. */
export const BACKLOG_TITLE_MAX = 200;

/**
 * Where Project may be decided: before triage, and also once the work turns out bigger than
 * support (approved or owned: the seed's "more than 3 days" rule leads here).
 */
export const PROJECT_STATES: readonly ProcessState[] = ['needs_triage', 'approved_unassigned', 'owned'];

/** What a Project decision says: the message to the user, the backlog title and the area (null: none named). */
export interface ProjectInput {
  message: string;
  backlogTitle: string;
  area: string | null;
}

/**
 * The Project checks, once, for the form, the decision and the command: the ticket's state and,
 * when given, the input. Returns the input tidied, or a refusal saying why.
 */
export function checkProject(
  t: Pick<Ticket, 'state' | 'lgd'>,
  input?: ProjectInput,
): { ok: true; input: ProjectInput | null } | Extract<CommandResult, { ok: false }> {
  if (!PROJECT_STATES.includes(t.state)) {
    return { ok: false, code: 'WRONG_STATE', message: `Ticket ${t.lgd.id} is ${describeState(t.state)}, so it cannot be decided as project work now.` };
  }
  if (!input) return { ok: true, input: null };
  const message = input.message.trim();
  if (!message) return { ok: false, code: 'INVALID_INPUT', message: 'Write the message to the user: LGD sends it to them.' };
  if (message.length > USER_MESSAGE_MAX) {
    return { ok: false, code: 'INVALID_INPUT', message: `The message to the user is ${message.length} characters; keep it to ${USER_MESSAGE_MAX} at most.` };
  }
  const backlogTitle = input.backlogTitle.replace(/\s+/g, ' ').trim();
  if (!backlogTitle) return { ok: false, code: 'INVALID_INPUT', message: 'Give the backlog item a title.' };
  if (backlogTitle.length > BACKLOG_TITLE_MAX) {
    return { ok: false, code: 'INVALID_INPUT', message: `The backlog title is ${backlogTitle.length} characters; keep it to ${BACKLOG_TITLE_MAX} at most.` };
  }
  let area: string | null = null;
  if (input.area !== null && input.area.trim()) {
    const parsed = parseAreaName(input.area);
    if (!parsed.ok) return { ok: false, code: 'INVALID_INPUT', message: parsed.message };
    area = parsed.value;
  }
  return { ok: true, input: { message, backlogTitle, area } };
}

/**
 * Project: the ticket is project work disguised as support, found at triage or once the work
 * turned out bigger. Queues, in order, the note "Project — <name> via Teams", the message to the
 * user, and the resolve.
 */
export function decideProject(t: Ticket, input: ProjectInput & { categoryKey: string }, ctx: CommandContext): CommandResult {
  const checked = checkProject(t, input);
  if (!checked.ok) return checked;
  const { message, backlogTitle, area } = checked.input as ProjectInput;
  return queue(
    t,
    [
      { kind: 'note', text: 'Project', decision: 'project' },
      { kind: 'end_user_update', text: message },
      { kind: 'resolve', categoryKey: input.categoryKey, description: `Project work: moved to the ${area ? `${area} ` : ''}backlog as "${backlogTitle}".` },
    ],
    ctx.by,
    ctx.now,
    ctx.newId,
  );
}
