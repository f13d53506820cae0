import type { LgdMapping } from '../lgd-mapping.js';
import { formatLgdDate } from '../lgd-date.js';
import type {
  SimAnalyst,
  SimAssignment,
  SimGroup,
  SimIncident,
  SimNote,
  SimResolution,
  SimResolutionCategory,
  SimState,
} from './sim-state.js';

export type SimValue = string | number | boolean | Date | null;
export type AttrType = 'string' | 'number' | 'boolean' | 'date';

/** One class as list.rails and open.rails see it: its attribute paths (from the mapping) and rows. */
export interface ClassView {
  className: string;
  attributeNames(): string[];
  attrType(path: string): AttrType | undefined;
  keys(): string[];
  exists(key: string): boolean;
  nameOf(key: string): string;
  value(key: string, path: string): SimValue;
}

interface AttrDef<T> {
  type: AttrType;
  get: (o: T) => SimValue;
}

function makeView<T>(
  className: string,
  all: () => Iterable<[string, T]>,
  get: (key: string) => T | undefined,
  nameOf: (o: T) => string,
  attrs: Map<string, AttrDef<T>>,
): ClassView {
  const row = (key: string): T => {
    const o = get(key);
    if (o === undefined) throw new Error(`no ${className} with key ${key}`);
    return o;
  };
  return {
    className,
    attributeNames: () => [...attrs.keys()],
    attrType: (path) => attrs.get(path)?.type,
    keys: () => [...all()].map(([k]) => k),
    exists: (key) => get(key) !== undefined,
    nameOf: (key) => nameOf(row(key)),
    value: (key, path) => {
      const def = attrs.get(path);
      if (!def) throw new Error(`no attribute ${path} on ${className}`);
      return def.get(row(key));
    },
  };
}

/** Adds an attribute unless the mapping already named that path (first definition wins). */
function attr<T>(m: Map<string, AttrDef<T>>, path: string, type: AttrType, get: (o: T) => SimValue): void {
  if (!m.has(path)) m.set(path, { type, get });
}

/** `CurrentAssignment.User.Title` → `CurrentAssignment.User`, when the path ends in the reference title field. */
function refPrefix(path: string, titleField: string): string | null {
  const suffix = `.${titleField}`;
  return path.endsWith(suffix) ? path.slice(0, -suffix.length) : null;
}

/** Builds a view for every class of the mapping, reading the state live. */
export function buildClassViews(mapping: LgdMapping, state: SimState): Map<string, ClassView> {
  const r = mapping.reference;
  const groupOf = (k: string | null): SimGroup | undefined => (k === null ? undefined : state.group(k));
  const analystOf = (k: string | null): SimAnalyst | undefined => (k === null ? undefined : state.analyst(k));
  const incidentOf = (k: string): SimIncident | undefined => state.incident(k);

  const addGroupRef = <T>(m: Map<string, AttrDef<T>>, prefix: string, key: (o: T) => string | null, bare: boolean): void => {
    if (bare) attr(m, prefix, 'string', (o) => key(o));
    attr(m, `${prefix}.${r.title}`, 'string', (o) => groupOf(key(o))?.title ?? null);
    attr(m, `${prefix}.${r.name}`, 'string', (o) => groupOf(key(o))?.name ?? null);
    attr(m, `${prefix}.${r.guid}`, 'string', (o) => key(o));
  };
  const addAnalystRef = <T>(m: Map<string, AttrDef<T>>, prefix: string, key: (o: T) => string | null, bare: boolean): void => {
    if (bare) attr(m, prefix, 'string', (o) => key(o));
    attr(m, `${prefix}.${r.title}`, 'string', (o) => analystOf(key(o))?.title ?? null);
    attr(m, `${prefix}.${r.name}`, 'string', (o) => analystOf(key(o))?.name ?? null);
    attr(m, `${prefix}.${r.guid}`, 'string', (o) => key(o));
    attr(m, `${prefix}.${r.email}`, 'string', (o) => analystOf(key(o))?.email ?? null);
  };
  const addParentRef = <T extends { incidentKey: string }>(m: Map<string, AttrDef<T>>): void => {
    const p = mapping.note.parent;
    attr(m, p, 'string', (o) => o.incidentKey);
    attr(m, `${p}.${r.guid}`, 'string', (o) => o.incidentKey);
    attr(m, `${p}.${mapping.incident.id}`, 'number', (o) => incidentOf(o.incidentKey)?.id ?? null);
    attr(m, `${p}.${mapping.incident.title}`, 'string', (o) => incidentOf(o.incidentKey)?.title ?? null);
  };

  const mi = mapping.incident;
  const inc = new Map<string, AttrDef<SimIncident>>();
  attr(inc, mi.id, 'number', (o) => o.id);
  attr(inc, mi.title, 'string', (o) => o.title);
  attr(inc, mi.description, 'string', (o) => o.description);
  attr(inc, mi.status, 'string', (o) => o.status);
  attr(inc, mi.groupTitle, 'string', (o) => groupOf(o.groupKey)?.title ?? null);
  attr(inc, mi.groupKey, 'string', (o) => o.groupKey);
  attr(inc, mi.userTitle, 'string', (o) => analystOf(o.userKey)?.title ?? null);
  attr(inc, mi.userKey, 'string', (o) => o.userKey);
  attr(inc, mi.raiseUser, 'string', (o) => o.raiseUser);
  attr(inc, mi.creationDate, 'date', (o) => o.creationDate);
  attr(inc, mi.lastUpdate, 'date', (o) => o.lastUpdate);
  attr(inc, mi.priority, 'string', (o) => o.priority);
  attr(inc, mi.category, 'string', (o) => o.category);
  attr(inc, r.guid, 'string', (o) => o.key);
  const groupPrefix = refPrefix(mi.groupTitle, r.title);
  if (groupPrefix) addGroupRef(inc, groupPrefix, (o) => o.groupKey, false);
  const userPrefix = refPrefix(mi.userTitle, r.title);
  if (userPrefix) addAnalystRef(inc, userPrefix, (o) => o.userKey, false);

  const mn = mapping.note;
  const note = new Map<string, AttrDef<SimNote>>();
  addParentRef(note);
  attr(note, mn.title, 'string', (o) => o.title);
  attr(note, mn.text, 'string', (o) => o.text);
  attr(note, mn.creationDate, 'date', (o) => o.creationDate);
  attr(note, mn.creationUser, 'string', (o) => o.creationUser);
  attr(note, mn.notifyRaiseUser, 'boolean', (o) => o.notifyRaiseUser);
  attr(note, r.guid, 'string', (o) => o.key);

  const ma = mapping.assignment;
  const asg = new Map<string, AttrDef<SimAssignment>>();
  addParentRef(asg);
  addGroupRef(asg, ma.group, (o) => o.groupKey, true);
  addAnalystRef(asg, ma.user, (o) => o.userKey, true);
  attr(asg, ma.description, 'string', (o) => o.description);
  attr(asg, mn.creationDate, 'date', (o) => o.creationDate);
  attr(asg, mn.creationUser, 'string', (o) => o.creationUser);
  attr(asg, r.guid, 'string', (o) => o.key);

  const mr = mapping.resolution;
  const res = new Map<string, AttrDef<SimResolution>>();
  addParentRef(res);
  attr(res, mr.category, 'string', (o) => o.categoryKey);
  attr(res, `${mr.category}.${r.title}`, 'string', (o) =>
    o.categoryKey === null ? null : (state.resolutionCategory(o.categoryKey)?.title ?? null),
  );
  attr(res, `${mr.category}.${r.guid}`, 'string', (o) => o.categoryKey);
  attr(res, mr.description, 'string', (o) => o.description);
  attr(res, mn.creationDate, 'date', (o) => o.creationDate);
  attr(res, mn.creationUser, 'string', (o) => o.creationUser);
  attr(res, r.guid, 'string', (o) => o.key);

  const grp = new Map<string, AttrDef<SimGroup>>();
  attr(grp, r.title, 'string', (o) => o.title);
  attr(grp, r.name, 'string', (o) => o.name);
  attr(grp, r.guid, 'string', (o) => o.guid);

  const ana = new Map<string, AttrDef<SimAnalyst>>();
  attr(ana, r.title, 'string', (o) => o.title);
  attr(ana, r.name, 'string', (o) => o.name);
  attr(ana, r.guid, 'string', (o) => o.guid);
  attr(ana, r.email, 'string', (o) => o.email);

  const cat = new Map<string, AttrDef<SimResolutionCategory>>();
  attr(cat, r.title, 'string', (o) => o.title);
  attr(cat, r.name, 'string', (o) => o.name);
  attr(cat, r.guid, 'string', (o) => o.guid);

  const c = mapping.classes;
  const views: ClassView[] = [
    makeView(c.incident, () => state.incidents, (k) => state.incident(k), (o) => o.title, inc),
    makeView(c.note, () => state.notes, (k) => state.notes.get(k.toLowerCase()), (o) => o.title, note),
    makeView(
      c.assignment,
      () => state.assignments,
      (k) => state.assignments.get(k.toLowerCase()),
      (o) => groupOf(o.groupKey)?.title ?? analystOf(o.userKey)?.title ?? '',
      asg,
    ),
    makeView(
      c.resolution,
      () => state.resolutions,
      (k) => state.resolutions.get(k.toLowerCase()),
      (o) => (o.categoryKey === null ? '' : (state.resolutionCategory(o.categoryKey)?.title ?? '')),
      res,
    ),
    makeView(c.supportGroup, () => state.groups, (k) => state.group(k), (o) => o.title, grp),
    makeView(c.analyst, () => state.analysts, (k) => state.analyst(k), (o) => o.title, ana),
    makeView(c.resolutionCategory, () => state.resolutionCategories, (k) => state.resolutionCategory(k), (o) => o.title, cat),
  ];
  return new Map(views.map((v) => [v.className, v]));
}

/** Renders a value as Web Access does: always a string, "True"/"False", "" for null, dates in the mapping's format and zone. */
export function renderValue(v: SimValue, mapping: LgdMapping): string {
  if (v === null) return '';
  if (v instanceof Date) return formatLgdDate(v, mapping.dateFormat, mapping.timeZone);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

/** The `{className, value, name, attributes}` shape of one object. */
export interface RenderedObject {
  className: string;
  value: string;
  name: string;
  attributes: Record<string, string>;
}

/** Renders one object with the given columns (path and output label). */
export function renderObject(
  view: ClassView,
  key: string,
  columns: { path: string; label: string }[],
  mapping: LgdMapping,
): RenderedObject {
  const attributes: Record<string, string> = {};
  for (const col of columns) attributes[col.label] = renderValue(view.value(key, col.path), mapping);
  return { className: view.className, value: key, name: view.nameOf(key), attributes };
}

/** Renders one object with every attribute its class knows. */
export function renderFullObject(view: ClassView, key: string, mapping: LgdMapping): RenderedObject {
  return renderObject(
    view,
    key,
    view.attributeNames().map((p) => ({ path: p, label: p })),
    mapping,
  );
}
