import type { AdaptiveCard } from './card-model.js';
import { adaptiveCard, openUrl, text, type CardElement, type TextColor } from './card-elements.js';

const KIND_COLOR: Record<'info' | 'warning' | 'error', TextColor | undefined> = { info: undefined, warning: 'warning', error: 'attention' };

/** A short answer or proactive message: a title, a sentence, optional facts and links. */
export function messageCard(opts: {
  title: string;
  text: string;
  kind?: 'info' | 'warning' | 'error';
  facts?: { title: string; value: string }[];
  actions?: { title: string; url: string }[];
}): AdaptiveCard {
  const color = KIND_COLOR[opts.kind ?? 'info'];
  const body: CardElement[] = [text(opts.title, { size: 'medium', weight: 'bolder', color }), text(opts.text, { spacing: 'small' })];
  if (opts.facts && opts.facts.length > 0) body.push({ type: 'FactSet', facts: opts.facts.map((f) => ({ title: f.title, value: f.value })) });
  if (opts.actions && opts.actions.length > 0) body.push({ type: 'ActionSet', actions: opts.actions.map((a) => openUrl(a.title, a.url)) });
  return adaptiveCard(body);
}
