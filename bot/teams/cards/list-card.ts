import type { AdaptiveCard } from './card-model.js';
import { adaptiveCard, factSet, oneLine, openUrl, shorten, text, type CardElement, type Container } from './card-elements.js';
import type { Text } from './markdown.js';

/** Most rows a list card shows; the rest are counted in the footer. */
export const LIST_MAX_ROWS = 15;

/** One row; strings are shown as text (escaped), whoever wrote them. */
export interface ListRow {
  title: string;
  subtitle?: Text;
  facts?: { title: Text; value: Text }[];
  url?: string;
}

function rowContainer(row: ListRow): Container {
  const items: CardElement[] = [text(shorten(oneLine(row.title), 150), { weight: 'bolder' })];
  if (row.subtitle) items.push(text(row.subtitle, { isSubtle: true, spacing: 'none', size: 'small' }));
  if (row.facts && row.facts.length > 0) items.push(factSet(row.facts, { spacing: 'small' }));
  const container: Container = { type: 'Container', separator: true, items };
  if (row.url) container.selectAction = openUrl('Open', row.url);
  return container;
}

/** A titled list for chat commands ("my tickets", "waiting"), at most 15 rows; an empty list says so. */
export function listCard(opts: { title: Text; subtitle?: Text; rows: ListRow[]; empty: Text; footer?: string }): AdaptiveCard {
  const body: CardElement[] = [text(opts.title, { size: 'medium', weight: 'bolder' })];
  if (opts.subtitle) body.push(text(opts.subtitle, { isSubtle: true, spacing: 'none' }));
  if (opts.rows.length === 0) body.push(text(opts.empty, { isSubtle: true }));
  body.push(...opts.rows.slice(0, LIST_MAX_ROWS).map(rowContainer));
  const hidden = opts.rows.length - LIST_MAX_ROWS;
  const footer = [hidden > 0 ? `…and ${hidden} more` : null, opts.footer ?? null].filter((s): s is string => s !== null).join(' · ');
  if (footer) body.push(text(footer, { isSubtle: true, size: 'small', separator: true }));
  return adaptiveCard(body);
}
