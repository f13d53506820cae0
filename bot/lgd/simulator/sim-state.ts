import { createHash } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import type { ReplayEvent } from '../replay/replay-event.js';
import { SimError } from './sim-error.js';

export interface SimGroup {
  guid: string;
  title: string;
  name: string;
}

export interface SimAnalyst {
  guid: string;
  name: string;
  title: string;
  email: string;
}

export interface SimResolutionCategory {
  guid: string;
  title: string;
  name: string;
}

export interface SimIncident {
  key: string;
  id: number;
  title: string;
  description: string;
  status: string;
  groupKey: string | null;
  userKey: string | null;
  raiseUser: string;
  priority: string;
  category: string;
  creationDate: Date;
  lastUpdate: Date;
}

export interface SimNote {
  key: string;
  incidentKey: string;
  title: string;
  text: string;
  creationDate: Date;
  creationUser: string;
  notifyRaiseUser: boolean;
}

export interface SimAssignment {
  key: string;
  incidentKey: string;
  groupKey: string | null;
  userKey: string | null;
  description: string;
  creationDate: Date;
  creationUser: string;
}

export interface SimResolution {
  key: string;
  incidentKey: string;
  categoryKey: string | null;
  description: string;
  creationDate: Date;
  creationUser: string;
}

export interface SimStateOptions {
  /** Clock for dates of writes; default `() => new Date()`. */
  now?: () => Date;
  /** Whether adding a note moves the incident's LastUpdate (undocumented in LGD); default false. */
  noteBumpsLastUpdate?: boolean;
}

export interface RaiseIncidentInput {
  /** Ticket number; default the highest so far + 1. */
  id?: number;
  key?: string;
  title: string;
  description?: string;
  status?: string;
  groupKey?: string | null;
  userKey?: string | null;
  raiseUser?: string;
  priority?: string;
  category?: string;
  at?: Date;
}

export interface AddNoteInput {
  key?: string;
  title?: string;
  text: string;
  notifyRaiseUser?: boolean;
  /** Creation user's display title. */
  by?: string;
  at?: Date;
}

export interface AssignInput {
  key?: string;
  groupKey: string | null;
  userKey: string | null;
  description?: string;
  by?: string;
  at?: Date;
}

export interface ResolveInput {
  key?: string;
  categoryKey: string | null;
  description?: string;
  status: string;
  by?: string;
  at?: Date;
}

/** A SimState as plain data: each list's records with dates as ISO strings. */
export interface SimSnapshot {
  groups: Record<string, unknown>[];
  analysts: Record<string, unknown>[];
  resolutionCategories: Record<string, unknown>[];
  incidents: Record<string, unknown>[];
  notes: Record<string, unknown>[];
  assignments: Record<string, unknown>[];
  resolutions: Record<string, unknown>[];
}

const lower = (s: string): string => s.toLowerCase();

/** The simulator's in-memory LGD data, with plain methods for tests and the replay to seed and inspect it. */
export class SimState {
  readonly groups = new Map<string, SimGroup>();
  readonly analysts = new Map<string, SimAnalyst>();
  readonly resolutionCategories = new Map<string, SimResolutionCategory>();
  readonly incidents = new Map<string, SimIncident>();
  readonly notes = new Map<string, SimNote>();
  readonly assignments = new Map<string, SimAssignment>();
  readonly resolutions = new Map<string, SimResolution>();
  private readonly incidentKeyById = new Map<number, string>();
  /** Highest ticket number so far (the next default Id is one more). */
  private maxId = 0;
  private readonly now: () => Date;
  noteBumpsLastUpdate: boolean;
  /** Bumped by every change, so that a persister can tell whether there is anything to write. */
  private version = 0;

  constructor(opts: SimStateOptions = {}) {
    this.now = opts.now ?? (() => new Date());
    this.noteBumpsLastUpdate = opts.noteBumpsLastUpdate ?? false;
  }

  /** Adds a support group, or returns the one with this title. */
  addGroup(title: string, opts: { name?: string; guid?: string } = {}): SimGroup {
    const existing = this.groupByTitle(title);
    if (existing) return existing;
    const g: SimGroup = { guid: lower(opts.guid ?? randomUUID()), title, name: opts.name ?? title };
    this.version++;
    this.groups.set(g.guid, g);
    return g;
  }

  /** Adds an analyst, or returns the one with this login name. */
  addAnalyst(a: { name: string; title?: string; email?: string; guid?: string }): SimAnalyst {
    const existing = this.analystByName(a.name);
    if (existing) return existing;
    const created: SimAnalyst = {
      guid: lower(a.guid ?? randomUUID()),
      name: a.name,
      title: a.title ?? a.name,
      email: a.email ?? `${a.name}@example.invalid`,
    };
    this.version++;
    this.analysts.set(created.guid, created);
    return created;
  }

  /** Adds a resolution category, or returns the one with this title. */
  addResolutionCategory(title: string, opts: { guid?: string } = {}): SimResolutionCategory {
    const existing = [...this.resolutionCategories.values()].find((c) => lower(c.title) === lower(title));
    if (existing) return existing;
    const c: SimResolutionCategory = { guid: lower(opts.guid ?? randomUUID()), title, name: title };
    this.version++;
    this.resolutionCategories.set(c.guid, c);
    return c;
  }

  /** Creates an incident; its LastUpdate and CreationDate are `at` (default now). */
  raiseIncident(input: RaiseIncidentInput): SimIncident {
    const id = input.id ?? this.maxId + 1;
    if (this.incidentKeyById.has(id)) throw new SimError(400, `An incident with Id ${id} already exists.`);
    const at = input.at ?? this.now();
    const inc: SimIncident = {
      key: lower(input.key ?? randomUUID()),
      id,
      title: input.title,
      description: input.description ?? '',
      status: input.status ?? 'New',
      groupKey: input.groupKey ?? null,
      userKey: input.userKey ?? null,
      raiseUser: input.raiseUser ?? '',
      priority: input.priority ?? '',
      category: input.category ?? '',
      creationDate: at,
      lastUpdate: at,
    };
    this.version++;
    this.incidents.set(inc.key, inc);
    this.incidentKeyById.set(id, inc.key);
    this.maxId = Math.max(this.maxId, id);
    return inc;
  }

  /** Adds a note to an incident (no status rule: see process-actions for those). */
  addNote(incidentKey: string, input: AddNoteInput): SimNote {
    const inc = this.requireIncident(incidentKey);
    const at = input.at ?? this.now();
    const note: SimNote = {
      key: lower(input.key ?? randomUUID()),
      incidentKey: inc.key,
      title: input.title ?? '',
      text: input.text,
      creationDate: at,
      creationUser: input.by ?? '',
      notifyRaiseUser: input.notifyRaiseUser ?? false,
    };
    this.version++;
    this.notes.set(note.key, note);
    if (this.noteBumpsLastUpdate) inc.lastUpdate = at;
    return note;
  }

  /** Records an assignment and makes it the incident's current one. */
  assign(incidentKey: string, input: AssignInput): SimAssignment {
    const inc = this.requireIncident(incidentKey);
    const at = input.at ?? this.now();
    const a: SimAssignment = {
      key: lower(input.key ?? randomUUID()),
      incidentKey: inc.key,
      groupKey: input.groupKey,
      userKey: input.userKey,
      description: input.description ?? '',
      creationDate: at,
      creationUser: input.by ?? '',
    };
    this.version++;
    this.assignments.set(a.key, a);
    inc.groupKey = input.groupKey;
    inc.userKey = input.userKey;
    inc.lastUpdate = at;
    return a;
  }

  /** Records a resolution and sets the incident's status. */
  resolve(incidentKey: string, input: ResolveInput): SimResolution {
    const inc = this.requireIncident(incidentKey);
    const at = input.at ?? this.now();
    const r: SimResolution = {
      key: lower(input.key ?? randomUUID()),
      incidentKey: inc.key,
      categoryKey: input.categoryKey,
      description: input.description ?? '',
      creationDate: at,
      creationUser: input.by ?? '',
    };
    this.version++;
    this.resolutions.set(r.key, r);
    inc.status = input.status;
    inc.lastUpdate = at;
    return r;
  }

  /** Sets an incident's status. */
  setStatus(incidentKey: string, status: string, at?: Date): SimIncident {
    const inc = this.requireIncident(incidentKey);
    this.version++;
    inc.status = status;
    inc.lastUpdate = at ?? this.now();
    return inc;
  }

  /** Moves an incident's LastUpdate without a visible change. */
  touch(incidentKey: string, at?: Date): SimIncident {
    const inc = this.requireIncident(incidentKey);
    this.version++;
    inc.lastUpdate = at ?? this.now();
    return inc;
  }

  /** How many changes this state has seen (any mutation counts, including loading a snapshot). */
  get changes(): number {
    return this.version;
  }

  /** Everything this state holds, as plain data (dates as ISO strings), to be written to a file. */
  snapshot(): SimSnapshot {
    const iso = <T extends object>(o: T): Record<string, unknown> =>
      Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]));
    return {
      groups: [...this.groups.values()].map(iso),
      analysts: [...this.analysts.values()].map(iso),
      resolutionCategories: [...this.resolutionCategories.values()].map(iso),
      incidents: [...this.incidents.values()].map(iso),
      notes: [...this.notes.values()].map(iso),
      assignments: [...this.assignments.values()].map(iso),
      resolutions: [...this.resolutions.values()].map(iso),
    };
  }

  /** Replaces this state's data with a snapshot's (dates read back from ISO strings). */
  load(snap: SimSnapshot): void {
    const dated = <T>(o: Record<string, unknown>, ...fields: string[]): T => {
      const out: Record<string, unknown> = { ...o };
      for (const f of fields) out[f] = new Date(String(o[f]));
      return out as T;
    };
    const fill = <T extends object>(map: Map<string, T>, rows: readonly T[], key: (r: T) => string): void => {
      map.clear();
      for (const r of rows) map.set(key(r), r);
    };
    fill(this.groups, snap.groups as unknown as SimGroup[], (g) => g.guid);
    fill(this.analysts, snap.analysts as unknown as SimAnalyst[], (a) => a.guid);
    fill(this.resolutionCategories, snap.resolutionCategories as unknown as SimResolutionCategory[], (c) => c.guid);
    fill(this.incidents, snap.incidents.map((i) => dated<SimIncident>(i, 'creationDate', 'lastUpdate')), (i) => i.key);
    fill(this.notes, snap.notes.map((n) => dated<SimNote>(n, 'creationDate')), (n) => n.key);
    fill(this.assignments, snap.assignments.map((a) => dated<SimAssignment>(a, 'creationDate')), (a) => a.key);
    fill(this.resolutions, snap.resolutions.map((r) => dated<SimResolution>(r, 'creationDate')), (r) => r.key);
    this.incidentKeyById.clear();
    for (const inc of this.incidents.values()) this.incidentKeyById.set(inc.id, inc.key);
    this.maxId = [...this.incidents.values()].reduce((m, i) => Math.max(m, i.id), 0);
    this.version++;
  }

  /** The incident with this key (GUIDs compare case-insensitively). */
  incident(key: string): SimIncident | undefined {
    return this.incidents.get(lower(key));
  }

  /** The incident with this ticket number. */
  incidentById(id: number): SimIncident | undefined {
    const key = this.incidentKeyById.get(id);
    return key === undefined ? undefined : this.incidents.get(key);
  }

  /** The incident with this ticket number or key; throws a 404 SimError otherwise. */
  requireIncident(keyOrId: string | number): SimIncident {
    const inc = typeof keyOrId === 'number' ? this.incidentById(keyOrId) : this.incident(keyOrId);
    if (!inc) throw new SimError(404, `The incident '${keyOrId}' does not exist.`);
    return inc;
  }

  /** Incidents whose title equals this one (case-insensitive). */
  incidentsByTitle(title: string): SimIncident[] {
    return [...this.incidents.values()].filter((i) => lower(i.title) === lower(title));
  }

  group(guid: string): SimGroup | undefined {
    return this.groups.get(lower(guid));
  }

  groupByTitle(title: string): SimGroup | undefined {
    return [...this.groups.values()].find((g) => lower(g.title) === lower(title));
  }

  analyst(guid: string): SimAnalyst | undefined {
    return this.analysts.get(lower(guid));
  }

  analystByName(name: string): SimAnalyst | undefined {
    return [...this.analysts.values()].find((a) => lower(a.name) === lower(name));
  }

  analystByTitle(title: string): SimAnalyst | undefined {
    return [...this.analysts.values()].find((a) => lower(a.title) === lower(title));
  }

  resolutionCategory(guid: string): SimResolutionCategory | undefined {
    return this.resolutionCategories.get(lower(guid));
  }

  resolutionCategoryByTitle(title: string): SimResolutionCategory | undefined {
    return [...this.resolutionCategories.values()].find((c) => lower(c.title) === lower(title));
  }

  /** An incident's notes in creation order. */
  notesOf(incidentKey: string): SimNote[] {
    const k = lower(incidentKey);
    return [...this.notes.values()].filter((n) => n.incidentKey === k);
  }

  /** An incident's assignment history in order. */
  assignmentsOf(incidentKey: string): SimAssignment[] {
    const k = lower(incidentKey);
    return [...this.assignments.values()].filter((a) => a.incidentKey === k);
  }

  /** An incident's resolutions in order. */
  resolutionsOf(incidentKey: string): SimResolution[] {
    const k = lower(incidentKey);
    return [...this.resolutions.values()].filter((r) => r.incidentKey === k);
  }

  /**
   * Applies one replay event. Dates are `opts.at` when given (the player passes "now" for future
   * events so LastUpdate follows the server clock), else the event's own `at`. Unknown group titles and
   * analyst names are created on the fly; an event for an unknown ticket creates a placeholder incident.
   */
  applyReplayEvent(e: ReplayEvent, opts: { at?: Date } = {}): SimIncident {
    const at = opts.at ?? e.at;
    const by = e.by === null ? 'System' : this.analystRef(e.by).title;
    if (e.kind === 'raised') {
      const existing = this.incidentById(e.ticketId);
      if (existing) return existing;
      const inc = this.raiseIncident({
        id: e.ticketId,
        key: stableGuid(`incident:${e.ticketId}`),
        title: e.title,
        description: e.description,
        status: e.status,
        raiseUser: e.raiseUser,
        priority: e.priority,
        category: e.category,
        at,
      });
      if (e.group !== null || e.user !== null) {
        this.assign(inc.key, { groupKey: this.groupRef(e.group), userKey: this.userRef(e.user), by, at });
      }
      return inc;
    }
    const inc =
      this.incidentById(e.ticketId) ??
      this.raiseIncident({ id: e.ticketId, key: stableGuid(`incident:${e.ticketId}`), title: `Ticket ${e.ticketId}`, description: '(placeholder)', at });
    switch (e.kind) {
      case 'assigned':
        this.assign(inc.key, { groupKey: this.groupRef(e.group), userKey: this.userRef(e.user), by, at });
        break;
      case 'status':
        this.setStatus(inc.key, e.status, at);
        break;
      case 'note':
        this.addNote(inc.key, { key: stableGuid(`note:${e.ticketId}:${e.text}`), title: firstLine(e.text), text: e.text, by, at });
        break;
      case 'touched':
        this.touch(inc.key, at);
        break;
    }
    return inc;
  }

  private groupRef(title: string | null): string | null {
    return title === null ? null : (this.groupByTitle(title) ?? this.addGroup(title, { guid: stableGuid(`group:${title}`) })).guid;
  }

  private userRef(name: string | null): string | null {
    return name === null ? null : this.analystRef(name).guid;
  }

  private analystRef(name: string): SimAnalyst {
    return this.analystByName(name) ?? this.addAnalyst({ name, guid: stableGuid(`analyst:${name}`) });
  }
}

/**
 * A GUID that is the same for the same seed in every run: the replay's tickets, groups and
 * analysts keep their keys across restarts, so a store kept from an earlier demo still matches.
 */
export function stableGuid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 50 ? `${line.slice(0, 47)}...` : line;
}
