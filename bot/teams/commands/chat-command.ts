import type { AdaptiveCard } from '../cards/card-model.js';
import type { Text } from '../cards/markdown.js';
import type { ActionPorts, Actor } from '../actions/action-handler.js';
import type { LeadRepository } from '../../store/lead-repository.js';
import type { Rota } from '../teams-ports.js';
import type { TeamCalendar } from '../../domain/calendar.js';
import type { DaysOffRepository } from '../../store/days-off-repository.js';

/** Where a chat command was typed. */
export interface CommandPlace {
  kind: 'channel' | 'groupChat' | 'personal';
  conversationId: string;
  teamId: string | null;
}

/** What a chat command may use. */
export interface CommandPorts extends ActionPorts {
  rota: Rota;
  /** The leads, in the store (LEADS seeds them). */
  leads: Pick<LeadRepository, 'list' | 'emails' | 'add' | 'addFirst' | 'remove'>;
  timeZone: string;
  /** The team's working days as they stand now: weekends, the region's bank holidays, the team's days off. */
  calendar: { current(): Promise<TeamCalendar> };
  /** The team's days off, in the store. */
  daysOff: DaysOffRepository;
}

/** A command's answer: a card (kept up to date with its ticket when `track` is set), or text (a string is shown as it is, Markdown as markdown). */
export type CommandReply = { card: AdaptiveCard; text?: Text; track?: { ticketKey: string } } | { text: Text };

/** One chat command: a pattern and a handler; one file each, all listed in commands/registry.ts. */
export interface ChatCommand {
  name: string;
  /** Shown in help. */
  usage: string;
  description: string;
  /** Matches the text (mentions removed, trimmed); the match is given to the handler. */
  pattern: RegExp;
  handle(match: RegExpExecArray, actor: Actor, place: CommandPlace, ports: CommandPorts): Promise<CommandReply>;
}
