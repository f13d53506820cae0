import type { TicketCardModel } from './card-model.js';
import { oneLine, shorten, text, type TextBlock } from './card-elements.js';

/** Longest title a card shows, in characters. */
export const TITLE_MAX = 150;

/** The "LGD <number>" line and the ticket's title, shared by the ticket card and its forms. */
export function ticketHeader(model: Pick<TicketCardModel, 'number' | 'title'>): TextBlock[] {
  return [
    text(`LGD ${model.number}`, { size: 'small', weight: 'bolder', isSubtle: true }),
    text(shorten(oneLine(model.title), TITLE_MAX) || '(no title)', { size: 'medium', weight: 'bolder', spacing: 'none' }),
  ];
}
