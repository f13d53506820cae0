import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { Ticket } from '../domain/ticket.js';
import type { BotEndpoint } from '../api/messages-route.js';
import type { BacklogQueue } from '../backlog/backlog-outbox.js';
import type { Repositories } from '../store/open-repositories.js';
import type { CommandService } from '../sync/command-service.js';
import type { WorkSignal } from '../sync/work-signal.js';
import { ACTION_HANDLERS } from './actions/registry.js';
import { actionCommands } from './actions/action-commands.js';
import { createBotAdapter, type BotCloudAdapter } from './bot-adapter.js';
import { botDoor } from './bot-door.js';
import { CardPoster } from './card-poster.js';
import { createChannelTokenCheck } from './channel-token-check.js';
import { CHAT_COMMANDS } from './commands/registry.js';
import type { CommandPorts } from './commands/chat-command.js';
import { BotProactiveSender } from './proactive-sender.js';
import { TeamRoles } from './roles.js';
import { seedDemoSupport, seedRota } from './rota.js';
import { addDays, todayIn } from '../domain/iso-date.js';
import { SupportBot } from './support-bot.js';
import { TeamsEventProcessor } from './teams-events.js';
import { NoticeDeliverer } from './notice-deliverer.js';
import { CardJobRunner } from './card-job-runner.js';
import { CalendarSource } from '../calendar/calendar-source.js';

export interface TeamsSide {
  adapter: BotCloudAdapter;
  bot: SupportBot;
  /** The bot as the HTTP endpoint reaches it (token check, activity shape, botbuilder). */
  endpoint: BotEndpoint;
  ports: CommandPorts;
  /** Acts on ticket events and sends what is owed to people: a worker job. */
  processor: TeamsEventProcessor;
  /** The card work actions leave to the worker (run by the processor's pass). */
  cardJobs: CardJobRunner;
}

/** How long the demo's Operations Lead is on the rota from the first start, in days. */
const DEMO_ROTA_DAYS = 90;

/**
 * Builds the Teams side over the repositories: adapter, proactive sender, roles, card poster,
 * notice deliverer, event processor and the bot; seeds the rota and the leads from the config
 * (and the demo's Operations Lead) where the store has none.
 */
export async function buildTeamsSide(o: {
  config: AppConfig;
  repos: Repositories;
  commands: CommandService;
  /** Backlog items for Project decisions. */
  backlog: BacklogQueue;
  /** Asks the worker for a pass soon. */
  signal: WorkSignal;
  link: (t: Ticket) => string;
  logger: Logger;
  /** The demo's Operations Lead (the replay's first team analyst), every day from today; null outside the demo. */
  demoLead?: string | null;
  /** The demo's team analysts by e-mail: its working days get support lists from them; empty outside the demo. */
  demoTeam?: readonly string[];
  now?: () => Date;
  /** True when the store proves this process its only user (the embedded store's lock): claims found at start are a stopped process's. */
  exclusiveStore?: boolean;
}): Promise<TeamsSide> {
  const now = o.now ?? (() => new Date());
  const log = o.logger;
  const { repos } = o;
  const timeZone = o.config.teams.timeZone;
  const adapter = createBotAdapter(o.config.bot, log);
  const roles = new TeamRoles({ rota: repos.rota, people: repos.people, leads: repos.leads, timeZone });
  const sender = new BotProactiveSender({ adapter, appId: o.config.bot.appId ?? '', conversations: repos.conversations, logger: log.child({ component: 'teams-send' }) });
  const poster = new CardPoster({
    cards: repos.cards,
    tickets: repos.tickets,
    conversations: repos.conversations,
    sender,
    roles,
    people: repos.people,
    link: o.link,
    timeZone,
    guidelines: o.config.guidelines,
    logger: log.child({ component: 'cards' }),
    audit: repos.audit,
    clock: now,
    ...(o.exclusiveStore ? { claimsOfStoppedBefore: now() } : {}),
  });
  const notices = new NoticeDeliverer({ notices: repos.notices, sender, tickets: repos.tickets, audit: repos.audit, logger: log.child({ component: 'notices' }), clock: now });

  const calendarSource = new CalendarSource({ timeZone, region: o.config.teams.holidayRegion, daysOff: repos.daysOff, clock: now });
  const fromConfig = await seedRota(repos.rota, o.config.teams.rotaSeed, 'ROTA configuration');
  if (fromConfig > 0) log.info({ days: fromConfig }, 'rota seeded from ROTA');
  if (o.demoLead) {
    const today = todayIn(timeZone, now());
    const fromDemo = await seedRota(repos.rota, [{ from: today, to: addDays(today, DEMO_ROTA_DAYS), lead: o.demoLead }], 'demo');
    if (fromDemo > 0) log.info({ days: fromDemo, leads: [o.demoLead] }, 'rota seeded for the demo: its first team analyst is the Operations Lead');
  }
  if (o.demoTeam && o.demoTeam.length > 0) {
    const today = todayIn(timeZone, now());
    const calendar = await calendarSource.current();
    const support = await seedDemoSupport(repos.rota, calendar, { from: today, to: addDays(today, DEMO_ROTA_DAYS), team: o.demoTeam, lead: o.demoLead ?? null }, 'demo');
    if (support > 0) log.info({ days: support }, "rota seeded for the demo: the team's developers are on support two a day in turn");
  }
  const seededLeads = await repos.leads.seed(o.config.teams.leads, 'LEADS configuration');
  if (seededLeads > 0) log.info({ leads: seededLeads }, 'leads seeded from LEADS');
  else if ((await repos.leads.emails()).length === 0) log.warn('no leads yet: whoever installs the app in a team becomes the first lead (or set LEADS before the first start)');

  const ports: CommandPorts = {
    tickets: repos.tickets,
    // Chat commands change no ticket; card actions get an audited version of these from the dispatcher.
    commands: actionCommands(o.commands, null),
    roles,
    people: repos.people,
    reference: repos.reference,
    audit: repos.audit,
    poster,
    sender,
    link: o.link,
    now,
    guidelines: o.config.guidelines,
    areas: repos.areas,
    backlog: o.backlog,
    projectCategory: o.config.teams.projectCategory,
    kick: () => o.signal.kick(),
    notices,
    conversations: repos.conversations,
    cards: repos.cards,
    rota: repos.rota,
    leads: repos.leads,
    timeZone,
    calendar: calendarSource,
    daysOff: repos.daysOff,
  };
  const cardJobs = new CardJobRunner({ jobs: repos.cardJobs, tickets: repos.tickets, cards: repos.cards, poster, people: repos.people, sender, logger: log.child({ component: 'card-jobs' }), clock: now });
  const processor = new TeamsEventProcessor({
    events: repos.events,
    cursors: repos.eventCursors,
    tickets: repos.tickets,
    poster,
    notices,
    cardJobs,
    audit: repos.audit,
    link: o.link,
    logger: log.child({ component: 'teams-events' }),
  });
  const bot = new SupportBot({ ports, commands: o.commands, actions: ACTION_HANDLERS, chatCommands: CHAT_COMMANDS, logger: log });
  const endpoint = botDoor({ adapter, bot, tokenCheck: createChannelTokenCheck(o.config.bot, log), logger: log });
  return { adapter, bot, endpoint, ports, processor, cardJobs };
}
