import type { AdaptiveCard, TeamContext, TicketCardModel } from './card-model.js';
import { adaptiveCard, formEnd, type CardElement } from './card-elements.js';
import { ticketHeader } from './ticket-header.js';

/** The typeahead dataset the bot answers (`application/search`) with "group:<key>" and "user:<key>" values. */
export const REASSIGN_TARGETS_DATASET = 'lgd.targets';
/** Longest reason accepted. */
export const REASON_MAX = 500;

/** The form to send a ticket to another LGD group or person, with a reason. */
export function reassignFormCard(model: TicketCardModel, _team: TeamContext, prefill?: { reason?: string; error?: string }): AdaptiveCard {
  const data = { ticketKey: model.key, v: model.version };
  const body: CardElement[] = [
    ...ticketHeader(model),
    {
      type: 'Input.ChoiceSet',
      id: 'target',
      label: 'Send it to',
      style: 'filtered',
      placeholder: 'Type a group or a person',
      isRequired: true,
      errorMessage: 'Choose a group or a person to send it to.',
      choices: [],
      'choices.data': { type: 'Data.Query', dataset: REASSIGN_TARGETS_DATASET },
    },
    {
      type: 'Input.Text',
      id: 'reason',
      label: 'Why',
      isMultiline: true,
      isRequired: true,
      errorMessage: 'Say why it goes there (at most 500 characters).',
      maxLength: REASON_MAX,
      ...(prefill?.reason ? { value: prefill.reason.slice(0, REASON_MAX) } : {}),
    },
  ];
  body.push(...formEnd(prefill?.error, { title: 'Reassign', verb: 'reassign' }, data));
  return adaptiveCard(body);
}
