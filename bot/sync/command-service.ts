import { randomUUID } from 'node:crypto';
import type { CommandContext, CommandRefusal, CommandResult } from '../domain/commands.js';
import type { Requester } from '../domain/outbox.js';
import type { Ticket } from '../domain/ticket.js';
import type { EventLog } from '../store/event-log.js';
import type { TicketRepository } from '../store/ticket-repository.js';

/** The outcome of a command, as the bot shows it. */
export type CommandOutcome =
  | { ok: true; ticket: Ticket; before: Ticket }
  | { ok: false; code: CommandRefusal | 'NOT_FOUND'; message: string; ticket: Ticket | null };

/**
 * Runs a domain command against a ticket in one atomic store update (the outbox entry and the
 * ticket's new state together), records the state change, and nudges the worker to deliver.
 * It never waits on LGD.
 */
export class CommandService {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly events: EventLog,
    /** Asks the worker for a pass soon (the app's WorkSignal), so the queued write goes out at once. */
    private readonly onQueued: () => void = () => {},
    private readonly newId: () => string = randomUUID,
  ) {}

  async run(ticketKey: string, by: Requester, command: (t: Ticket, ctx: CommandContext) => CommandResult): Promise<CommandOutcome> {
    let refusal: Extract<CommandResult, { ok: false }> | null = null;
    const res = await this.tickets.mutate(ticketKey, (t, now) => {
      const r = command(t, { by, now, newId: this.newId });
      if (!r.ok) {
        refusal = r;
        return null;
      }
      refusal = null;
      return r.ticket;
    });
    if (!res) {
      const current = await this.tickets.get(ticketKey);
      if (!current) return { ok: false, code: 'NOT_FOUND', message: `No ticket of the team has the key ${ticketKey}.`, ticket: null };
      const r = refusal as Extract<CommandResult, { ok: false }> | null;
      return { ok: false, code: r?.code ?? 'WRONG_STATE', message: r?.message ?? 'The ticket has moved on.', ticket: current };
    }
    if (res.before.state !== res.after.state) {
      await this.events.append({ kind: 'state_changed', ticketKey, from: res.before.state, to: res.after.state, source: 'teams' });
    }
    this.onQueued();
    return { ok: true, ticket: res.after, before: res.before };
  }
}
