import type { AdaptiveCard } from './card-model.js';
import { adaptiveCard, factSet, openUrl, text, type CardElement, type TextColor } from './card-elements.js';
import type { Text } from './markdown.js';

const KIND_COLOR: Record<'info' | 'warning' | 'error', TextColor | undefined> = { info: undefined, warning: 'warning', error: 'attention' };

/** A short answer or proactive message: a title, a sentence, optional facts and links; strings are shown as text. */
export function messageCard(opts: {
  title: Text;
  text: Text;
  kind?: 'info' | 'warning' | 'error';
  facts?: { title: Text; value: Text }[];
  actions?: { title: string; url: string }[];
}): AdaptiveCard {
  const color = KIND_COLOR[opts.kind ?? 'info'];
  const body: CardElement[] = [text(opts.title, { size: 'medium', weight: 'bolder', color }), text(opts.text, { spacing: 'small' })];
  if (opts.facts && opts.facts.length > 0) body.push(factSet(opts.facts));
  if (opts.actions && opts.actions.length > 0) body.push({ type: 'ActionSet', actions: opts.actions.map((a) => openUrl(a.title, a.url)) });
  return adaptiveCard(body);
}
