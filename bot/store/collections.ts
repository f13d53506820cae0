/**
 * Every collection the app keeps, by concept: the one place a collection's name is written. Each
 * is opened by its repository in this folder (test/store/data-access-boundary.test.ts fails when
 * code outside `bot/store/` opens one, or a repository spells a name instead of using this table).
 */
export const COLLECTIONS = {
  /** The team's tickets, keyed by LGD key, with their outbox (TicketRepository). */
  tickets: 'tickets',
  /** New tickets' announcements, written just before the tickets and drained like their journals (TicketRepository). */
  ticketAnnouncements: 'ticket_announcements',
  /** The durable, ordered ticket events (EventLog) and their sequence counter. */
  events: 'events',
  counters: 'counters',
  /** How far each reader of the event log has acted (EventCursorRepository). */
  eventCursors: 'event_cursors',
  /** Every decision and attempt, append-only (AuditLog). */
  audit: 'audit',
  /** Who runs the worker now (Lease). */
  leases: 'leases',
  /** The sync's cursors and first-sync progress (SyncStateRepository). */
  syncState: 'sync_state',
  /** What is degraded, for every instance's /healthz (StatusRepository). */
  healthStatus: 'health_status',
  /** LGD's reference lists (ReferenceRepository). */
  lgdGroups: 'lgd_groups',
  lgdAnalysts: 'lgd_analysts',
  lgdCategories: 'lgd_categories',
  /** People the bot has met and their LGD analysts (PeopleRepository). */
  people: 'people',
  /** The support rota, one document per day (RotaRepository). */
  rota: 'rota',
  daysOff: 'days_off',
  /** Conversation references and team installations (ConversationRepository). */
  conversations: 'conversations',
  teams: 'teams',
  /** Cards the bot posted, to update in place (CardRepository). */
  cards: 'cards',
  /** The leads (LeadRepository) and the areas with their contacts (AreaRepository). */
  leads: 'leads',
  areas: 'areas',
  /** Messages owed to people (NoticeRepository). */
  personNotices: 'person_notices',
  /** Card work an action leaves to the worker, e.g. opening a discussion (CardJobRepository). */
  cardJobs: 'card_jobs',
  /** Backlog items waiting to be made (BacklogRequestRepository) and the built-in backlog (BacklogItemRepository). */
  backlogRequests: 'backlog_requests',
  backlog: 'backlog',
  /** The daily duty passes done, by day and kind (DutyPassRepository). */
  dutyPasses: 'duty_passes',
  /** MongoDB's health probe: `ping` proves a write there (the embedded store probes inside its own file). */
  healthProbe: 'health',
} as const;

/** A collection's name, as the table spells it. */
export type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];
