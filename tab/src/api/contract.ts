/**
 * The tab's REST API, as types: every request and response of `/api/*` that the tab uses
 * (docs/tab-api.md says what each route does, who may call it and how it fails). Dependency-free
 * and DOM-free on purpose, so the server (`bot/`) imports the same file and the two cannot drift.
 * Dates are ISO strings: `IsoDate` a calendar date in the team's time zone, `IsoDateTime` an instant.
 */

/** A calendar date in the team's time zone, `YYYY-MM-DD`. */
export type IsoDate = string;
/** An instant, ISO 8601 with offset (`2026-12-02T09:30:00.000Z`). */
export type IsoDateTime = string;

/** The header that names the demo person in open mode (ignored in checked mode). */
export const DEMO_PERSON_HEADER = 'X-Demo-Person';

/** Where every route lives. */
export const API_BASE = '/api';

// ---------------------------------------------------------------- errors

/** Stable error codes; the HTTP status each goes with is in `ERROR_STATUS`. */
export const ERROR_CODES = [
  'Unauthorized',
  'ChooseDemoPerson',
  'UnknownPerson',
  'NotMapped',
  'NotAllowed',
  'BadQuery',
  'BadBody',
  'TicketNotFound',
  'NotFound',
  'TicketMovedOn',
  'AlreadyOwned',
  'StaleVersion',
  'Refused',
  'StoreUnavailable',
  'Starting',
  'Busy',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The status of each error code. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  Unauthorized: 401,
  ChooseDemoPerson: 401,
  UnknownPerson: 403,
  NotMapped: 403,
  NotAllowed: 403,
  BadQuery: 400,
  BadBody: 400,
  TicketNotFound: 404,
  NotFound: 404,
  TicketMovedOn: 409,
  AlreadyOwned: 409,
  StaleVersion: 409,
  Refused: 409,
  StoreUnavailable: 503,
  Starting: 503,
  Busy: 503,
};

/** Every 4xx/5xx body. `message` is a sentence for the person; `field` names the bad input; `row` is the ticket as it is now (409 on a ticket action). */
export interface ApiError {
  code: ErrorCode;
  message: string;
  /** The query parameter or body field at fault (400), dotted for nested fields (`pattern.mon.lead`). */
  field?: string;
  /** On 409 from a ticket action: the ticket as it is now, to replace the stale row. */
  row?: QueueRow;
}

// ---------------------------------------------------------------- me

/** `open`: no identity configured, loopback only, no token checks (demo people); `checked`: every request carries a Teams SSO token. */
export type ServerMode = 'open' | 'checked';

/** An LGD analyst a person acts as. */
export interface AnalystRef {
  /** LGD analyst key. */
  key: string;
  /** LGD login name. */
  name: string;
  /** Display name in LGD. */
  title: string;
}

/** A person of the team as the tab shows them. */
export interface PersonRef {
  name: string;
  /** E-mail / UPN, lower case; null when unknown. */
  email: string | null;
}

/** The person making the request, as the server sees them (never as the client claims). */
export interface Me extends PersonRef {
  /** Entra object id (checked mode) or `demo:<email>` (open mode). */
  id: string;
  /** The LGD analyst this person acts as; null while unmapped (then writes to LGD answer 403 NotMapped). */
  analyst: AnalystRef | null;
  /** A lead (lead developer / scrum master): triages any day, edits settings. */
  isLead: boolean;
  /** Today's rota'd Operations Lead. */
  isRotaLeadToday: boolean;
  /** May triage now (a lead, or today's Operations Lead): Approve, Project, Reassign, edit the rota. */
  canTriage: boolean;
}

/** One person to act as in open mode. */
export interface DemoPerson extends PersonRef {
  email: string;
  /** What they are, for the picker: e.g. ["lead"], ["Operations Lead today"], ["developer"]. */
  roles: string[];
  /** Their LGD analyst's display name, or null when unmapped. */
  analyst: string | null;
}

/** The team-wide facts the tab needs. */
export interface TeamFacts {
  /** IANA time zone of working days, the rota and dates (TEAM_TIME_ZONE). */
  timeZone: string;
  /** Today in that zone, and the next working day (weekends, bank holidays and team days off skipped). */
  today: IsoDate;
  nextWorkingDay: IsoDate;
  /** The team's LGD support groups (LGD_GROUPS). */
  groups: string[];
}

/** The seed's guidelines, as the server applies them. */
export interface Guidelines {
  /** At most this many owned tickets per person (3). */
  maxOwnedTickets: number;
  /** Work longer than this many working days is raised with the Operations Lead (3). */
  longWorkDays: number;
  /** How many days of resolved tickets the queue shows by default. */
  recentResolvedDays: number;
}

/** How the tab learns of changes. */
export interface LiveSettings {
  /** Whether `GET /api/events` is offered. */
  events: boolean;
  /** Seconds between polls of `GET /api/queue` (with If-None-Match) when events are unavailable. */
  pollSeconds: number;
}

/** `GET /api/me`. */
export interface MeResponse {
  mode: ServerMode;
  /** Who is asking; null only in open mode before a demo person is chosen. */
  me: Me | null;
  /** When `me.analyst` is null: how to get mapped (a sentence). */
  mappingHint: string | null;
  /** Open mode only: the people to choose from; null in checked mode. */
  demoPeople: DemoPerson[] | null;
  team: TeamFacts;
  guidelines: Guidelines;
  /** Link template to a ticket in LGD's own UI, with `{key}` and `{id}` (LGD_TICKET_URL). */
  lgdTicketLink: string;
  live: LiveSettings;
  serverTime: IsoDateTime;
}

// ---------------------------------------------------------------- queue

/** Process states the queue shows (tickets reassigned away from the team are not shown). */
export const QUEUE_STATES = ['needs_triage', 'approved_unassigned', 'owned', 'project', 'resolved'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

/** Who owns a ticket as the team sees it. */
export interface OwnerRef {
  /** LGD analyst key. */
  key: string;
  name: string;
  /** The owner's e-mail when the app can map the analyst to a person; null when assigned in LGD to someone it cannot map. */
  email: string | null;
}

/** A triage decision on a ticket. */
export interface DecisionView {
  kind: 'approved' | 'project';
  by: string | null;
  at: IsoDateTime;
  source: 'lgd' | 'teams';
}

/** What the queue warns about on a row; every field is always present. */
export interface RowWarnings {
  /** Owned, and the user has had no end-user update today (team's date). */
  noUserUpdateToday: boolean;
  /** Owned for more than `longWorkDays` working days (counted from when the current owner took it); `agreed` when the Operations Lead agreed to the longer work. */
  ownedTooLong: { workingDays: number; agreed: boolean } | null;
  /** Owned by someone who is not on the next working day's support list (only when that day has a list). */
  ownerOffTomorrow: { nextWorkingDay: IsoDate } | null;
  /** Writes accepted in Teams or the tab that LGD has not confirmed yet. */
  queuedForLgd: number;
  /** The last thing LGD refused on this ticket in the past day, in LGD's own words; null when none. */
  lgdRefused: string | null;
}

/** One ticket in the queue. */
export interface QueueRow {
  /** LGD record key (GUID): the `{key}` of the action routes. */
  key: string;
  /** LGD's ticket number. */
  number: number;
  /** Link to the ticket in LGD's UI. */
  link: string;
  title: string;
  raisedBy: string | null;
  raisedAt: IsoDateTime;
  /** Whole working days since it was raised (0 = raised today), in the team's calendar. */
  ageWorkingDays: number;
  state: QueueState;
  /** LGD's own status text. */
  status: string;
  priority: string | null;
  owner: OwnerRef | null;
  /** Waiting for triage although LGD has a person on it (assigned before it reached the group): who. */
  assignedInLgd: string | null;
  decision: DecisionView | null;
  /** When the current owner took it, and for how many whole working days they have had it; null when not owned. */
  ownedSince: IsoDateTime | null;
  ownedWorkingDays: number | null;
  /** When the raise user last got an end-user update (from LGD or the app); null when never. */
  userLastHeard: IsoDateTime | null;
  /** When it was resolved (resolved and project rows); null otherwise. */
  resolvedAt: IsoDateTime | null;
  warnings: RowWarnings;
  /** The ticket's store version: send it back as `v` with an action. */
  version: number;
}

/** LGD as the sync worker last found it. */
export interface LgdStatus {
  state: 'ok' | 'unreachable' | 'refusing';
  /** Since when it is not ok; null when ok. */
  since: IsoDateTime | null;
  /** LGD's words or the failure, for people; null when ok. */
  message: string | null;
}

/** The first sync's progress while it runs. */
export interface FirstSync {
  done: number;
  of: number | null;
  startedAt: IsoDateTime | null;
}

/** `GET /api/queue?resolvedDays=7`. */
export interface QueueResponse {
  /** Same as the `ETag` header (without quotes): changes whenever any row changes. */
  etag: string;
  generatedAt: IsoDateTime;
  /** False until the first sync with LGD has completed: the rows are then partial. */
  complete: boolean;
  firstSync: FirstSync | null;
  lgd: LgdStatus;
  resolvedDays: number;
  /**
   * The open tickets of the team (needs triage, approved, owned), project decisions and resolved
   * tickets of the last `resolvedDays` days, in display order: by state in QUEUE_STATES order;
   * needs triage and approved oldest raised first; owned by owner name, then oldest taken first;
   * project and resolved newest first.
   */
  rows: QueueRow[];
  /** True when there were more rows than the server sends (`limit`); the newest resolved are kept last to go. */
  truncated: boolean;
}

// ---------------------------------------------------------------- actions

/** Every action body carries the version of the ticket the view showed. */
export interface ActionBase {
  v: number;
}
export type ApproveBody = ActionBase;
export type TakeBody = ActionBase;
/** `target` is a value from `GET /api/targets`: `group:<LGD group key>` or `user:<LGD analyst key>`. */
export interface ReassignBody extends ActionBase {
  target: string;
  reason: string;
}
export interface ProjectBody extends ActionBase {
  /** The message LGD sends the user (≤ 2000 characters). */
  message: string;
  /** A known area (from `GET /api/areas`), or null / "" for none. */
  area: string | null;
  /** Another area, named by hand (not with `area`). */
  otherArea?: string | null;
  /** Anyone else to tell, e-mails. */
  contacts?: string[];
  /** The backlog item's title (≤ 200 characters). */
  backlogTitle: string;
}
export interface UpdateUserBody extends ActionBase {
  /** What the user reads (≤ 2000 characters). */
  text: string;
}

/** The action verbs, as path segments: `POST /api/tickets/{key}/{verb}`. */
export const ACTION_VERBS = ['approve', 'take', 'reassign', 'project', 'update-user'] as const;
export type ActionVerb = (typeof ACTION_VERBS)[number];

/** The body of each verb. */
export interface ActionBodies {
  approve: ApproveBody;
  take: TakeBody;
  reassign: ReassignBody;
  project: ProjectBody;
  'update-user': UpdateUserBody;
}

/** A sentence for the person after an action or a settings change. */
export interface Notice {
  kind: 'info' | 'warning';
  text: string;
}

/** 200 from every ticket action: the row as it is now (with the write queued for LGD) and what to tell the person. */
export interface ActionResponse {
  /** Null when the ticket has left the team's queue (reassigned to another group): drop its row. */
  row: QueueRow | null;
  notice: Notice;
}

/** `GET /api/tickets/{key}/project-defaults`: what the Project dialog starts with. */
export interface ProjectDefaults {
  message: string;
  backlogTitle: string;
  areas: Area[];
}

// ---------------------------------------------------------------- look-ups

/** One Reassign target. */
export interface Target {
  /** `group:<key>` or `user:<key>`: send it as ReassignBody.target. */
  value: string;
  kind: 'group' | 'user';
  /** Group title, or analyst display name. */
  title: string;
  email: string | null;
}

/** `GET /api/targets?q=&kind=&top=`. */
export interface TargetsResponse {
  results: Target[];
}

/** An area of the business and who picks up its project work. */
export interface Area {
  area: string;
  /** E-mails, lower case. */
  contacts: string[];
}

/** `GET /api/areas` and `GET /api/settings/areas`. */
export interface AreasResponse {
  areas: Area[];
}

// ---------------------------------------------------------------- live updates

/** Server-sent event names on `GET /api/events`. */
export type LiveEventName = 'hello' | 'ticket' | 'rota' | 'settings' | 'lgd';

/** `event: hello`: sent first on every connection. */
export interface HelloEvent {
  serverTime: IsoDateTime;
  /** The queue's etag now: a client whose copy has another etag refetches. */
  queueEtag: string;
}
/** `event: ticket`: a ticket changed (any field the queue shows). */
export interface TicketEvent {
  key: string;
  version: number;
  state: QueueState | 'reassigned';
}
/** `event: rota`: rota days from..to changed (or team days off). */
export interface RotaEvent {
  from: IsoDate;
  to: IsoDate;
}
/** `event: settings`: a settings list changed. */
export interface SettingsEvent {
  what: 'areas' | 'leads' | 'mappings' | 'days-off';
}
/** `event: lgd`: LGD's reachability changed. */
export type LgdEvent = LgdStatus;

/** The data of each event. */
export interface LiveEvents {
  hello: HelloEvent;
  ticket: TicketEvent;
  rota: RotaEvent;
  settings: SettingsEvent;
  lgd: LgdEvent;
}

// ---------------------------------------------------------------- rota

/** Why a day is not a working day. */
export type DayOff = { kind: 'weekend' } | { kind: 'bank_holiday'; name: string } | { kind: 'team_day_off'; name: string };

/** What is missing on a working day: no Operations Lead; a support list that was never set. */
export type RotaGap = 'noLead' | 'supportNotSet';

/** One calendar day of the rota. */
export interface RotaDayView {
  date: IsoDate;
  /** ISO weekday: 1 Monday … 7 Sunday. */
  weekday: number;
  working: boolean;
  /** Why it is not a working day; null on working days. */
  off: DayOff | null;
  lead: PersonRef | null;
  /** The developers on support; null when the day's support list was never set (the support rota is not in use that day); [] set to nobody. */
  support: PersonRef[] | null;
  /** Only on working days. */
  gaps: RotaGap[];
  /** Who last set the day, by name as the app knows them (the tab's or the chat's person; `demo` for the demo's own rota); null if never set. */
  setBy: string | null;
  updatedAt: IsoDateTime | null;
}

/** `GET /api/rota?from=&to=`. */
export interface RotaResponse {
  etag: string;
  timeZone: string;
  from: IsoDate;
  to: IsoDate;
  /** Every calendar day from..to, weekends included (marked off). */
  days: RotaDayView[];
  /** Today and the next working day, whether or not they are in from..to. */
  today: RotaDayView;
  nextWorkingDay: RotaDayView;
}

/** What one weekday of a pattern sets; a field left out is left as it is. */
export interface RotaDaySetting {
  /** E-mail of the Operations Lead; null clears it. */
  lead?: string | null;
  /** E-mails of the developers on support; [] sets nobody; null clears the list (not in use). */
  support?: string[] | null;
}

export const PATTERN_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
export type PatternDay = (typeof PATTERN_DAYS)[number];

/** `PUT /api/rota`: one day (from = to), a range, or a weekly pattern over a range; only working days are written. */
export type RotaWrite =
  | ({ from: IsoDate; to: IsoDate } & RotaDaySetting & { pattern?: undefined })
  | { from: IsoDate; to: IsoDate; pattern: Partial<Record<PatternDay, RotaDaySetting>> };

/** 200 from `PUT /api/rota`. */
export interface RotaWriteResponse {
  /** The days written, as they are now. */
  days: RotaDayView[];
  /** Days in the range left alone, and why (not a working day, or not in the pattern). */
  skipped: { date: IsoDate; reason: 'weekend' | 'bank_holiday' | 'team_day_off' | 'not_in_pattern' }[];
  notice: Notice;
}

// ---------------------------------------------------------------- people

/** One ticket a person owns. */
export interface OwnedTicket {
  key: string;
  number: number;
  title: string;
  link: string;
  ownedWorkingDays: number;
  /** The user has had an update today. */
  userUpdatedToday: boolean;
  version: number;
}

/** A developer's load. */
export interface PersonLoad extends PersonRef {
  /** The LGD analyst; null for a team member not mapped yet. */
  analyst: AnalystRef | null;
  /** False for an owner the app cannot map to a Teams user (assigned in LGD directly). */
  known: boolean;
  owned: number;
  overLimit: boolean;
  tickets: OwnedTicket[];
  /** Owned tickets whose user is owed an update today (the guidelines' `userUpdateDue`: none on a day off, nor on the day a ticket was taken). */
  updatesDueToday: number;
  /** On the next working day's support list: null when that day's list was never set. */
  onSupportNextWorkingDay: boolean | null;
  /** The next working day's Operations Lead. */
  leadNextWorkingDay: boolean;
}

/** `GET /api/people`. */
export interface PeopleResponse {
  etag: string;
  today: IsoDate;
  nextWorkingDay: IsoDate;
  maxOwnedTickets: number;
  longWorkDays: number;
  /** Team members and every owner, most owned first, then by name. */
  people: PersonLoad[];
}

// ---------------------------------------------------------------- insights

/** One week of the process's own figures. */
export interface InsightWeek {
  /** Monday of the week, team's time zone. */
  weekStart: IsoDate;
  /** Hours from arrival in the team's group to the triage decision, for decisions made that week. */
  triageHours: { count: number; median: number | null; p90: number | null };
  /** Triage decisions made that week by outcome. */
  decisions: { approved: number; project: number; reassigned: number };
  /** Of (owned ticket, working day) pairs that week, the share where the user got an update that day (0–1); null when none. */
  dailyUpdateShare: number | null;
  /** The most tickets over the limit on any working day of the week, everyone's excess added together. */
  ticketsOverLimit: number;
  /** Tickets that passed `longWorkDays` working days owned that week. */
  escalations: number;
  /** Owned tickets handed back to the team's group that week. */
  handBacks: number;
}

/** `GET /api/insights?weeks=12`. */
export interface InsightsResponse {
  weeks: InsightWeek[];
  computedAt: IsoDateTime;
  timeZone: string;
  longWorkDays: number;
  maxOwnedTickets: number;
}

// ---------------------------------------------------------------- settings

/** `GET /api/settings/leads`. */
export interface LeadsResponse {
  leads: PersonRef[];
}

/** One Teams user ↔ LGD analyst mapping. */
export interface Mapping {
  /** Entra object id of the person. */
  personId: string;
  name: string;
  email: string | null;
  analyst: AnalystRef | null;
  /** How: by e-mail, by login name, set by a lead; null while unmapped. */
  mappedBy: 'email' | 'login' | 'override' | null;
}

/** `GET /api/settings/mappings`. */
export interface MappingsResponse {
  mappings: Mapping[];
}

/** `PUT /api/settings/mappings/{email}`: the analyst's LGD login name, or an analyst key from `GET /api/targets?kind=user` (`user:<key>`). */
export interface MappingWrite {
  analyst: string;
}

/** `PUT /api/settings/areas/{area}`. */
export interface AreaWrite {
  contacts: string[];
}

/** A team day off (besides weekends and bank holidays). */
export interface TeamDayOff {
  date: IsoDate;
  name: string;
}

/** `GET /api/settings/days-off?from=&to=`. */
export interface DaysOffResponse {
  daysOff: TeamDayOff[];
  /** Bank holidays in the same range, read-only, for reference. */
  bankHolidays: TeamDayOff[];
}

/** `PUT /api/settings/days-off/{date}`. */
export interface DayOffWrite {
  name: string;
}

/** 200 from every settings PUT/DELETE: the list as it is now, and a sentence. */
export interface SettingsWriteResponse<T> {
  notice: Notice;
  value: T;
}

// ---------------------------------------------------------------- limits

/** Bounds both sides enforce (the server with 400 BadBody/BadQuery, the tab in its forms). */
export const LIMITS = {
  userMessage: 2000,
  backlogTitle: 200,
  reason: 500,
  area: 100,
  dayOffName: 100,
  contacts: 20,
  support: 20,
  targetsQuery: 200,
  targetsTop: 50,
  rotaDays: 366,
  insightsWeeks: 52,
  resolvedDays: 30,
  queueRows: 2000,
} as const;
