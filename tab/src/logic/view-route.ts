/** The tab's views, as hash routes (`#/queue`); `config` is the channel tab's configuration page. */
export const VIEWS = ['queue', 'rota', 'people', 'insights', 'settings', 'config'] as const;
export type ViewName = (typeof VIEWS)[number];

/** The views a channel tab may open on (the configuration page offers these). */
export const OPENABLE_VIEWS = ['queue', 'rota', 'people', 'insights'] as const satisfies readonly ViewName[];

/** Labels people read, for navigation and the configuration page. */
export const VIEW_LABELS: Record<ViewName, string> = {
  queue: 'Queue',
  rota: 'Rota',
  people: 'People',
  insights: 'Insights',
  settings: 'Settings',
  config: 'Tab settings',
};

const isView = (s: string): s is ViewName => (VIEWS as readonly string[]).includes(s);

/**
 * The view a location hash names (`#/rota`, `#rota`, `#/rota?x=1`); null for an empty or unknown
 * hash, so the caller picks the default (Teams' sub-page id, then the queue).
 */
export function viewOfHash(hash: string): ViewName | null {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0]?.toLowerCase() ?? '';
  return isView(name) ? name : null;
}

/** The view a Teams page / sub-page id names (`queue`, `lgd-rota`), or null. */
export function viewOfEntity(id: string | null | undefined): ViewName | null {
  const name = (id ?? '').toLowerCase().replace(/^lgd-/, '');
  return isView(name) ? name : null;
}

/** The hash of a view. */
export const hashOf = (view: ViewName): string => `#/${view}`;

/**
 * The content URL a channel tab is saved with: the tab's own page (same origin and path as the
 * configuration page) with the chosen view's hash.
 */
export function contentUrlFor(view: ViewName, location: { origin: string; pathname: string }): string {
  return `${location.origin}${location.pathname}${hashOf(view)}`;
}
