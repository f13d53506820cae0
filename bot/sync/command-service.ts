import { randomUUID } from 'node:crypto';
import { ownerUpdatesUser, type CommandContext, type CommandRefusal, type CommandResult } from '../domain/commands.js';
import { NO_CHANGE_TODAY_TEXT } from '../domain/duties.js';
import type { Requester } from '../domain/outbox.js';
import type { Ticket } from '../domain/ticket.js';
import type { TicketRecords } from '../store/ticket-journal.js';
import type { TicketRepository } from '../store/ticket-repository.js';

/** The outcome of a command, as the bot shows it. */
export type CommandOutcome =
  | { ok: true; ticket: Ticket; before: Ticket }
  | { ok: false; code: CommandRefusal | 'NOT_FOUND'; message: string; ticket: Ticket | null };

/**
 * Runs a domain command against a ticket as one atomic write: the ticket's new state, its outbox
 * entry, the event announcing a change of state, and whatever the caller records with it (the
 * action's audit record, messages owed to people, a backlog item, a card job) go into the store
 * together, in the ticket's journal, and the worker is kicked to act on them. It never waits on
 * LGD or Teams.
 */
export class CommandService {
  constructor(
    private readonly tickets: Pick<TicketRepository, 'mutate' | 'get' | 'record'>,
    /** Asks the worker for a pass soon (the app's WorkSignal), so the queued write goes out at once. */
    private readonly onQueued: () => void = () => {},
    private readonly newId: () => string = randomUUID,
  ) {}

  /** Applies `command`; `records` (from the ticket before and after) is committed with it, only if it is accepted. */
  async run(
    ticketKey: string,
    by: Requester,
    command: (t: Ticket, ctx: CommandContext) => CommandResult,
    records?: (before: Ticket, after: Ticket) => TicketRecords | Promise<TicketRecords>,
    /** The ticket as the caller read it, if it did: tried first, re-read only if it changed since. */
    read?: Ticket,
  ): Promise<CommandOutcome> {
    let refusal: Extract<CommandResult, { ok: false }> | null = null;
    const res = await this.tickets.mutate(
      ticketKey,
      (t, now) => {
        const r = command(t, { by, now, newId: this.newId });
        if (!r.ok) {
          refusal = r;
          return null;
        }
        refusal = null;
        return r.ticket;
      },
      async (before, after) => {
        const extra = (await records?.(before, after)) ?? {};
        const changed = before.state !== after.state;
        return {
          ...extra,
          events: [...(changed ? [{ kind: 'state_changed' as const, ticketKey, from: before.state, to: after.state, source: 'teams' as const }] : []), ...(extra.events ?? [])],
        };
      },
      read,
    );
    if (!res) {
      const current = await this.tickets.get(ticketKey);
      if (!current) return { ok: false, code: 'NOT_FOUND', message: `No ticket of the team has the key ${ticketKey}.`, ticket: null };
      const r = refusal as Extract<CommandResult, { ok: false }> | null;
      return { ok: false, code: r?.code ?? 'WRONG_STATE', message: r?.message ?? 'The ticket has moved on.', ticket: current };
    }
    this.onQueued();
    return { ok: true, ticket: res.after, before: res.before };
  }

  /**
   * The owner updates the ticket's user: `text`, or No change today's standard text. Refused (and
   * nothing written) for empty or over-long text and a ticket that is no longer `analystKey`'s. The
   * end-user update goes to LGD through the outbox; the tab's `POST /api/tickets/{key}/update-user`
   * and the duty cards call this.
   */
  updateUser(ticketKey: string, by: Requester, input: { text: string } | { noChangeToday: true }, analystKey: string | null): Promise<CommandOutcome> {
    const text = 'text' in input ? input.text : NO_CHANGE_TODAY_TEXT;
    return this.run(ticketKey, by, (t, ctx) => ownerUpdatesUser(t, text, analystKey, ctx));
  }

  /** Records what must happen about a ticket without changing it, in one write, and kicks the worker; false when there is no such ticket. */
  async record(ticketKey: string, records: TicketRecords): Promise<boolean> {
    const found = await this.tickets.record(ticketKey, records);
    if (found) this.onQueued();
    return found;
  }
}
