import type { TicketRules } from '../domain/ticket.js';
import type { Store } from './doc-collection.js';
import { AreaRepository } from './area-repository.js';
import { AuditLog } from './audit-log.js';
import { BacklogItemRepository } from './backlog-item-repository.js';
import { BacklogRequestRepository } from './backlog-request-repository.js';
import { CardJobRepository } from './card-job-repository.js';
import { CardRepository } from './card-repository.js';
import { DaysOffRepository } from './days-off-repository.js';
import { ConversationRepository } from './conversation-repository.js';
import { DutyPassRepository } from './duty-pass-repository.js';
import { EventCursorRepository } from './event-cursor-repository.js';
import { EventLog } from './event-log.js';
import { JournalDrain } from './journal-drain.js';
import { InsightsRepository } from './insights-repository.js';
import { LeadRepository } from './lead-repository.js';
import { Lease } from './lease.js';
import { NoteAuthorSource, type NoteAuthorSourceOptions } from './note-author-source.js';
import { NoticeRepository } from './notice-repository.js';
import { PeopleRepository } from './people-repository.js';
import { ReferenceRepository } from './reference-repository.js';
import { RotaRepository } from './rota-repository.js';
import { StatusRepository } from './status-repository.js';
import { SyncStateRepository } from './sync-state-repository.js';
import { TicketRepository } from './ticket-repository.js';

/** Every repository of the app, over one store: the only way the rest of the app reaches its data. */
export interface Repositories {
  tickets: TicketRepository;
  events: EventLog;
  eventCursors: EventCursorRepository;
  audit: AuditLog;
  reference: ReferenceRepository;
  status: StatusRepository;
  syncState: SyncStateRepository;
  noteAuthors: NoteAuthorSource;
  people: PeopleRepository;
  rota: RotaRepository;
  daysOff: DaysOffRepository;
  conversations: ConversationRepository;
  cards: CardRepository;
  leads: LeadRepository;
  areas: AreaRepository;
  notices: NoticeRepository;
  /** Card work left to the worker (opening a discussion in a card's thread). */
  cardJobs: CardJobRepository;
  /** Moves what tickets' journals hold to the events, the audit trail and the queues (a worker job). */
  journal: JournalDrain;
  backlogRequests: BacklogRequestRepository;
  backlogItems: BacklogItemRepository;
  /** The process's own figures per week, from the event log (the tab's Insights). */
  insights: InsightsRepository;
  /** The daily duty passes done (exactly once each). */
  dutyPasses: DutyPassRepository;
  /** The lease `name` as `holder` holds it, for `ttlMs` at a time. */
  lease(name: string, holder: string, ttlMs: number): Lease;
}

/** What the repositories need beyond the store. */
export interface RepositoryOptions {
  /** How a ticket's process state is derived (groups, decision words, resolved statuses). */
  rules: TicketRules;
  /** Who may have written a note: the service account and the leads. */
  noteAuthors: NoteAuthorSourceOptions;
  clock?: () => Date;
}

/** Builds every repository over `store` and creates the indexes their queries use. */
export async function openRepositories(store: Store, o: RepositoryOptions): Promise<Repositories> {
  const clock = o.clock ?? (() => new Date());
  const tickets = new TicketRepository(store, o.rules, clock);
  const events = new EventLog(store);
  const audit = new AuditLog(store, clock, (ticketKey) => tickets.journaledAudit(ticketKey));
  const notices = new NoticeRepository(store, clock);
  const cardJobs = new CardJobRepository(store, clock);
  const backlogRequests = new BacklogRequestRepository(store);
  const repos: Repositories = {
    tickets,
    events,
    eventCursors: new EventCursorRepository(store),
    audit,
    reference: new ReferenceRepository(store),
    status: new StatusRepository(store, clock),
    syncState: new SyncStateRepository(store),
    noteAuthors: new NoteAuthorSource(store, o.noteAuthors),
    people: new PeopleRepository(store, clock),
    rota: new RotaRepository(store, clock),
    daysOff: new DaysOffRepository(store, clock),
    conversations: new ConversationRepository(store, clock),
    cards: new CardRepository(store),
    leads: new LeadRepository(store, clock),
    areas: new AreaRepository(store, clock),
    notices,
    cardJobs,
    journal: new JournalDrain({ tickets, events, audit, notices, backlogRequests, cardJobs }),
    backlogRequests,
    backlogItems: new BacklogItemRepository(store),
    insights: new InsightsRepository(store),
    dutyPasses: new DutyPassRepository(store, clock),
    lease: (name, holder, ttlMs) => new Lease(store, name, holder, ttlMs, clock),
  };
  const { reference, people, conversations, cards, backlogItems, dutyPasses } = repos;
  await Promise.all([tickets, events, audit, reference, people, conversations, cards, notices, cardJobs, backlogRequests, backlogItems, dutyPasses].map((r) => r.init()));
  return repos;
}
