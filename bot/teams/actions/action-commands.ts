import type { CommandContext, CommandResult } from '../../domain/commands.js';
import type { Requester } from '../../domain/outbox.js';
import type { Ticket } from '../../domain/ticket.js';
import type { BacklogRequest } from '../../store/backlog-request-repository.js';
import type { NewCardJob } from '../../store/card-job-repository.js';
import type { NewNotice } from '../../store/notice-repository.js';
import type { TicketEvent } from '../../store/event-log.js';
import type { AuditDraft, TicketRecords } from '../../store/ticket-journal.js';
import type { CommandOutcome, CommandService } from '../../sync/command-service.js';

/**
 * What an accepted action leaves to the worker, committed with the ticket in the same write:
 * messages owed to people, a backlog item, a card job; and the detail of its audit record.
 */
export interface ActionEffects {
  /** Events for the log (e.g. long work agreed, a ticket handed back), beside the state change the command service announces. */
  events?: readonly TicketEvent[];
  notices?: readonly NewNotice[];
  backlog?: readonly BacklogRequest[];
  jobs?: readonly NewCardJob[];
  /** The audit record's detail. */
  detail?: string | null;
}

/**
 * How a handler changes a ticket, or records what must happen about it: each accepted call is one
 * atomic write of the ticket with the action's audit record and its effects, and kicks the worker,
 * which does what talks to Teams, LGD or the backlog. Nothing here waits on them.
 */
export interface ActionCommands {
  /**
   * Applies a domain command to the ticket the handler loaded (re-read only if it changed since);
   * `effects` (from the ticket before and after) is committed with it, only if it is accepted.
   */
  run(
    ticket: Ticket,
    by: Requester,
    command: (t: Ticket, ctx: CommandContext) => CommandResult,
    effects?: (before: Ticket, after: Ticket) => ActionEffects | Promise<ActionEffects>,
  ): Promise<CommandOutcome>;
  /** Records effects about a ticket without changing it; false when the ticket is no longer stored. */
  record(ticket: Ticket, effects: ActionEffects): Promise<boolean>;
}

/** The records of an action: its effects, and its audit record when the action is audited. */
function recordsOf(effects: ActionEffects, ticket: Ticket, audit: ((t: Ticket, detail: string | null) => AuditDraft) | null): TicketRecords {
  const { detail, ...queued } = effects;
  return { ...queued, ...(audit ? { audit: [audit(ticket, detail ?? null)] } : {}) };
}

/**
 * ActionCommands over the command service. With `audit`, every accepted call carries the action's
 * audit record (outcome done) in the same write; `committed()` tells the dispatcher it need not
 * write one of its own.
 */
export function actionCommands(
  service: Pick<CommandService, 'run' | 'record'>,
  audit: ((ticket: Ticket, detail: string | null) => AuditDraft) | null,
): ActionCommands & { committed(): boolean } {
  let committed = false;
  return {
    committed: () => committed,
    async run(ticket, by, command, effects) {
      const r = await service.run(ticket._id, by, command, async (before, after) => recordsOf((await effects?.(before, after)) ?? {}, after, audit), ticket);
      if (r.ok) committed = true;
      return r;
    },
    async record(ticket, effects) {
      const found = await service.record(ticket._id, recordsOf(effects, ticket, audit));
      if (found) committed = true;
      return found;
    },
  };
}
