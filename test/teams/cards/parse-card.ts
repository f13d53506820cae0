/**
 * Runs a card through the `adaptivecards` package (the reference renderer's object model) the way
 * Teams reads it: version 1.5. Reports every parse event, every validation failure and every
 * property the package dropped on a round trip (it ignores properties it does not know without an
 * event, so the round trip is what proves it knows them).
 *
 * One documented Teams extension is handled apart: `choices.data` (dynamic typeahead, a `Data.Query`
 * on Input.ChoiceSet). Teams documents and renders it in cards of any version (its own sample is a
 * 1.2 card), but adaptivecards 3.0.6 declares it a 1.6 property, so a 1.5 parse logs "Property
 * "choices.data" is supported in version 1.6" and its validation says the ChoiceSet has no choices.
 * We strip exactly that property before the 1.5 parse, have the package parse each stripped value
 * with its own `ChoiceSetInputDataQuery` class at 1.6 (no events, a lossless round trip, a
 * `Data.Query` with a dataset), and skip the empty-choices failure only for a ChoiceSet that had one.
 */
import * as AC from 'adaptivecards';

export interface CardReport {
  /** Parse events, validation failures and dropped properties, as readable lines. */
  problems: string[];
  /** The `choices.data` values found, keyed by the ChoiceSet's id. */
  dataQueries: Record<string, unknown>;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(v: Json | undefined): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stripChoicesData(node: Json, found: Record<string, Json>): void {
  if (Array.isArray(node)) {
    for (const item of node) stripChoicesData(item, found);
    return;
  }
  if (!isObject(node)) return;
  if (node.type === 'Input.ChoiceSet' && 'choices.data' in node) {
    const query = node['choices.data'];
    if (query !== undefined) found[typeof node.id === 'string' ? node.id : '(no id)'] = query;
    delete node['choices.data'];
  }
  for (const value of Object.values(node)) stripChoicesData(value, found);
}

/** Keys present in `input` but missing from `output` (the package dropped them), walking both in step. */
function droppedKeys(input: Json | undefined, output: Json | undefined, path: string, out: string[]): void {
  if (Array.isArray(input)) {
    if (!Array.isArray(output)) {
      out.push(`${path} (array lost)`);
      return;
    }
    input.forEach((item, i) => droppedKeys(item, output[i], `${path}[${i}]`, out));
    return;
  }
  if (!isObject(input)) return;
  if (!isObject(output)) {
    out.push(`${path} (object lost)`);
    return;
  }
  for (const [key, value] of Object.entries(input)) {
    // The package leaves empty collections out when serialising: an empty array is not lost.
    if (!(key in output)) {
      if (!(Array.isArray(value) && value.length === 0)) out.push(`${path}.${key}`);
    }
    else droppedKeys(value, output[key], `${path}.${key}`, out);
  }
}

function eventsOf(ctx: AC.SerializationContext): AC.IValidationEvent[] {
  const events: AC.IValidationEvent[] = [];
  for (let i = 0; i < ctx.eventCount; i++) events.push(ctx.getEventAt(i));
  return events;
}

function checkDataQuery(id: string, query: Json): string[] {
  const problems: string[] = [];
  if (!isObject(query)) return [`choices.data of ${id} is not an object`];
  const ctx = new AC.SerializationContext(AC.Versions.v1_6);
  const parsed = new AC.ChoiceSetInputDataQuery();
  parsed.parse(query, ctx);
  for (const e of eventsOf(ctx)) problems.push(`choices.data of ${id}: ${e.message}`);
  const dropped: string[] = [];
  droppedKeys(query, parsed.toJSON(new AC.SerializationContext(AC.Versions.v1_6)), `choices.data of ${id}`, dropped);
  problems.push(...dropped.map((d) => `dropped ${d}`));
  if (parsed.type !== 'Data.Query' || !parsed.dataset) problems.push(`choices.data of ${id} is not a Data.Query with a dataset`);
  return problems;
}

/** Parses, validates and round-trips a card at version 1.5; `problems` is empty for a clean card. */
export function checkCard(card: object): CardReport {
  const json = JSON.parse(JSON.stringify(card)) as Json;
  const dataQueries: Record<string, Json> = {};
  stripChoicesData(json, dataQueries);

  const problems: string[] = [];
  for (const [id, query] of Object.entries(dataQueries)) problems.push(...checkDataQuery(id, query));

  const parsed = new AC.AdaptiveCard();
  const ctx = new AC.SerializationContext(AC.Versions.v1_5);
  parsed.parse(json, ctx);
  for (const e of eventsOf(ctx)) problems.push(`parse: ${e.message}`);

  for (const e of parsed.validateProperties().validationEvents) {
    const typeahead =
      e.event === AC.ValidationEvent.CollectionCantBeEmpty && e.source instanceof AC.ChoiceSetInput && e.source.id !== undefined && e.source.id in dataQueries;
    if (!typeahead) problems.push(`validation: ${e.message}`);
  }

  const dropped: string[] = [];
  droppedKeys(json, parsed.toJSON(new AC.SerializationContext(AC.Versions.v1_5)), 'card', dropped);
  problems.push(...dropped.map((d) => `dropped ${d}`));
  return { problems, dataQueries };
}
