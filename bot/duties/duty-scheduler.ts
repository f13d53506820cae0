import type { TeamCalendar } from '../domain/calendar.js';
import {
  byOwner,
  dutiesDue,
  dutyKey,
  handsBack,
  longWorkToRaise,
  overloaded,
  updatesOwed,
  type DutyKind,
  type DutyTimes,
  type OwnedWork,
} from '../domain/duties.js';
import { longWorkText, ownedLimitText, updateGuidelineText, type Guidelines } from '../domain/guidelines.js';
import { withWeekday } from '../domain/iso-date.js';
import { lastUserUpdate, ownedSince } from '../domain/ticket-times.js';
import type { Ticket } from '../domain/ticket.js';
import type { Logger } from '../logger.js';
import type { AuditLog } from '../store/audit-log.js';
import type { DutyPassRepository } from '../store/duty-pass-repository.js';
import type { EventLog } from '../store/event-log.js';
import type { NewNotice, NoticeMessage, NoticeRepository, NoticeRecipient } from '../store/notice-repository.js';
import type { TicketRecords } from '../store/ticket-journal.js';
import type { TicketRepository } from '../store/ticket-repository.js';
import { handBackCard } from '../teams/cards/hand-back-card.js';
import { longWorkCard } from '../teams/cards/long-work-card.js';
import { updateNudgeCard } from '../teams/cards/update-nudge-card.js';
import type { DutyTicketRow } from '../teams/cards/duty-row.js';
import { dutyRowOf } from '../teams/duty-row-of.js';
import type { LeadSource } from '../teams/roles.js';
import type { PeopleDirectory, Person, Rota } from '../teams/teams-ports.js';
import { operationsLeadOn, recipientOf, type OperationsLead } from './operations-lead.js';

/** What the scheduler reads and writes. */
export interface DutySchedulerDeps {
  tickets: Pick<TicketRepository, 'list'>;
  people: Pick<PeopleDirectory, 'byAnalystKey' | 'byEmails'>;
  rota: Pick<Rota, 'leadOn' | 'range'>;
  leads: LeadSource;
  notices: Pick<NoticeRepository, 'enqueue' | 'get'>;
  passes: Pick<DutyPassRepository, 'done' | 'markDone'>;
  events: Pick<EventLog, 'latestOf'>;
  /** Commits records about a ticket (its journal): a long-work raise's event, notice and audit in one write. */
  record: (ticketKey: string, records: TicketRecords) => Promise<boolean>;
  audit: Pick<AuditLog, 'record'>;
  calendar: { current(): Promise<TeamCalendar> };
  guidelines: Guidelines;
  times: DutyTimes;
  /** The team's LGD group, as the hand-back card names it. */
  group: string;
  link: (t: Ticket) => string;
  logger: Logger;
  clock?: () => Date;
}

/** One thing a pass sends (or, in a dry run, would send). */
export interface DutyItem {
  pass: string;
  kind: DutyKind;
  to: string;
  about: string;
  /** queued: new now; already: an earlier pass queued it; dry_run: not sent. */
  status: 'queued' | 'already' | 'dry_run';
}

/** What one run did. */
export interface DutyReport {
  day: string;
  kinds: DutyKind[];
  items: DutyItem[];
}

/** A unit of a pass: its key and the notices (and ticket records) it owes. */
interface Unit {
  key: string;
  kind: DutyKind;
  day: string;
  who: string | null;
  notices: NewNotice[];
  /** For a long-work raise: committed with its ticket, in one write with the event and the audit record. */
  ticket?: { key: string; records: TicketRecords };
  /** An audit action recorded once the unit is queued (e.g. duty:overload). */
  audit?: { action: string; ticketKey: string | null; ticketNumber: number | null; detail: string };
  /** Set on an owner's duty that goes to the Operations Lead because the owner is not in Teams: several are told in one message. */
  notInTeams?: { ownerName: string; tickets: string };
}

/** How often the worker's job looks for due passes: they are due by the minute. */
const RUN_EVERY_MS = 60_000;

type Owned = OwnedWork<Ticket>;

/**
 * The daily duties, run by the worker under its lease on the team's working days: the user-update
 * nudge, the hand-back before a day off the support rota, the cut-off report, overload and long
 * work. Each pass is keyed by its day and kind (and the person or ticket): a unit queues its
 * messages (each idempotent by id) and is then marked done (DutyPassRepository), so a restart, a
 * second instance, a repeated pass or a pass run by hand never sends a card twice, and a pass cut
 * short is finished by the next without repeating what was done.
 */
export class DutyScheduler {
  private readonly clock: () => Date;
  private lastRun = 0;

  constructor(private readonly d: DutySchedulerDeps) {
    this.clock = d.clock ?? (() => new Date());
  }

  /** The worker's job: runs the due passes at most once a minute. */
  async tick(): Promise<DutyReport | null> {
    const now = this.clock();
    if (now.getTime() - this.lastRun < RUN_EVERY_MS && now.getTime() >= this.lastRun) return null;
    this.lastRun = now.getTime();
    return this.runAt(now);
  }

  /** Runs every pass due at `now`; with `dryRun`, says who would get what and sends nothing. */
  async runAt(now: Date, opts: { dryRun?: boolean } = {}): Promise<DutyReport> {
    const calendar = await this.d.calendar.current();
    const { day, kinds } = dutiesDue(now, calendar, this.d.times);
    const report: DutyReport = { day, kinds, items: [] };
    if (kinds.length === 0) return report;
    const owned = await this.ownedWork();
    const lead = await operationsLeadOn(day, this.d);
    const people = new Map<string, Person | null>();
    const personOf = async (key: string): Promise<Person | null> => {
      if (!people.has(key)) people.set(key, await this.d.people.byAnalystKey(key));
      return people.get(key) ?? null;
    };
    const ctx: PassContext = { day, now, calendar, owned, lead, personOf };
    for (const kind of kinds) {
      const units = await this.unitsOf(kind, ctx);
      const done = await this.d.passes.done(units.map((u) => u.key));
      for (const u of units) {
        if (done.has(u.key)) continue;
        report.items.push(...(await this.apply(u, opts.dryRun === true)));
      }
    }
    return report;
  }

  /** Queues a unit's messages (and its ticket records), then marks it done. */
  private async apply(u: Unit, dryRun: boolean): Promise<DutyItem[]> {
    const items: DutyItem[] = [];
    const item = (n: NewNotice, status: DutyItem['status']): DutyItem => ({ pass: u.key, kind: u.kind, to: n.to.name, about: n.about, status });
    if (dryRun) return u.notices.map((n) => item(n, 'dry_run'));
    if (u.ticket) {
      // The raise, its event and its message are one write with the ticket; a notice already queued means an earlier pass made it.
      const first = u.notices[0];
      const already = first ? (await this.d.notices.get(first._id)) !== null : false;
      if (!already && !(await this.d.record(u.ticket.key, u.ticket.records))) {
        this.d.logger.warn({ pass: u.key }, 'the ticket of a duty is no longer stored; the duty is dropped');
      }
      items.push(...u.notices.map((n) => item(n, already ? 'already' : 'queued')));
    } else {
      let fresh = false;
      for (const n of u.notices) {
        const { queued } = await this.d.notices.enqueue(n);
        fresh ||= queued;
        items.push(item(n, queued ? 'queued' : 'already'));
      }
      if (fresh && u.audit) {
        await this.d.audit.record({ actor: { name: 'duty pass', aadObjectId: null, email: null }, outcome: 'done', source: 'teams', ...u.audit });
      }
    }
    await this.d.passes.markDone({ _id: u.key, day: u.day, kind: u.kind, who: u.who, detail: `${u.notices.length} message(s)` });
    if (items.length > 0) this.d.logger.info({ pass: u.key, messages: items.length }, `duty pass ${u.kind}: ${items.map((i) => `${i.to} (${i.about})`).join('; ')}`);
    return items;
  }

  /** Every owned ticket with its owner and times. */
  private async ownedWork(): Promise<Owned[]> {
    const tickets = await this.d.tickets.list({ states: ['owned'], limit: 100_000 });
    const out: Owned[] = [];
    for (const t of tickets) {
      const since = ownedSince(t);
      if (!t.owner || !since) continue;
      out.push({ ticket: t, ownerKey: t.owner.key, ownedSince: since, lastUpdate: lastUserUpdate(t) });
    }
    return out;
  }

  private rowOf(o: Owned, now: Date, calendar: TeamCalendar): DutyTicketRow {
    return dutyRowOf(o.ticket, this.d.link, now, calendar);
  }

  private async unitsOf(kind: DutyKind, c: PassContext): Promise<Unit[]> {
    switch (kind) {
      case 'update_nudge':
        return this.oneForThoseNotInTeams(c, 'update_nudge', await this.nudges(c), (n) => `${n} owners not in Teams owe their users an update today`);
      case 'hand_back': {
        const next = withWeekday(c.calendar.nextWorkingDay(c.day));
        return this.oneForThoseNotInTeams(c, 'hand_back', await this.handBacks(c), (n) => `${n} owners not in Teams hold tickets and are not on support on ${next}`);
      }
      case 'cut_off':
        return this.cutOff(c);
      case 'overload':
        return this.overload(c);
      case 'long_work':
        return this.longWork(c);
    }
  }

  /**
   * The duties of owners the app cannot map to a Teams user go to the Operations Lead: one message
   * for them all when there are several (the demo's replayed analysts are many), one per owner else.
   */
  private oneForThoseNotInTeams(c: PassContext, kind: DutyKind, units: Unit[], title: (n: number) => string): Unit[] {
    const absent = units.filter((u) => u.notInTeams).sort((a, b) => (a.notInTeams?.ownerName ?? '').localeCompare(b.notInTeams?.ownerName ?? ''));
    if (absent.length < 2) return units;
    const key = dutyKey(c.day, kind, 'not-in-teams');
    const message: NoticeMessage = {
      title: title(absent.length),
      text: `These owners are not linked to anyone in Teams (their tickets were assigned in LGD directly), so the app cannot ask them; please make sure someone does.${gapText(c.lead)}`,
      kind: 'warning',
      facts: absent.map((u) => ({ title: u.notInTeams?.ownerName ?? '', value: u.notInTeams?.tickets ?? '' })),
    };
    const names = absent.map((u) => u.notInTeams?.ownerName ?? '').join(', ');
    return [
      ...units.filter((u) => !u.notInTeams),
      {
        key,
        kind,
        day: c.day,
        who: null,
        notices: this.toLead(c.lead, key, `${kind} for ${absent.length} owners not in Teams`, message),
        audit: { action: 'duty:unmapped', ticketKey: null, ticketNumber: null, detail: `not linked to anyone in Teams: ${names}; ${c.lead.name} is told instead (${kind})`.slice(0, 500) },
      },
    ];
  }

  /** One card per owner whose users are owed an update today; an owner the app cannot reach in Teams is the Operations Lead's to chase. */
  private async nudges(c: PassContext): Promise<Unit[]> {
    const units: Unit[] = [];
    const guideline = updateGuidelineText(this.d.guidelines);
    for (const [ownerKey, work] of byOwner(updatesOwed(c.owned, c.now, c.calendar, this.d.guidelines))) {
      const key = dutyKey(c.day, 'update_nudge', ownerKey);
      const rows = work.map((o) => this.rowOf(o, c.now, c.calendar));
      const list = rows.map((r) => `LGD ${r.number}`).join(', ');
      const person = await c.personOf(ownerKey);
      const ownerName = person?.name ?? work[0]?.ticket.owner?.title ?? ownerKey;
      const message: NoticeMessage = { title: 'Update your users today', text: `Your users have not heard from you today: ${list}.`, kind: 'info' };
      units.push(
        this.toOwnerOrLead(c, key, 'update_nudge', ownerKey, person, ownerName, {
          about: `update the user: ${list}`,
          tickets: list,
          message,
          card: updateNudgeCard({ ownerName, ...(person ? { ownerTeamsId: person.teamsUserId } : {}), guideline, owed: rows }),
          forLead: (why) => ({
            title: `${ownerName}'s users are owed an update today`,
            text: `${ownerName} ${why}, so the app cannot ask them to update their users today: ${list}. Please make sure someone does.`,
            kind: 'warning',
          }),
        }),
      );
    }
    return units;
  }

  /** Owners not on the next working day's support list (when it has one) get a card to hand their tickets back. */
  private async handBacks(c: PassContext): Promise<Unit[]> {
    const off = await this.offTomorrow(c);
    if (!off) return [];
    const units: Unit[] = [];
    for (const { ownerKey, person, ownerName, work } of off.owners) {
      const key = dutyKey(c.day, 'hand_back', ownerKey);
      const rows = work.map((o) => this.rowOf(o, c.now, c.calendar));
      const list = rows.map((r) => `LGD ${r.number}`).join(', ');
      units.push(
        this.toOwnerOrLead(c, key, 'hand_back', ownerKey, person, ownerName, {
          about: `hand back before ${off.nextDay}: ${list}`,
          tickets: list,
          message: { title: `You are not on support on ${withWeekday(off.nextDay)}`, text: `Hand back ${list} to ${this.d.group}.`, kind: 'info' },
          card: handBackCard({ nextDay: withWeekday(off.nextDay), group: this.d.group, tickets: rows }),
          forLead: (why) => ({
            title: `${ownerName} holds tickets and is not on support on ${withWeekday(off.nextDay)}`,
            text: `${ownerName} ${why}, so the app cannot ask them to hand back ${list}. Please hand them back to ${this.d.group} or to someone on support.`,
            kind: 'warning',
          }),
        }),
      );
    }
    return units;
  }

  /** What is still held at the cut-off by people off support on the next working day: one report to the day's Operations Lead. */
  private async cutOff(c: PassContext): Promise<Unit[]> {
    const off = await this.offTomorrow(c);
    if (!off || off.owners.length === 0) return [];
    const key = dutyKey(c.day, 'cut_off');
    const facts = off.owners.map((o) => ({ title: o.ownerName, value: o.work.map((w) => `LGD ${w.ticket.lgd.id}`).join(', ') }));
    const message: NoticeMessage = {
      title: `Still held by people off support on ${withWeekday(off.nextDay)}`,
      text: `At the cut-off these tickets are still owned by people who are not on support on ${withWeekday(off.nextDay)}.${gapText(c.lead)}`,
      kind: 'warning',
      facts,
    };
    return [{ key, kind: 'cut_off', day: c.day, who: null, notices: this.toLead(c.lead, key, 'cut-off report', message) }];
  }

  /** One message a day to the Operations Lead per person who owns more than the guideline. */
  private async overload(c: PassContext): Promise<Unit[]> {
    const units: Unit[] = [];
    for (const { ownerKey, count } of overloaded(c.owned, this.d.guidelines)) {
      const key = dutyKey(c.day, 'overload', ownerKey);
      const person = await c.personOf(ownerKey);
      const name = person?.name ?? c.owned.find((o) => o.ownerKey === ownerKey)?.ticket.owner?.title ?? ownerKey;
      const list = c.owned.filter((o) => o.ownerKey === ownerKey).map((o) => `LGD ${o.ticket.lgd.id}`);
      const message: NoticeMessage = {
        title: `${name} owns ${count} tickets`,
        text: `${name} owns ${count} tickets: ${list.join(', ')}. The team's guideline is ${ownedLimitText(this.d.guidelines)}; they may need help or fewer tickets.${gapText(c.lead)}`,
        kind: 'warning',
      };
      units.push({
        key,
        kind: 'overload',
        day: c.day,
        who: ownerKey,
        notices: this.toLead(c.lead, key, `${name} owns ${count} tickets`, message),
        audit: { action: 'duty:overload', ticketKey: null, ticketNumber: null, detail: `${name} owns ${count} tickets (${list.join(', ')})` },
      });
    }
    return units;
  }

  /** Work owned past the guideline with no agreement since its owner took it: raised with the Operations Lead once. */
  private async longWork(c: PassContext): Promise<Unit[]> {
    const agreed = new Map<string, Date | null>();
    for (const o of c.owned) {
      if (!this.tooLongCandidate(o, c)) continue;
      // Raised already since the owner took it (by the owner's button): that raise stands for the automatic one.
      const raised = await this.d.events.latestOf(o.ticket._id, 'long_work_raised');
      if (raised && raised.at >= o.ownedSince) continue;
      agreed.set(o.ticket._id, (await this.d.events.latestOf(o.ticket._id, 'long_work_agreed'))?.at ?? null);
    }
    const guideline = longWorkText(this.d.guidelines);
    const units: Unit[] = [];
    const candidates = c.owned.filter((o) => agreed.has(o.ticket._id));
    for (const o of longWorkToRaise(candidates, (w) => agreed.get(w.ticket._id) ?? null, c.now, c.calendar, this.d.guidelines)) {
      const t = o.ticket;
      // Once per ticket and owner: keyed by when the current owner took it, not by the day.
      const key = `long_work|${t._id}|${o.ownedSince.toISOString()}`;
      const person = await c.personOf(o.ownerKey);
      const owner = person?.name ?? t.owner?.title ?? o.ownerKey;
      const why = `Owned by ${owner} for ${guideline} with no agreement from the Operations Lead.`;
      const card = longWorkCard({ row: this.rowOf(o, c.now, c.calendar), owner, why, guideline, gap: c.lead.gap });
      const message: NoticeMessage = { title: `LGD ${t.lgd.id} is taking ${guideline}`, text: why, kind: 'warning' };
      const notices = this.toLead(c.lead, key, `long work on LGD ${t.lgd.id}`, message).map((n) => ({ ...n, card, ticketKey: t._id, ticketNumber: t.lgd.id }));
      units.push({
        key,
        kind: 'long_work',
        day: c.day,
        who: t._id,
        notices,
        ticket: {
          key: t._id,
          records: {
            events: [{ kind: 'long_work_raised', ticketKey: t._id, by: 'duty pass', reason: null, auto: true }],
            notices,
            audit: [
              {
                actor: { name: 'duty pass', aadObjectId: null, email: null },
                action: 'duty:long_work',
                ticketKey: t._id,
                ticketNumber: t.lgd.id,
                outcome: 'done',
                source: 'teams',
                detail: `raised with ${c.lead.name}: ${why}`,
              },
            ],
          },
        },
      });
    }
    return units;
  }

  private tooLongCandidate(o: Owned, c: PassContext): boolean {
    return c.calendar.workingDaysBetween(c.calendar.todayIn(o.ownedSince), c.day) > this.d.guidelines.longWorkDays;
  }

  /** The owners who hand back tonight, or null when the next working day's support rota is not in use. */
  private async offTomorrow(c: PassContext): Promise<{ nextDay: string; owners: { ownerKey: string; person: Person | null; ownerName: string; work: Owned[] }[] } | null> {
    const nextDay = c.calendar.nextWorkingDay(c.day);
    const [rotaDay] = await this.d.rota.range(nextDay, nextDay);
    const support = rotaDay?.support ?? null;
    if (!support) return null;
    const owners: { ownerKey: string; person: Person | null; ownerName: string; work: Owned[] }[] = [];
    for (const [ownerKey, work] of byOwner(c.owned)) {
      const person = await c.personOf(ownerKey);
      const emails = person ? [person.email, person.upn].filter((e): e is string => !!e) : [];
      if (!handsBack(emails, support)) continue;
      owners.push({ ownerKey, person, ownerName: person?.name ?? work[0]?.ticket.owner?.title ?? ownerKey, work });
    }
    return { nextDay, owners };
  }

  /**
   * A duty for an owner: their card, with the Operations Lead told instead should Teams not reach
   * them; an owner the app cannot map to a Teams user (assigned in LGD directly) is the lead's at once.
   */
  private toOwnerOrLead(
    c: PassContext,
    key: string,
    kind: DutyKind,
    ownerKey: string,
    person: Person | null,
    ownerName: string,
    o: { about: string; tickets: string; message: NoticeMessage; card: Record<string, unknown>; forLead: (why: string) => NoticeMessage },
  ): Unit {
    if (!person) {
      const message = o.forLead('is not linked to anyone in Teams (their tickets were assigned in LGD directly)');
      // Keyed for all such owners of the day: one or several, the lead hears of them once.
      const absentKey = dutyKey(c.day, kind, 'not-in-teams');
      return {
        key: absentKey,
        kind,
        day: c.day,
        who: ownerKey,
        notices: this.toLead(c.lead, absentKey, `${o.about} (for ${ownerName}, not in Teams)`, withGap(message, c.lead)),
        audit: { action: 'duty:unmapped', ticketKey: null, ticketNumber: null, detail: `${ownerName} is not linked to anyone in Teams; ${c.lead.name} is told instead: ${o.about}`.slice(0, 500) },
        notInTeams: { ownerName, tickets: o.tickets },
      };
    }
    const [fallbackTo] = c.lead.to;
    const fallback = fallbackTo
      ? { id: `duty:${key}:instead`, to: fallbackTo, about: `${o.about} (for ${ownerName}, unreachable)`, message: withGap(o.forLead('cannot be reached in Teams (they removed the app or blocked it)'), c.lead) }
      : undefined;
    return {
      key,
      kind,
      day: c.day,
      who: ownerKey,
      notices: [{ _id: `duty:${key}`, to: recipientOf(person), about: o.about, message: o.message, card: o.card, ...(fallback ? { fallback } : {}) }],
    };
  }

  /** The same message to each of the day's Operations Lead recipients (the leads, when the rota has a gap). */
  private toLead(lead: OperationsLead, key: string, about: string, message: NoticeMessage): NewNotice[] {
    if (lead.to.length === 0) this.d.logger.warn({ pass: key }, `nobody to tell about ${about}: no Operations Lead on the rota and no lead the app can reach`);
    return lead.to.map((to: NoticeRecipient) => ({ _id: `duty:${key}:${to.aadObjectId ?? to.teamsUserId}`, to, about, message }));
  }
}

/** What one run knows. */
interface PassContext {
  day: string;
  now: Date;
  calendar: TeamCalendar;
  owned: Owned[];
  lead: OperationsLead;
  personOf(analystKey: string): Promise<Person | null>;
}

const gapText = (lead: OperationsLead): string => (lead.gap ? ` The rota has a gap: ${lead.why ?? 'nobody is Operations Lead today'}, so the leads are told.` : '');

const withGap = (m: NoticeMessage, lead: OperationsLead): NoticeMessage => ({ ...m, text: `${m.text}${gapText(lead)}` });
