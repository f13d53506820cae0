import type { LgdMapping } from '../lgd-mapping.js';
import { SimError } from './sim-error.js';
import type { SimIncident, SimState } from './sim-state.js';

/** Status titles the action rules need; the mapping only names the finished ones. */
export interface SimStatusNames {
  new: string;
  active: string;
  resolved: string;
  closed: string;
}

export type ActionKind = 'addNote' | 'endUserUpdate' | 'addAssignment' | 'resolve';

export interface ProcessContext {
  mapping: LgdMapping;
  state: SimState;
  statuses: SimStatusNames;
}

/** The status names implied by a mapping: resolved = first finished status, closed = last. */
export function defaultStatusNames(mapping: LgdMapping): SimStatusNames {
  const done = mapping.resolvedStatuses;
  return { new: 'New', active: 'Active', resolved: done[0] ?? 'Resolved', closed: done[done.length - 1] ?? 'Closed' };
}

/** The kind of a process action named as in the mapping, or undefined when the design has no such action. */
export function actionKindOf(name: string, mapping: LgdMapping): ActionKind | undefined {
  const a = mapping.actions;
  if (name === a.addNote) return 'addNote';
  if (name === a.endUserUpdate) return 'endUserUpdate';
  if (name === a.addAssignment) return 'addAssignment';
  if (name === a.resolve) return 'resolve';
  return undefined;
}

/** The child class an action creates. */
export function childClassOf(kind: ActionKind, mapping: LgdMapping): string {
  if (kind === 'addAssignment') return mapping.classes.assignment;
  if (kind === 'resolve') return mapping.classes.resolution;
  return mapping.classes.note;
}

/** Throws a 400 SimError when the action is not available at the incident's status. */
export function checkAvailable(kind: ActionKind, actionName: string, inc: SimIncident, ctx: ProcessContext): void {
  const s = inc.status.toLowerCase();
  const finished = ctx.mapping.resolvedStatuses.some((r) => r.toLowerCase() === s);
  const closed = ctx.statuses.closed.toLowerCase() === s;
  const refused = kind === 'addNote' || kind === 'endUserUpdate' ? closed : finished;
  if (refused) {
    throw new SimError(
      400,
      `The action '${actionName}' is not available for ${ctx.mapping.classes.incident} ${inc.id} in status '${inc.status}'.`,
    );
  }
}

const TRUE_VALUES = new Set(['true', '1', 'on', 'yes']);

function field(fields: URLSearchParams, name: string): string {
  return (fields.get(name) ?? '').trim();
}

/** The attributes of a fresh child of this kind, as the two-step form's template shows them. */
export function childTemplateAttributes(kind: ActionKind, incidentKey: string, mapping: LgdMapping): Record<string, string> {
  const p = mapping.note.parent;
  if (kind === 'addAssignment') {
    const a = mapping.assignment;
    return { [p]: incidentKey, [a.group]: '', [a.user]: '', [a.description]: '' };
  }
  if (kind === 'resolve') {
    const r = mapping.resolution;
    return { [p]: incidentKey, [r.category]: '', [r.description]: '' };
  }
  const n = mapping.note;
  return { [p]: incidentKey, [n.title]: '', [n.text]: '', [n.notifyRaiseUser]: kind === 'endUserUpdate' ? 'True' : 'False' };
}

/**
 * Performs a process action on an incident with the given form fields, enforcing the status
 * rules and reference checks. Returns the class and key of the child it created.
 */
export function performAction(
  ctx: ProcessContext,
  kind: ActionKind,
  actionName: string,
  incidentKey: string,
  fields: URLSearchParams,
  by: string,
  childKey?: string,
): { childClass: string; childKey: string } {
  const { state, mapping } = ctx;
  const inc = state.requireIncident(incidentKey);
  checkAvailable(kind, actionName, inc, ctx);
  const childClass = childClassOf(kind, mapping);
  const keyOpt = childKey === undefined ? {} : { key: childKey };

  if (kind === 'addNote' || kind === 'endUserUpdate') {
    const n = mapping.note;
    const text = field(fields, n.text);
    if (text === '') throw new SimError(400, `The field '${n.text}' is mandatory for action '${actionName}'.`);
    const notify = kind === 'endUserUpdate' || TRUE_VALUES.has(field(fields, n.notifyRaiseUser).toLowerCase());
    const note = state.addNote(inc.key, { ...keyOpt, title: field(fields, n.title), text, notifyRaiseUser: notify, by });
    // The incident's LastUpdate moves only with SimState.noteBumpsLastUpdate (undocumented in LGD).
    return { childClass, childKey: note.key };
  }

  if (kind === 'addAssignment') {
    const a = mapping.assignment;
    const groupKey = field(fields, a.group);
    if (groupKey === '') throw new SimError(400, `The field '${a.group}' is mandatory for action '${actionName}'.`);
    const group = state.group(groupKey);
    if (!group) throw new SimError(400, `The ${mapping.classes.supportGroup} '${groupKey}' does not exist.`);
    const userKey = field(fields, a.user);
    const user = userKey === '' ? undefined : state.analyst(userKey);
    if (userKey !== '' && !user) throw new SimError(400, `The ${mapping.classes.analyst} '${userKey}' does not exist.`);
    const asg = state.assign(inc.key, {
      ...keyOpt,
      groupKey: group.guid,
      userKey: user?.guid ?? null,
      description: field(fields, a.description),
      by,
    });
    if (user && inc.status.toLowerCase() === ctx.statuses.new.toLowerCase()) inc.status = ctx.statuses.active;
    return { childClass, childKey: asg.key };
  }

  const r = mapping.resolution;
  const categoryKey = field(fields, r.category);
  const category = categoryKey === '' ? undefined : state.resolutionCategory(categoryKey);
  if (categoryKey !== '' && !category) {
    throw new SimError(400, `The ${mapping.classes.resolutionCategory} '${categoryKey}' does not exist.`);
  }
  const res = state.resolve(inc.key, {
    ...keyOpt,
    categoryKey: category?.guid ?? null,
    description: field(fields, r.description),
    status: ctx.statuses.resolved,
    by,
  });
  return { childClass, childKey: res.key };
}
