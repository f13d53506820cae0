import type { TicketActionData } from './card-model.js';
import { oneLine, shorten, text, type TextBlock } from './card-elements.js';
import { TITLE_MAX } from './ticket-header.js';

/** A ticket as the duty cards list it. */
export interface DutyTicketRow {
  key: string;
  number: number;
  title: string;
  version: number;
  lgdLink: string;
  /** "yesterday", "today 10:32", "never": when the user last heard from the team. */
  lastHeard: string;
  /** The owner's name, on cards to the Operations Lead. */
  owner?: string | null;
}

/** The action data of a row's ticket, on the card named by `from`. */
export const rowData = (r: DutyTicketRow, from?: TicketActionData['from']): TicketActionData => ({ ticketKey: r.key, v: r.version, ...(from ? { from } : {}) });

/** The "LGD 123 · title" line of a row. */
export function rowHeading(r: DutyTicketRow): TextBlock {
  return text(`LGD ${r.number} · ${shorten(oneLine(r.title), TITLE_MAX) || '(no title)'}`, { weight: 'bolder' });
}
