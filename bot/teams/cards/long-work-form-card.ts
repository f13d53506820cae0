import type { AdaptiveCard, TicketCardModel } from './card-model.js';
import { adaptiveCard, formEnd, text, type CardElement } from './card-elements.js';
import { ticketHeader } from './ticket-header.js';

/** Longest reason accepted. */
export const LONG_WORK_REASON_MAX = 500;

/** The owner's form to raise work that will take longer than the guideline with the Operations Lead: a short reason. */
export function longWorkFormCard(model: TicketCardModel, o: { guideline: string; reason?: string; error?: string }): AdaptiveCard {
  const body: CardElement[] = [
    ...ticketHeader(model),
    text(`Work that will take ${o.guideline} is raised with the Operations Lead, who agrees, discusses it with you or makes it a Project.`, { spacing: 'small' }),
    {
      type: 'Input.Text',
      id: 'reason',
      label: 'Why will it take longer?',
      placeholder: 'A sentence or two for the Operations Lead',
      isMultiline: true,
      isRequired: true,
      errorMessage: `Give a short reason (at most ${LONG_WORK_REASON_MAX} characters).`,
      maxLength: LONG_WORK_REASON_MAX,
      ...(o.reason ? { value: o.reason.slice(0, LONG_WORK_REASON_MAX) } : {}),
    },
  ];
  body.push(...formEnd(o.error, { title: 'Raise with the Operations Lead', verb: 'longWork' }, { ticketKey: model.key, v: model.version }));
  return adaptiveCard(body);
}
