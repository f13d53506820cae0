import type { QueueRow, QueueState } from '../api/contract.js';

/** How the queue may be sorted. */
export const QUEUE_SORTS = ['default', 'oldest', 'newest', 'number', 'owner'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

export const QUEUE_SORT_LABELS: Record<QueueSort, string> = {
  default: 'Process order',
  oldest: 'Oldest raised first',
  newest: 'Newest raised first',
  number: 'LGD number',
  owner: 'Owner',
};

/** The headings of the queue's sections, in process order. */
export const SECTION_LABELS: Record<QueueState, string> = {
  needs_triage: 'Needs triage',
  approved_unassigned: 'Approved, waiting for an owner',
  owned: 'Owned',
  project: 'Project work',
  resolved: 'Recently resolved',
};

const SECTION_ORDER: readonly QueueState[] = ['needs_triage', 'approved_unassigned', 'owned', 'project', 'resolved'];

/** What the person asked to see. `owner`: 'all', 'none' (no owner), 'me', or an analyst key. */
export interface QueueFilter {
  states: readonly QueueState[];
  owner: string;
  search: string;
  sort: QueueSort;
}

export const DEFAULT_FILTER: QueueFilter = { states: [], owner: 'all', search: '', sort: 'default' };

/** A run of rows under one heading; owned rows are split by person. */
export interface QueueSection {
  id: string;
  state: QueueState;
  heading: string;
  /** For an owner's section: the owner. */
  owner: { key: string; name: string } | null;
  rows: QueueRow[];
}

const norm = (s: string): string => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** Whether a row matches the search text: every word in the number, title, raiser, owner, status or "assigned in LGD" person. */
export function matchesSearch(row: QueueRow, search: string): boolean {
  const words = norm(search).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = norm([String(row.number), row.title, row.raisedBy ?? '', row.owner?.name ?? '', row.status, row.assignedInLgd ?? '', row.priority ?? ''].join(' '));
  return words.every((w) => hay.includes(w));
}

function ownerMatches(row: QueueRow, owner: string, myAnalystKey: string | null): boolean {
  if (owner === 'all') return true;
  if (owner === 'none') return row.owner === null;
  if (owner === 'me') return !!myAnalystKey && row.owner?.key === myAnalystKey;
  return row.owner?.key === owner;
}

const raised = (r: QueueRow): number => Date.parse(r.raisedAt);

function comparator(sort: QueueSort): ((a: QueueRow, b: QueueRow) => number) | null {
  switch (sort) {
    case 'oldest':
      return (a, b) => raised(a) - raised(b) || a.number - b.number;
    case 'newest':
      return (a, b) => raised(b) - raised(a) || b.number - a.number;
    case 'number':
      return (a, b) => a.number - b.number;
    case 'owner':
      return (a, b) => (a.owner?.name ?? '\uffff').localeCompare(b.owner?.name ?? '\uffff') || raised(a) - raised(b);
    default:
      return null;
  }
}

/** The rows the filter lets through, sorted as asked (the server's order for `default`). */
export function filterRows(rows: readonly QueueRow[], f: QueueFilter, myAnalystKey: string | null): QueueRow[] {
  const out = rows.filter((r) => (f.states.length === 0 || f.states.includes(r.state)) && ownerMatches(r, f.owner, myAnalystKey) && matchesSearch(r, f.search));
  const cmp = comparator(f.sort);
  return cmp ? [...out].sort(cmp) : out;
}

/**
 * The sections to show, in process order, each keeping the rows' order; owned rows get a section
 * per owner (by owner name). Sections with no rows are left out.
 */
export function sectionsOf(rows: readonly QueueRow[]): QueueSection[] {
  const out: QueueSection[] = [];
  for (const state of SECTION_ORDER) {
    const inState = rows.filter((r) => r.state === state);
    if (inState.length === 0) continue;
    if (state !== 'owned') {
      out.push({ id: state, state, heading: SECTION_LABELS[state], owner: null, rows: inState });
      continue;
    }
    const byOwner = new Map<string, { name: string; rows: QueueRow[] }>();
    for (const r of inState) {
      const key = r.owner?.key ?? '';
      const entry = byOwner.get(key) ?? { name: r.owner?.name ?? 'Unknown owner', rows: [] };
      entry.rows.push(r);
      byOwner.set(key, entry);
    }
    const owners = [...byOwner].sort((a, b) => a[1].name.localeCompare(b[1].name));
    for (const [key, { name, rows: mine }] of owners) {
      out.push({ id: `owned:${key}`, state, heading: `Owned by ${name}`, owner: { key, name }, rows: mine });
    }
  }
  return out;
}

/** The owners to offer in the owner filter, by name, once each. */
export function ownersOf(rows: readonly QueueRow[]): { key: string; name: string }[] {
  const seen = new Map<string, string>();
  for (const r of rows) if (r.owner && !seen.has(r.owner.key)) seen.set(r.owner.key, r.owner.name);
  return [...seen].map(([key, name]) => ({ key, name })).sort((a, b) => a.name.localeCompare(b.name));
}

/** Counts per state, for the filter's labels and the summary line. */
export function countsOf(rows: readonly QueueRow[]): Record<QueueState, number> {
  const c: Record<QueueState, number> = { needs_triage: 0, approved_unassigned: 0, owned: 0, project: 0, resolved: 0 };
  for (const r of rows) c[r.state] += 1;
  return c;
}

/** Replaces one row (by key) with a newer copy, keeping the order; a row not there is left out (the next refetch places it). */
export function replaceRow(rows: readonly QueueRow[], row: QueueRow): QueueRow[] {
  return rows.map((r) => (r.key === row.key && row.version >= r.version ? row : r));
}
