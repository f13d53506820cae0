import type { AdaptiveCard, TeamContext, TicketCardModel } from './card-model.js';
import { adaptiveCard, formEnd, oneLine, plain, shorten, text, type CardElement } from './card-elements.js';
import { ticketHeader } from './ticket-header.js';

/** Longest message to the user accepted. */
export const PROJECT_MESSAGE_MAX = 2000;
/** Longest backlog title accepted. */
export const BACKLOG_TITLE_MAX = 200;

/** "<title> (LGD <number>)", shortened to fit a backlog title. */
export function defaultBacklogTitle(model: Pick<TicketCardModel, 'title' | 'number'>): string {
  const suffix = ` (LGD ${model.number})`;
  return `${shorten(oneLine(model.title), BACKLOG_TITLE_MAX - suffix.length)}${suffix}`;
}

/** The form a triager fills to decide a ticket is project work: the message to the user, the area and the backlog item. */
export function projectFormCard(
  model: TicketCardModel,
  _team: TeamContext,
  opts: {
    areas: { area: string }[];
    defaultMessage: string;
    prefill?: { message?: string; area?: string; backlogTitle?: string; error?: string };
    /** Set when LGD's resolution categories are unavailable: what LGD answered, if anything. */
    categoriesUnavailable?: { lgdAnswer: string | null };
  },
): AdaptiveCard {
  const data = { ticketKey: model.key, v: model.version };
  const prefill = opts.prefill ?? {};
  const area: CardElement =
    opts.areas.length > 0
      ? {
          type: 'Input.ChoiceSet',
          id: 'area',
          label: 'Area',
          // A long list gets Teams' type-to-filter box; compact (a plain dropdown) is the default.
          ...(opts.areas.length > 8 ? { style: 'filtered' as const } : {}),
          placeholder: 'Choose the area',
          isRequired: true,
          errorMessage: 'Choose the area whose backlog takes it.',
          choices: opts.areas.map((a) => ({ title: a.area, value: a.area })),
          ...(prefill.area ? { value: prefill.area } : {}),
        }
      : {
          // No areas configured: still ask, so the decision is not blocked on configuration.
          type: 'Input.Text',
          id: 'area',
          label: 'Area',
          isRequired: true,
          errorMessage: 'Say which area’s backlog takes it.',
          maxLength: 100,
          ...(prefill.area ? { value: prefill.area } : {}),
        };
  // Project ends in a resolve with a category: say why it cannot happen from here, before the lead types.
  const said = opts.categoriesUnavailable?.lgdAnswer;
  const unavailable: CardElement[] = opts.categoriesUnavailable
    ? [
        text(
          `LGD’s resolution categories are not available${said ? ` (LGD answered ${plain(shorten(said, 300))})` : ''}, so the ticket cannot be resolved from here and Project cannot be completed now. Resolve it in LGD, or try again when LGD lists the categories.`,
          { color: 'warning', weight: 'bolder' },
        ),
      ]
    : [];
  const body: CardElement[] = [
    ...ticketHeader(model),
    ...unavailable,
    {
      type: 'Input.Text',
      id: 'message',
      label: 'Message to the user',
      isMultiline: true,
      isRequired: true,
      errorMessage: 'Write the message the user will get (at most 2,000 characters).',
      maxLength: PROJECT_MESSAGE_MAX,
      value: (prefill.message ?? opts.defaultMessage).slice(0, PROJECT_MESSAGE_MAX),
    },
    area,
    {
      type: 'Input.Text',
      id: 'backlogTitle',
      label: 'Backlog title',
      isRequired: true,
      errorMessage: 'Give the backlog item a title (at most 200 characters).',
      maxLength: BACKLOG_TITLE_MAX,
      value: (prefill.backlogTitle ?? defaultBacklogTitle(model)).slice(0, BACKLOG_TITLE_MAX),
    },
  ];
  body.push(...formEnd(prefill.error, { title: 'Decide: project', verb: 'project' }, data));
  return adaptiveCard(body);
}
