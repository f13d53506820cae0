import type { AdaptiveCard } from './card-model.js';
import { adaptiveCard, factSet, text, type CardElement } from './card-elements.js';

/** What the bot understands in chat: one fact per command, and an optional closing note. */
export function helpCard(commands: { command: string; description: string }[], extra?: string): AdaptiveCard {
  const body: CardElement[] = [text('What I can do', { size: 'medium', weight: 'bolder' })];
  if (commands.length > 0) body.push(factSet(commands.map((c) => ({ title: c.command, value: c.description }))));
  if (extra) body.push(text(extra, { isSubtle: true }));
  return adaptiveCard(body);
}
