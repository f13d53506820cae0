import { ownedLimitText, type Guidelines } from '../../domain/guidelines.js';
import type { AdaptiveCard, TicketActionData } from './card-model.js';
import { execute, type ActionSet, type CardAction, type CardNotice } from './card-elements.js';

/** The warning shown to someone who has just taken more tickets than the guideline. */
export function ownershipWarningNotice(count: number, leadName: string | null, g: Guidelines): CardNotice {
  const lead = leadName ? `the Operations Lead (${leadName})` : 'the Operations Lead';
  return {
    kind: 'warning',
    text: `You now own ${count} tickets; the team's guideline is ${ownedLimitText(g)}. If that's too many to manage, tell ${lead}.`,
  };
}

function isActionSet(element: unknown): element is ActionSet {
  return typeof element === 'object' && element !== null && (element as { type?: unknown }).type === 'ActionSet' && Array.isArray((element as { actions?: unknown }).actions);
}

/**
 * A copy of the card with a "Tell the Operations Lead" button in its last ActionSet, before a
 * trailing "Open in LGD" link so that link stays last; adds an ActionSet when the card has none.
 */
export function withTellLeadAction(card: AdaptiveCard, data: TicketActionData): AdaptiveCard {
  const tell = execute('Tell the Operations Lead', 'notifyLead', data);
  const body = [...card.body];
  let index = -1;
  body.forEach((element, i) => {
    if (isActionSet(element)) index = i;
  });
  const found = body[index];
  if (!isActionSet(found)) return { ...card, body: [...body, { type: 'ActionSet', actions: [tell] } satisfies ActionSet] };
  const actions: CardAction[] = [...found.actions];
  const last = actions.at(-1);
  actions.splice(last?.type === 'Action.OpenUrl' ? actions.length - 1 : actions.length, 0, tell);
  body[index] = { ...found, actions };
  return { ...card, body };
}
