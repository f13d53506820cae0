/**
 * The Adaptive Card 1.5 elements the builders use, as plain typed objects, and small constructors
 * for them. Only properties Teams renders; no templating.
 */
import type { AdaptiveCard, TicketActionData, Verb } from './card-model.js';
import { asMarkdown, type Text } from './markdown.js';

export { shorten } from './shorten.js';

declare const cardText: unique symbol;

/**
 * Text a card shows as markdown, made only by `text()` and `fact()`, which escape what is not the
 * app's own Markdown: a TextBlock or Fact built by hand from a raw string does not compile.
 */
export type CardText = string & { readonly [cardText]: true };

export type TextColor = 'default' | 'accent' | 'good' | 'warning' | 'attention';
export type Spacing = 'none' | 'small' | 'default' | 'medium' | 'large';

export interface TextBlock {
  type: 'TextBlock';
  text: CardText;
  wrap?: boolean;
  maxLines?: number;
  weight?: 'bolder' | 'lighter';
  size?: 'small' | 'medium' | 'large';
  color?: TextColor;
  isSubtle?: boolean;
  spacing?: Spacing;
  separator?: boolean;
}

export interface Fact {
  title: CardText;
  value: CardText;
}

export interface FactSet {
  type: 'FactSet';
  facts: Fact[];
  spacing?: Spacing;
}

/** A Universal Action: Teams sends an `adaptiveCard/action` invoke with this verb and data. */
export interface ExecuteAction {
  type: 'Action.Execute';
  title: string;
  verb: Verb;
  data: TicketActionData;
  style?: 'positive' | 'destructive';
  associatedInputs?: 'auto' | 'none';
}

export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
}

export type CardAction = ExecuteAction | OpenUrlAction;

export interface ActionSet {
  type: 'ActionSet';
  actions: CardAction[];
  spacing?: Spacing;
}

export interface Container {
  type: 'Container';
  items: CardElement[];
  selectAction?: OpenUrlAction;
  separator?: boolean;
  spacing?: Spacing;
}

export interface TextInput {
  type: 'Input.Text';
  id: string;
  label: string;
  isMultiline?: boolean;
  isRequired?: boolean;
  errorMessage?: string;
  maxLength?: number;
  placeholder?: string;
  value?: string;
}

export interface Choice {
  title: string;
  value: string;
}

/** Teams' dynamic typeahead: choices fetched from the bot (`application/search` invoke) as the user types. */
export interface DataQuery {
  type: 'Data.Query';
  dataset: string;
}

export interface ChoiceSetInput {
  type: 'Input.ChoiceSet';
  id: string;
  label: string;
  choices: Choice[];
  'choices.data'?: DataQuery;
  style?: 'compact' | 'expanded' | 'filtered';
  isRequired?: boolean;
  errorMessage?: string;
  placeholder?: string;
  value?: string;
}

export type CardElement = TextBlock | FactSet | ActionSet | Container | TextInput | ChoiceSetInput;

/** A line of feedback on a card (a refusal, a warning after an action, a form error). */
export interface CardNotice {
  kind: 'info' | 'warning' | 'error';
  text: Text;
}

/** The refresh section that gives the listed users their own view of a shared card. */
export interface CardRefresh {
  action: { type: 'Action.Execute'; verb: Verb; data: TicketActionData };
  userIds: string[];
}

/** A card pinned to version 1.5 around the given body. */
export function adaptiveCard(body: CardElement[], refresh?: CardRefresh): AdaptiveCard {
  const card: AdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
  };
  if (refresh) card.refresh = refresh;
  return card;
}

/** A wrapping TextBlock: a plain string is shown as it is (escaped), Markdown as markdown. */
export function text(value: Text, extra: Omit<TextBlock, 'type' | 'text'> = {}): TextBlock {
  const block: TextBlock = { type: 'TextBlock', text: asMarkdown(value) as CardText, wrap: true };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) Object.assign(block, { [k]: v });
  return block;
}

/** One fact (title and value), each escaped unless Markdown. */
export function fact(title: Text, value: Text): Fact {
  return { title: asMarkdown(title) as CardText, value: asMarkdown(value) as CardText };
}

/** A FactSet of escaped facts. */
export function factSet(facts: readonly { title: Text; value: Text }[], extra: Pick<FactSet, 'spacing'> = {}): FactSet {
  return { type: 'FactSet', facts: facts.map((f) => fact(f.title, f.value)), ...extra };
}

/** A TextBlock coloured for a notice. */
export function noticeBlock(notice: CardNotice): TextBlock {
  const color: Record<CardNotice['kind'], TextColor> = { info: 'accent', warning: 'warning', error: 'attention' };
  return text(notice.text, { color: color[notice.kind], weight: notice.kind === 'info' ? undefined : 'bolder' });
}

/** An Action.Execute carrying the ticket's key and the version the card showed. */
export function execute(
  title: string,
  verb: Verb,
  data: TicketActionData,
  extra: Pick<ExecuteAction, 'style' | 'associatedInputs'> = {},
): ExecuteAction {
  return { type: 'Action.Execute', title, verb, data: { ticketKey: data.ticketKey, v: data.v, ...(data.from ? { from: data.from } : {}) }, ...extra };
}

/** An Action.OpenUrl. */
export function openUrl(title: string, url: string): OpenUrlAction {
  return { type: 'Action.OpenUrl', title, url };
}

/**
 * The end every form shares: its error, if any, then the submit button (when the form can be
 * submitted) and Cancel, which brings the ticket card back.
 */
export function formEnd(error: string | undefined, submit: { title: string; verb: Verb } | null, data: TicketActionData): CardElement[] {
  const actions: CardAction[] = [];
  if (submit) actions.push(execute(submit.title, submit.verb, data, { style: 'positive', associatedInputs: 'auto' }));
  actions.push(execute('Cancel', 'refresh', data, { associatedInputs: 'none' }));
  return [...(error ? [noticeBlock({ kind: 'error', text: error })] : []), { type: 'ActionSet', actions }];
}

/** Collapses all whitespace (newlines included) to single spaces. */
export function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}
