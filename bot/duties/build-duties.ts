import type { AppConfig } from '../config.js';
import type { Ticket } from '../domain/ticket.js';
import type { Logger } from '../logger.js';
import type { Repositories } from '../store/open-repositories.js';
import type { CommandService } from '../sync/command-service.js';
import { CalendarSource } from '../calendar/calendar-source.js';
import { DutyScheduler } from './duty-scheduler.js';

/** The daily duties over the app's repositories and config (a worker job: the lease holder runs it). */
export function buildDuties(o: { config: AppConfig; repos: Repositories; commands: Pick<CommandService, 'record'>; link: (t: Ticket) => string; logger: Logger; clock?: () => Date }): DutyScheduler {
  const { config, repos } = o;
  const clock = o.clock ?? (() => new Date());
  return new DutyScheduler({
    tickets: repos.tickets,
    people: repos.people,
    rota: repos.rota,
    leads: repos.leads,
    notices: repos.notices,
    passes: repos.dutyPasses,
    events: repos.events,
    record: (key, records) => o.commands.record(key, records),
    audit: repos.audit,
    calendar: new CalendarSource({ timeZone: config.teams.timeZone, region: config.teams.holidayRegion, daysOff: repos.daysOff, clock }),
    guidelines: config.guidelines,
    times: config.duties,
    group: config.lgd.groups[0] ?? 'the team',
    link: o.link,
    logger: o.logger,
    clock,
  });
}
