import { AREA_NAME_MAX } from '../../domain/area-name.js';
import { BACKLOG_TITLE_MAX, USER_MESSAGE_MAX } from '../../domain/commands.js';
import { EMAIL_MAX, EMAILS_MAX } from '../../domain/email-address.js';
import type { AdaptiveCard, TeamContext, TicketCardModel } from './card-model.js';
import { adaptiveCard, formEnd, oneLine, shorten, text, type CardElement } from './card-elements.js';
import { ticketHeader } from './ticket-header.js';

/** Longest message to the user accepted. */
export const PROJECT_MESSAGE_MAX = USER_MESSAGE_MAX;
export { BACKLOG_TITLE_MAX };

/** Longest list of people to tell the form accepts. */
const CONTACTS_TEXT_MAX = EMAILS_MAX * (EMAIL_MAX + 2);

/** "<title> (LGD <number>)", shortened to fit a backlog title. */
export function defaultBacklogTitle(model: Pick<TicketCardModel, 'title' | 'number'>): string {
  const suffix = ` (LGD ${model.number})`;
  return `${shorten(oneLine(model.title), BACKLOG_TITLE_MAX - suffix.length)}${suffix}`;
}

/** What the form was filled with, when it comes back with an error. */
export interface ProjectFormPrefill {
  message?: string;
  area?: string;
  otherArea?: string;
  contacts?: string;
  backlogTitle?: string;
  error?: string;
}

/**
 * The form a triager fills to decide a ticket is project work: the message to the user, the area
 * (a known one, or another named), who else to tell, and the backlog item. Nothing in it is
 * required but the message and the title: areas never block Project.
 */
export function projectFormCard(
  model: TicketCardModel,
  _team: TeamContext,
  opts: {
    areas: { area: string }[];
    defaultMessage: string;
    prefill?: ProjectFormPrefill;
    /** Set when LGD's resolution categories are unavailable: what LGD answered, if anything. */
    categoriesUnavailable?: { lgdAnswer: string | null };
  },
): AdaptiveCard {
  const data = { ticketKey: model.key, v: model.version };
  const prefill = opts.prefill ?? {};
  const body: CardElement[] = [...ticketHeader(model)];
  // Project ends in a resolve with a category: say why it cannot happen from here, before the lead types.
  if (opts.categoriesUnavailable) {
    const said = opts.categoriesUnavailable.lgdAnswer;
    body.push(
      text(
        `LGD’s resolution categories are not available${said ? ` (LGD answered ${shorten(said, 300)})` : ''}, so the ticket cannot be resolved from here and Project cannot be completed now. Resolve it in LGD, or try again when LGD lists the categories.`,
        { color: 'warning', weight: 'bolder' },
      ),
    );
  }
  if (model.state === 'owned') {
    body.push(text(`${model.owner ?? 'Its owner'} owns this ticket and will be told of the decision.`, { isSubtle: true, spacing: 'small' }));
  } else if (model.state === 'approved_unassigned') {
    body.push(text('It was approved as support work; deciding Project now replaces that.', { isSubtle: true, spacing: 'small' }));
  }
  body.push({
    type: 'Input.Text',
    id: 'message',
    label: 'Message to the user',
    isMultiline: true,
    isRequired: true,
    errorMessage: `Write the message the user will get (at most ${USER_MESSAGE_MAX.toLocaleString('en-GB')} characters).`,
    maxLength: PROJECT_MESSAGE_MAX,
    value: (prefill.message ?? opts.defaultMessage).slice(0, PROJECT_MESSAGE_MAX),
  });
  const areaText = (id: 'area' | 'otherArea', label: string, value: string | undefined): CardElement => ({
    type: 'Input.Text',
    id,
    label,
    maxLength: AREA_NAME_MAX,
    ...(value ? { value: value.slice(0, AREA_NAME_MAX) } : {}),
  });
  if (opts.areas.length > 0) {
    const known = opts.areas.some((a) => a.area === prefill.area);
    body.push(
      {
        type: 'Input.ChoiceSet',
        id: 'area',
        label: 'Area',
        // A long list gets Teams' type-to-filter box; compact (a plain dropdown) is the default.
        ...(opts.areas.length > 8 ? { style: 'filtered' as const } : {}),
        placeholder: 'Choose the area, if it is one of these',
        choices: opts.areas.map((a) => ({ title: a.area, value: a.area })),
        ...(known && prefill.area ? { value: prefill.area } : {}),
      },
      areaText('otherArea', 'Or another area', prefill.otherArea),
    );
  } else {
    body.push(areaText('area', 'Area', prefill.area));
  }
  body.push(
    {
      type: 'Input.Text',
      id: 'contacts',
      label: 'Also tell (e-mails)',
      placeholder: 'pdm@example.org, dsa@example.org',
      maxLength: CONTACTS_TEXT_MAX,
      ...(prefill.contacts ? { value: prefill.contacts.slice(0, CONTACTS_TEXT_MAX) } : {}),
    },
    text("The area's contacts, and anyone named here, are told once the backlog item is made. With neither, nobody is told: you tell them.", {
      isSubtle: true,
      size: 'small',
      spacing: 'none',
    }),
    {
      type: 'Input.Text',
      id: 'backlogTitle',
      label: 'Backlog title',
      isRequired: true,
      errorMessage: `Give the backlog item a title (at most ${BACKLOG_TITLE_MAX} characters).`,
      maxLength: BACKLOG_TITLE_MAX,
      value: (prefill.backlogTitle ?? defaultBacklogTitle(model)).slice(0, BACKLOG_TITLE_MAX),
    },
  );
  body.push(...formEnd(prefill.error, { title: 'Decide: project', verb: 'project' }, data));
  return adaptiveCard(body);
}
