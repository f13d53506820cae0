/** Test data for the card builders and ways to read a card the way a person sees it. */
import type { AdaptiveCard, TeamContext, TicketCardModel, Viewer } from '../../../bot/teams/cards/card-model.js';

/** Thu 26 Nov 2026 10:00 in London (GMT). */
export const NOW = new Date('2026-11-26T10:00:00Z');

export function model(over: Partial<TicketCardModel> = {}): TicketCardModel {
  return {
    key: 'lgd-4711',
    number: 4711,
    title: 'Payroll export fails for Northamptonshire schools',
    description: 'Since Monday the nightly payroll export stops half way with a timeout.',
    raisedBy: 'Sam User',
    raisedAt: new Date('2026-11-23T14:05:00Z'),
    priority: 'P3',
    category: 'Application / Payroll',
    status: 'Open',
    state: 'needs_triage',
    group: 'LGSS-IT-Digital',
    owner: null,
    decision: null,
    queuedForLgd: 0,
    refusal: null,
    lgdLink: 'https://lgd.example.org/ticket/4711',
    version: 7,
    ...over,
  };
}

export function team(over: Partial<TeamContext> = {}): TeamContext {
  return { triagerToday: 'Ann Lead', refreshUserIds: ['29:ann', '29:bob'], now: NOW, ...over };
}

export const VIEWERS = {
  shared: null,
  triager: { name: 'Ann Lead', canTriage: true, isOwner: false },
  developer: { name: 'Dev Eloper', canTriage: false, isOwner: false },
  owner: { name: 'Olive Owner', canTriage: false, isOwner: true },
} satisfies Record<string, Viewer | null>;

export type ViewerKind = keyof typeof VIEWERS;

type Node = { [key: string]: unknown };

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every object in the card (depth first), with the key it sits under. */
export function walk(value: unknown, under = '', out: { node: Node; under: string }[] = []): { node: Node; under: string }[] {
  if (Array.isArray(value)) for (const item of value) walk(item, under, out);
  else if (isNode(value)) {
    out.push({ node: value, under });
    for (const [k, v] of Object.entries(value)) walk(v, k, out);
  }
  return out;
}

export interface Button {
  type: string;
  title: string;
  verb?: string;
  data?: unknown;
  url?: string;
  style?: string;
  associatedInputs?: string;
}

/** The buttons a person sees: the actions of the card's ActionSets, in order. */
export function buttons(card: AdaptiveCard): Button[] {
  return walk(card.body)
    .filter(({ node }) => node.type === 'ActionSet')
    .flatMap(({ node }) => (Array.isArray(node.actions) ? (node.actions as Button[]) : []));
}

/** All TextBlock and Fact text on the card, one entry each. */
export function texts(card: AdaptiveCard): string[] {
  const out: string[] = [];
  for (const { node } of walk(card.body)) {
    if (node.type === 'TextBlock' && typeof node.text === 'string') out.push(node.text);
    if (node.type === 'FactSet' && Array.isArray(node.facts)) {
      for (const f of node.facts as { title: string; value: string }[]) out.push(`${f.title}: ${f.value}`);
    }
  }
  return out;
}

/** The card's facts as a title → value map. */
export function facts(card: AdaptiveCard): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { node } of walk(card.body)) {
    if (node.type === 'FactSet' && Array.isArray(node.facts)) for (const f of node.facts as { title: string; value: string }[]) out[f.title] = f.value;
  }
  return out;
}

/** The input with this id. */
export function input(card: AdaptiveCard, id: string): Node | undefined {
  return walk(card.body).find(({ node }) => typeof node.type === 'string' && node.type.startsWith('Input.') && node.id === id)?.node;
}

/** The TextBlock whose text contains `part`. */
export function textBlock(card: AdaptiveCard, part: string): Node | undefined {
  return walk(card.body).find(({ node }) => node.type === 'TextBlock' && typeof node.text === 'string' && node.text.includes(part))?.node;
}

/** Every Action.Execute on the card, the refresh's included. */
export function executeActions(card: AdaptiveCard): Node[] {
  return walk(card)
    .map(({ node }) => node)
    .filter((n) => n.type === 'Action.Execute');
}

/** Size of the card as Teams receives it (UTF-8 JSON). */
export function sizeOf(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}
