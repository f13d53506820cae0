import type { AdaptiveCard, TeamContext, TicketCardModel } from './card-model.js';
import { adaptiveCard, formEnd, text, type CardElement } from './card-elements.js';
import { ticketHeader } from './ticket-header.js';

/** Longest resolution text accepted. */
export const RESOLUTION_MAX = 2000;

/** The form the owner fills to resolve a ticket in LGD: a resolution category and what was done. */
export function resolveFormCard(
  model: TicketCardModel,
  _team: TeamContext,
  opts: { categories: { key: string; title: string }[]; prefill?: { description?: string; categoryKey?: string; error?: string } },
): AdaptiveCard {
  const data = { ticketKey: model.key, v: model.version };
  const prefill = opts.prefill ?? {};
  const body: CardElement[] = [...ticketHeader(model)];
  if (opts.categories.length > 0) {
    const known = opts.categories.some((c) => c.key === prefill.categoryKey);
    body.push({
      type: 'Input.ChoiceSet',
      id: 'category',
      label: 'Resolution category',
      // A long list gets Teams' type-to-filter box; compact (a plain dropdown) is the default.
      ...(opts.categories.length > 8 ? { style: 'filtered' as const } : {}),
      placeholder: 'Choose a category',
      isRequired: true,
      errorMessage: 'Choose a resolution category.',
      choices: opts.categories.map((c) => ({ title: c.title, value: c.key })),
      ...(known && prefill.categoryKey ? { value: prefill.categoryKey } : {}),
    });
  } else {
    // Without LGD's categories the resolve would be refused: say so instead of offering a dead button.
    body.push(text('LGD’s resolution categories are not available right now; try again shortly or resolve it in LGD.', { color: 'warning' }));
  }
  body.push({
    type: 'Input.Text',
    id: 'description',
    label: 'Resolution',
    placeholder: 'What was done — the user reads this',
    isMultiline: true,
    isRequired: true,
    errorMessage: 'Say what was done (at most 2,000 characters).',
    maxLength: RESOLUTION_MAX,
    ...(prefill.description ? { value: prefill.description.slice(0, RESOLUTION_MAX) } : {}),
  });
  body.push(...formEnd(prefill.error, opts.categories.length > 0 ? { title: 'Resolve', verb: 'resolve' } : null, data));
  return adaptiveCard(body);
}
