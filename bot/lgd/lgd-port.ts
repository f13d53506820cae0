import type {
  LgdAnalyst,
  LgdGroup,
  LgdIncident,
  LgdNote,
  LgdResolutionCategory,
  LgdWriteResult,
} from './lgd-types.js';

/** One condition of a list query: `<path>-<op>-<n>` with its value sent as `c<n>`. */
export interface LgdCondition {
  path: string;
  op: 'e' | 'c' | 'gt' | 'lt';
  value: string;
}

/** Filters for listing incidents; all given filters must hold. */
export interface ListIncidentsQuery {
  /** Current group titles (any of them); an empty list matches nothing. */
  groups?: readonly string[];
  /** Only incidents whose LastUpdate is strictly after this instant. */
  changedSince?: Date;
  /** Status titles (any of them); an empty list matches nothing. */
  status?: string | readonly string[];
  /** More conditions, all of which must hold. */
  extraConditions?: readonly LgdCondition[];
  /** Ticket numbers (any of them): used to re-read known tickets that left the group filter. */
  ids?: readonly number[];
}

/** One page of a listing as LGD sent it. */
export interface LgdPage<T> {
  items: T[];
  /** How many records the whole listing has, as LGD says (a hint for progress), or null when it does not say. */
  total: number | null;
}

/** Filters for listing notes. */
export interface ListNotesQuery {
  /** Notes of this incident only. */
  incidentKey?: string;
  /** Only notes created strictly after this instant. */
  createdSince?: Date;
}

/** A note the app writes; the text written names the person it acts for. */
export interface AddNoteInput {
  /** The decision or message, e.g. "Approved". */
  text: string;
  /** Note title; defaults to the first line of `text`. */
  title?: string;
  /** Display name of the person the service account acts for. */
  onBehalfOf: string;
  /** A short reference written into the text, so a write whose answer was lost can be found. */
  ref?: string;
}

/** A reassignment: to a group, a person, or both. */
export type AddAssignmentInput = {
  description: string;
  onBehalfOf: string;
  ref?: string;
} & ({ groupKey: string; userKey?: string } | { groupKey?: string; userKey: string });

/** A resolution; its description is read by the customer, so it carries no reference. */
export interface ResolveInput {
  categoryKey: string;
  description: string;
  onBehalfOf: string;
}

/** A message the raise user sees: the text and a sign-off, no reference. */
export interface EndUserUpdateInput {
  text: string;
  title?: string;
  onBehalfOf: string;
}

/** Something optional that LGD does not offer, which the app works around; /healthz names it. */
export interface LgdDegradation {
  /** Which part, e.g. `lgd.timeZoneSwitch`. */
  part: string;
  /** Stable code, e.g. `LGD_NO_TIMEZONE_SWITCH`. */
  code: string;
  /** What LGD answered and what the app does instead. */
  message: string;
  /** LGD's answer alone, e.g. `HTTP 404 (an HTML page): 404 - File or directory not found.` */
  lgdAnswer?: string;
  /** Since when. */
  since: Date;
}

/** Everything the app asks of LGD. Writes are not idempotent: callers decide about retries. */
export interface LgdPort {
  /** What the session lacks that the app works around (optional: ports that lack nothing leave it out). */
  degradations?(): LgdDegradation[];
  listIncidents(query?: ListIncidentsQuery): Promise<LgdIncident[]>;
  /** The same incidents page by page as they arrive (optional: the sync falls back to `listIncidents`). */
  listIncidentPages?(query?: ListIncidentsQuery): AsyncIterable<LgdPage<LgdIncident>>;
  openIncident(key: string): Promise<LgdIncident>;
  listNotes(query?: ListNotesQuery): Promise<LgdNote[]>;
  listSupportGroups(): Promise<LgdGroup[]>;
  listAnalysts(): Promise<LgdAnalyst[]>;
  listResolutionCategories(): Promise<LgdResolutionCategory[]>;
  addNote(incidentKey: string, input: AddNoteInput): Promise<LgdWriteResult>;
  addAssignment(incidentKey: string, input: AddAssignmentInput): Promise<LgdWriteResult>;
  resolve(incidentKey: string, input: ResolveInput): Promise<LgdWriteResult>;
  updateEndUser(incidentKey: string, input: EndUserUpdateInput): Promise<LgdWriteResult>;
}
