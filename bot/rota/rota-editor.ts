import type { DayOff, PersonRef, RotaDayView, RotaGap } from '../../tab/src/api/contract.js';
import type { TeamCalendar } from '../domain/calendar.js';
import { datesBetween, isWeekend, weekdayOf } from '../domain/iso-date.js';
import { rotaWriteRefusal, type NamedOnRota, type RotaRefusal, type SupportListOnRota } from '../domain/rota-rules.js';
import type { Person, Rota, RotaDay, RotaPerson } from '../teams/teams-ports.js';

/** What a rota write sets on a day: a field left out is kept; null clears it (support: not in use); e-mails. */
export interface RotaSetting {
  lead?: string | null;
  support?: readonly string[] | null;
}

/** One part of a rota write: the setting, the ISO weekdays it applies to (null: every working day) and the input it came from (`""` or `"pattern.mon."`). */
export interface RotaPlanPart {
  weekday: number | null;
  field: string;
  setting: RotaSetting;
}

/** A rota write: from..to, and what each working day (or each weekday of a pattern) gets. */
export interface RotaPlan {
  from: string;
  to: string;
  parts: readonly RotaPlanPart[];
}

/** Why a day in the range was left alone. */
export type SkipReason = 'weekend' | 'bank_holiday' | 'team_day_off' | 'not_in_pattern';

/** What a rota write did, or why it did nothing. */
export type RotaWriteOutcome =
  | { ok: true; days: RotaDay[]; skipped: { date: string; reason: SkipReason }[] }
  | { ok: false; refusal: RotaRefusal };

/** What the editor reads and writes. */
export interface RotaEditorDeps {
  rota: Rota;
  people: { byEmails(emails: readonly string[]): Promise<Person[]> };
  leads: { emails(): Promise<string[]> };
  calendar: { current(): Promise<TeamCalendar> };
  now: () => Date;
}

/** ISO weekday (1 Monday … 7 Sunday) of a YYYY-MM-DD date. */
export const isoWeekday = (date: string): number => weekdayOf(date) || 7;

/**
 * The rota as the chat's `rota set` / `rota` and the tab's `/api/rota` both change and read it: the
 * same rules (bot/domain/rota-rules.ts), the same calendar, the same days. Writes only working
 * days (the rota of a weekend or a holiday means nothing), stored one document per date.
 */
export class RotaEditor {
  constructor(private readonly d: RotaEditorDeps) {}

  /** The team's date today. */
  async today(): Promise<{ calendar: TeamCalendar; today: string }> {
    const calendar = await this.d.calendar.current();
    return { calendar, today: calendar.todayIn(this.d.now()) };
  }

  /** Checks the plan against the rota's rules and writes the working days it produces; nothing is written when it is refused. */
  async write(plan: RotaPlan, setBy: string): Promise<RotaWriteOutcome> {
    const { calendar, today } = await this.today();
    const named: NamedOnRota[] = [];
    const supportLists: SupportListOnRota[] = [];
    for (const p of plan.parts) {
      if (p.setting.lead) named.push({ field: `${p.field}lead`, email: p.setting.lead });
      if (p.setting.support) {
        supportLists.push({ field: `${p.field}support`, emails: p.setting.support });
        p.setting.support.forEach((email, i) => named.push({ field: `${p.field}support.${i}`, email }));
      }
    }
    const emails = [...new Set(named.map((n) => n.email.toLowerCase()))];
    const { known, names } = await this.knownPeople(emails);
    const refusal = rotaWriteRefusal({ from: plan.from, to: plan.to, today, named, supportLists, known });
    if (refusal) return { ok: false, refusal };

    const person = (email: string): RotaPerson => ({ email: email.toLowerCase(), name: names.get(email.toLowerCase()) ?? null });
    const writes: { date: string; lead?: RotaPerson | null; support?: RotaPerson[] | null }[] = [];
    const skipped: { date: string; reason: SkipReason }[] = [];
    const offs = new Map(calendar.daysNotWorked(plan.from, plan.to).map((d) => [d.date, d.kind] as const));
    for (const date of datesBetween(plan.from, plan.to)) {
      if (!calendar.isWorkingDay(date)) {
        const kind = offs.get(date);
        skipped.push({ date, reason: isWeekend(date) ? 'weekend' : kind === 'bank_holiday' ? 'bank_holiday' : 'team_day_off' });
        continue;
      }
      const part = plan.parts.find((p) => p.weekday === null || p.weekday === isoWeekday(date));
      if (!part) {
        skipped.push({ date, reason: 'not_in_pattern' });
        continue;
      }
      const { lead, support } = part.setting;
      writes.push({
        date,
        ...(lead !== undefined ? { lead: lead === null ? null : person(lead) } : {}),
        ...(support !== undefined ? { support: support === null ? null : support.map(person) } : {}),
      });
    }
    const days = writes.length > 0 ? await this.d.rota.apply(writes, setBy) : [];
    return { ok: true, days, skipped };
  }

  /** The lower-case e-mails among `emails` that are a person the app knows (a team member or a mapped person) or a lead, and the names it knows them by. */
  async knownPeople(emails: readonly string[]): Promise<{ known: Set<string>; names: Map<string, string> }> {
    const wanted = new Set(emails.map((e) => e.toLowerCase()));
    const known = new Set<string>();
    const names = new Map<string, string>();
    if (wanted.size === 0) return { known, names };
    for (const p of await this.d.people.byEmails([...wanted])) {
      for (const address of [p.email, p.upn]) {
        if (address && wanted.has(address)) {
          known.add(address);
          if (p.name) names.set(address, p.name);
        }
      }
    }
    for (const lead of await this.d.leads.emails()) if (wanted.has(lead)) known.add(lead);
    return { known, names };
  }

  /** Every calendar day from..to as the rota shows it (weekends and holidays marked, gaps on working days), and today and the next working day. */
  async view(from: string, to: string): Promise<{ days: RotaDayView[]; today: RotaDayView; nextWorkingDay: RotaDayView; timeZone: string }> {
    const { calendar, today } = await this.today();
    const next = calendar.nextWorkingDay(today);
    const [stored, around] = await Promise.all([this.d.rota.range(from, to), this.d.rota.range(today, next)]);
    const byDate = new Map<string, RotaDay>([...around, ...stored].map((d) => [d._id, d]));
    const unnamed = new Set<string>();
    for (const d of byDate.values()) for (const p of [d.lead, ...(d.support ?? [])]) if (p && !p.name) unnamed.add(p.email);
    const names = new Map<string, string>();
    if (unnamed.size > 0) {
      for (const p of await this.d.people.byEmails([...unnamed])) {
        for (const address of [p.email, p.upn]) if (address && unnamed.has(address) && p.name) names.set(address, p.name);
      }
    }
    const ref = (p: RotaPerson): PersonRef => ({ name: p.name ?? names.get(p.email) ?? p.email, email: p.email });
    const offs = new Map(calendar.daysNotWorked(from < today ? from : today, to > next ? to : next).map((d) => [d.date, d] as const));
    const dayView = (date: string): RotaDayView => {
      const day = byDate.get(date) ?? null;
      const working = calendar.isWorkingDay(date);
      const notWorked = offs.get(date);
      const off: DayOff | null = working
        ? null
        : isWeekend(date)
          ? { kind: 'weekend' }
          : notWorked?.kind === 'bank_holiday'
            ? { kind: 'bank_holiday', name: notWorked.name }
            : { kind: 'team_day_off', name: notWorked?.name ?? calendar.holidayName(date) ?? 'Team day off' };
      const lead = day?.lead ? ref(day.lead) : null;
      const support = day?.support ? day.support.map(ref) : null;
      const gaps: RotaGap[] = [];
      if (working && !lead) gaps.push('noLead');
      if (working && !support) gaps.push('supportNotSet');
      return {
        date,
        weekday: isoWeekday(date),
        working,
        off,
        lead,
        support,
        gaps,
        setBy: day?.setBy ?? null,
        updatedAt: day?.updatedAt ? day.updatedAt.toISOString() : null,
      };
    };
    return { days: datesBetween(from, to).map(dayView), today: dayView(today), nextWorkingDay: dayView(next), timeZone: calendar.timeZone };
  }
}
