import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { Ticket } from '../domain/ticket.js';
import type { Store } from '../store/doc-collection.js';
import { AuditLog, type AuditEntry } from '../store/audit-log.js';
import type { EventLog } from '../store/event-log.js';
import { LeadRepository } from '../store/lead-repository.js';
import { NoticeRepository } from '../store/notice-repository.js';
import type { ReferenceRepository } from '../store/reference-repository.js';
import type { TicketRepository } from '../store/ticket-repository.js';
import type { CommandService } from '../sync/command-service.js';
import { ACTION_HANDLERS } from './actions/registry.js';
import { createBotAdapter, type BotCloudAdapter } from './bot-adapter.js';
import { CardPoster, type PostedCard } from './card-poster.js';
import { CHAT_COMMANDS } from './commands/registry.js';
import type { CommandPorts } from './commands/chat-command.js';
import { StoreConversations } from './conversation-store.js';
import { StorePeopleDirectory } from './people-directory.js';
import { BotProactiveSender } from './proactive-sender.js';
import { TeamRoles } from './roles.js';
import { StoreRota, seedRota } from './rota.js';
import { SupportBot } from './support-bot.js';
import { TeamsEventProcessor } from './teams-events.js';
import { NoticeDeliverer } from './notice-deliverer.js';
import { backlogNotices } from './backlog-notices.js';
import { AreaRepository } from '../store/area-repository.js';
import { BacklogQueue } from '../backlog/backlog-outbox.js';
import { BuiltinBacklog } from '../backlog/builtin-backlog.js';
import { openBacklog } from '../backlog/open-backlog.js';
import { CalendarSource } from '../calendar/calendar-source.js';
import { DaysOffRepository } from '../store/days-off-repository.js';

export interface TeamsSide {
  adapter: BotCloudAdapter;
  bot: SupportBot;
  ports: CommandPorts;
  processor: TeamsEventProcessor;
  backlog: { builtin: BuiltinBacklog; queue: BacklogQueue };
}

/** Builds the Teams side: adapter, stores of people / rota / conversations, card poster, bot. */
export async function buildTeamsSide(o: {
  config: AppConfig;
  store: Store;
  tickets: TicketRepository;
  reference: ReferenceRepository;
  events: EventLog;
  commands: CommandService;
  link: (t: Ticket) => string;
  logger: Logger;
  now?: () => Date;
  /** More rota to seed where the rota is empty (the demo's Operations Lead). */
  extraRotaSeed?: readonly { from: string; to: string; lead: string }[];
}): Promise<TeamsSide> {
  const now = o.now ?? (() => new Date());
  const log = o.logger;
  const adapter = createBotAdapter(o.config.bot, log);
  const conversations = new StoreConversations(o.store, now);
  const people = new StorePeopleDirectory(o.store, now);
  const rota = new StoreRota(o.store, now);
  const leads = new LeadRepository(o.store, now);
  const daysOff = new DaysOffRepository(o.store, now);
  const roles = new TeamRoles({ rota, people, leads, timeZone: o.config.teams.timeZone });
  const audit = new AuditLog(o.store.collection<AuditEntry>('audit'), now);
  const sender = new BotProactiveSender({ adapter, appId: o.config.bot.appId ?? '', conversations, logger: log.child({ component: 'teams-send' }) });
  const cards = o.store.collection<PostedCard>('cards');
  const poster = new CardPoster({
    cards,
    tickets: o.tickets,
    conversations,
    sender,
    roles,
    people,
    link: o.link,
    timeZone: o.config.teams.timeZone,
    logger: log.child({ component: 'cards' }),
    audit,
    clock: now,
  });
  const noticeStore = new NoticeRepository(o.store, now);
  const notices = new NoticeDeliverer({ notices: noticeStore, sender, tickets: o.tickets, audit, logger: log.child({ component: 'notices' }), clock: now });
  await Promise.all([conversations.init(), people.init(), audit.init(), poster.init(), noticeStore.init()]);
  const fromConfig = await seedRota(rota, o.config.teams.rotaSeed, 'ROTA configuration');
  if (fromConfig > 0) log.info({ days: fromConfig }, 'rota seeded from ROTA');
  const fromDemo = await seedRota(rota, o.extraRotaSeed ?? [], 'demo');
  if (fromDemo > 0) log.info({ days: fromDemo, leads: [...new Set(o.extraRotaSeed?.map((r) => r.lead))] }, 'rota seeded for the demo: its first team analyst is the Operations Lead');
  const seededLeads = await leads.seed(o.config.teams.leads, 'LEADS configuration');
  if (seededLeads > 0) log.info({ leads: seededLeads }, 'leads seeded from LEADS');
  else if ((await leads.emails()).length === 0) log.warn('no leads yet: whoever installs the app in a team becomes the first lead (or set LEADS before the first start)');

  const areas = new AreaRepository(o.store, now);
  const seededAreas = await areas.seed(o.config.backlog.areas);
  if (seededAreas > 0) log.info({ areas: seededAreas }, 'areas seeded from AREAS');
  const builtin = new BuiltinBacklog(o.store, now);
  await builtin.init();
  const backlogTold = backlogNotices({ areas, people, notices, logger: log });
  const queue = new BacklogQueue(o.store, {
    port: openBacklog(o.config.backlog, o.store, log.child({ component: 'backlog' })),
    logger: log.child({ component: 'backlog' }),
    onCreated: backlogTold.onCreated,
    onFirstFailure: backlogTold.onFirstFailure,
    clock: now,
  });
  await queue.init();

  const ports: CommandPorts = {
    tickets: o.tickets,
    commands: o.commands,
    roles,
    people,
    reference: o.reference,
    audit,
    poster,
    sender,
    link: o.link,
    now,
    guidelines: o.config.guidelines,
    areas,
    backlog: queue,
    projectCategory: o.config.teams.projectCategory,
    kick: () => o.commands.kick(),
    notices,
    conversations,
    cards,
    rota,
    leads,
    timeZone: o.config.teams.timeZone,
    calendar: new CalendarSource({ timeZone: o.config.teams.timeZone, region: o.config.teams.holidayRegion, daysOff, clock: now }),
    daysOff,
  };
  const processor = new TeamsEventProcessor({
    events: o.events,
    cursor: o.store.collection('event_cursors'),
    tickets: o.tickets,
    poster,
    notices,
    audit,
    link: o.link,
    logger: log.child({ component: 'teams-events' }),
  });
  const bot = new SupportBot({ ports, actions: ACTION_HANDLERS, commands: CHAT_COMMANDS, logger: log });
  return { adapter, bot, ports, processor, backlog: { builtin, queue } };
}
