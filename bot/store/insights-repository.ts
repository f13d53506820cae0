import type { Document } from 'mongodb';
import type { InsightWeek } from '../../tab/src/api/contract.js';
import type { TeamCalendar } from '../domain/calendar.js';
import { addDays, datesBetween, mondayOf } from '../domain/iso-date.js';
import type { DocCollection, Store } from './doc-collection.js';
import { COLLECTIONS } from './collections.js';

/** The event kinds a ticket's history is read from (bot/store/event-log.ts). */
const HISTORY_KINDS = ['ticket_new', 'state_changed', 'owner_changed', 'user_updated'] as const;

/** The states a ticket arriving in them is followed from (the figures read nothing else from an arrival alone). */
const ARRIVAL_STATES = ['needs_triage', 'approved_unassigned', 'owned'] as const;

/** The duty events the daily duties write (issue 12): long work raised with the Operations Lead, and tickets handed back to the group. */
export const ESCALATION_KIND = 'long_work_raised';
export const HAND_BACK_KIND = 'handed_back';

/** What a state change out of "needs triage" decides, by the state it goes to. */
const OUTCOME: Record<string, keyof InsightWeek['decisions'] | undefined> = {
  approved_unassigned: 'approved',
  // A person put on the ticket after it arrived: assigning is itself a triage outcome (process-state.ts).
  owned: 'approved',
  project: 'project',
  reassigned: 'reassigned',
};

/** One event as the aggregation hands it over, per ticket, in log order. */
interface HistoryEvent {
  kind: string;
  at: Date;
  state?: string;
  from?: string | null;
  to?: string | null;
  owner?: string | null;
  updatedAt?: Date;
}

/** The nearest-rank percentile `p` (0–100) of sorted values: the value at rank ⌈p/100 · n⌉. */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] ?? null;
}

/** Hours rounded to a hundredth, as the figures show them. */
const hours = (ms: number): number => Math.round(ms / 36_000) / 100;

/**
 * The process's own figures (issue 13, Insights), per week (Monday–Sunday in the team's time
 * zone), computed from the event log: an aggregation (run alike by MongoDB and the embedded
 * store's mingo) groups each ticket's history in log order; one pass over each history then
 * reads arrivals and triage decisions, who owned what at the end of each working day, and the
 * days the user heard from the team.
 */
export class InsightsRepository {
  private readonly events: DocCollection<Document>;

  constructor(store: Store) {
    this.events = store.collection<Document>(COLLECTIONS.events);
  }

  /** The last `weeks` weeks up to `now`, oldest first, the current week (so far) last. */
  async weeks(o: { weeks: number; now: Date; calendar: TeamCalendar; maxOwned: number }): Promise<InsightWeek[]> {
    const { calendar, now } = o;
    const today = calendar.todayIn(now);
    const starts = Array.from({ length: o.weeks }, (_, i) => addDays(mondayOf(today), -7 * (o.weeks - 1 - i)));
    const first = starts[0]!;
    const weekOf = (at: Date): string => mondayOf(calendar.todayIn(at));
    const blank = (): InsightWeek & { triage: number[] } => ({
      weekStart: '',
      triageHours: { count: 0, median: null, p90: null },
      decisions: { approved: 0, project: 0, reassigned: 0 },
      dailyUpdateShare: null,
      ticketsOverLimit: 0,
      escalations: 0,
      handBacks: 0,
      triage: [],
    });
    const byWeek = new Map(starts.map((s) => [s, { ...blank(), weekStart: s }]));

    // A ticket whose only event is its arrival in a closed state (resolved, reassigned, a Project:
    // most of a first sync's history) counts for nothing: only the others' histories are read, each
    // whole, through the indexes (state, kind, ticket), so the read does not grow with the history.
    const later = HISTORY_KINDS.filter((k) => k !== 'ticket_new');
    const followed = await this.events
      .find({ $or: [{ state: { $in: [...ARRIVAL_STATES] }, kind: 'ticket_new' }, { kind: { $in: [...later, ESCALATION_KIND, HAND_BACK_KIND] } }], at: { $lte: now } }, { projection: { _id: 0, ticketKey: 1 } })
      .toArray();
    const keys = [...new Set(followed.map((e) => e.ticketKey as string))];
    const histories = await this.events
      .aggregate<{ _id: string; events: HistoryEvent[] }>([
        { $match: { ticketKey: { $in: keys }, kind: { $in: [...HISTORY_KINDS, ESCALATION_KIND, HAND_BACK_KIND] }, at: { $lte: now } } },
        { $sort: { _id: 1 } },
        { $group: { _id: '$ticketKey', events: { $push: { kind: '$kind', at: '$at', state: '$state', from: '$from', to: '$to', owner: '$owner', updatedAt: '$updatedAt' } } } },
      ])
      .toArray();

    // The working days counted: those of the weeks shown, up to today.
    const days = datesBetween(first, today).filter((d) => calendar.isWorkingDay(d));
    const perDay = new Map(days.map((d) => [d, { pairs: 0, updated: 0, owners: new Map<string, number>() }]));

    for (const h of histories) {
      let state: string | null = null;
      let owner: string | null = null;
      let arrivedAt: Date | null = null;
      const heard = new Set<string>();
      /** The ticket as it stood after each change, by the team's date of the change. */
      const snapshots: { date: string; state: string | null; owner: string | null }[] = [];
      for (const e of h.events) {
        const week = byWeek.get(weekOf(e.at));
        if (e.kind === 'ticket_new') {
          state = e.state ?? null;
          owner = e.owner ?? null;
          if (state === 'needs_triage') arrivedAt = e.at;
        } else if (e.kind === 'state_changed') {
          const outcome = e.from === 'needs_triage' && e.to ? OUTCOME[e.to] : undefined;
          if (outcome && week) {
            week.decisions[outcome]++;
            if (arrivedAt) week.triage.push(hours(e.at.getTime() - arrivedAt.getTime()));
          }
          state = e.to ?? null;
          if (state === 'needs_triage') arrivedAt = e.at;
        } else if (e.kind === 'owner_changed') {
          owner = e.to ?? null;
        } else if (e.kind === 'user_updated') {
          if (e.updatedAt) heard.add(calendar.todayIn(e.updatedAt));
          continue;
        } else {
          if (week && e.kind === ESCALATION_KIND) week.escalations++;
          if (week && e.kind === HAND_BACK_KIND) week.handBacks++;
          continue;
        }
        const date = calendar.todayIn(e.at);
        if (snapshots.at(-1)?.date === date) snapshots.pop();
        snapshots.push({ date, state, owner });
      }
      // Each snapshot holds from its date to the day before the next one: the end of each of those days.
      snapshots.forEach((s, i) => {
        if (s.state !== 'owned') return;
        const until = snapshots[i + 1] ? addDays(snapshots[i + 1]!.date, -1) : today;
        for (const d of datesBetween(s.date < first ? first : s.date, until)) {
          const day = perDay.get(d);
          if (!day) continue;
          day.pairs++;
          if (heard.has(d)) day.updated++;
          if (s.owner) day.owners.set(s.owner, (day.owners.get(s.owner) ?? 0) + 1);
        }
      });
    }

    const share = new Map<string, { pairs: number; updated: number }>();
    for (const [d, day] of perDay) {
      const week = byWeek.get(mondayOf(d));
      if (!week) continue;
      const s = share.get(week.weekStart) ?? { pairs: 0, updated: 0 };
      s.pairs += day.pairs;
      s.updated += day.updated;
      share.set(week.weekStart, s);
      let excess = 0;
      for (const n of day.owners.values()) excess += Math.max(0, n - o.maxOwned);
      week.ticketsOverLimit = Math.max(week.ticketsOverLimit, excess);
    }
    return starts.map((s) => {
      const { triage, ...week } = byWeek.get(s)!;
      const sorted = [...triage].sort((a, b) => a - b);
      const sh = share.get(s);
      return {
        ...week,
        triageHours: { count: sorted.length, median: nearestRank(sorted, 50), p90: nearestRank(sorted, 90) },
        dailyUpdateShare: sh && sh.pairs > 0 ? sh.updated / sh.pairs : null,
      };
    });
  }
}
