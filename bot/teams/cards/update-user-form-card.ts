import { USER_MESSAGE_MAX } from '../../domain/commands.js';
import type { AdaptiveCard, TicketCardModel } from './card-model.js';
import { adaptiveCard, execute, factSet, noticeBlock, type CardElement } from './card-elements.js';
import { ticketHeader } from './ticket-header.js';

/** The owner's Update the user form: when the user last heard, the update, Send update / No change today / Cancel. */
export function updateUserFormCard(model: TicketCardModel, o: { lastHeard: string; error?: string }): AdaptiveCard {
  const data = { ticketKey: model.key, v: model.version };
  const body: CardElement[] = [
    ...ticketHeader(model),
    factSet([{ title: 'User last heard', value: o.lastHeard }]),
    { type: 'Input.Text', id: 'text', label: 'Update for the user', placeholder: 'What the user reads in LGD', isMultiline: true, maxLength: USER_MESSAGE_MAX },
  ];
  if (o.error) body.push(noticeBlock({ kind: 'error', text: o.error }));
  body.push({
    type: 'ActionSet',
    actions: [
      execute('Send update', 'updateUser', data, { style: 'positive', associatedInputs: 'auto' }),
      execute('No change today', 'noChangeToday', data, { associatedInputs: 'none' }),
      execute('Cancel', 'refresh', data, { associatedInputs: 'none' }),
    ],
  });
  return adaptiveCard(body);
}
