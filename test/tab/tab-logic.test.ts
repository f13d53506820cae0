import { describe, expect, it } from 'vitest';
import type { ApiError, MeResponse, Me, QueueRow, RotaDayView } from '../../tab/src/api/contract.js';
import { backoffMs } from '../../tab/src/logic/backoff.js';
import { csvCell, toCsv } from '../../tab/src/logic/csv.js';
import { dateIn, formatHours, formatWhen, workingDays } from '../../tab/src/logic/format.js';
import { insightTables } from '../../tab/src/logic/insights-table.js';
import { linePoints } from '../../tab/src/logic/line-points.js';
import { countsOf, DEFAULT_FILTER, filterRows, matchesSearch, replaceRow, sectionsOf } from '../../tab/src/logic/queue-view-model.js';
import { rowActions } from '../../tab/src/logic/row-actions.js';
import { gapDays, mondayOf, rotaWeeks, weeksRange } from '../../tab/src/logic/rota-weeks.js';
import { rotaWriteOf, type RotaForm } from '../../tab/src/logic/rota-write.js';
import { SseParser } from '../../tab/src/logic/sse-parser.js';
import { startMode, type HostProbe } from '../../tab/src/logic/start-mode.js';
import { themeKindOf } from '../../tab/src/logic/theme-kind.js';
import { contentUrlFor, viewOfEntity, viewOfHash } from '../../tab/src/logic/view-route.js';

const warnings = (): QueueRow['warnings'] => ({ noUserUpdateToday: false, ownedTooLong: null, ownerOffTomorrow: null, queuedForLgd: 0, lgdRefused: null });
function row(p: Partial<QueueRow> & { number: number }): QueueRow {
  return {
    key: `k${p.number}`,
    link: '#',
    title: `Ticket ${p.number}`,
    raisedBy: 'User',
    raisedAt: '2026-12-01T09:00:00Z',
    ageWorkingDays: 1,
    state: 'needs_triage',
    status: 'Open',
    priority: null,
    owner: null,
    assignedInLgd: null,
    decision: null,
    ownedSince: null,
    ownedWorkingDays: null,
    userLastHeard: null,
    resolvedAt: null,
    warnings: warnings(),
    version: 1,
    ...p,
  };
}

const me = (p: Partial<Me> = {}): Me => ({ id: 'x', name: 'X', email: 'x@example.org', analyst: { key: 'a-x', name: 'x', title: 'X' }, isLead: false, isRotaLeadToday: false, canTriage: false, ...p });

describe('theme', () => {
  it("follows Teams' theme names and shows anything newer (glass) or missing as light", () => {
    expect(themeKindOf('default')).toBe('light');
    expect(themeKindOf('dark')).toBe('dark');
    expect(themeKindOf('contrast')).toBe('contrast');
    expect(themeKindOf('glass')).toBe('light');
    expect(themeKindOf(undefined)).toBe('light');
    expect(themeKindOf(' Dark ')).toBe('dark');
  });
});

describe('routes', () => {
  it('reads the view from the hash, in the forms Teams and people write it', () => {
    expect(viewOfHash('#/rota')).toBe('rota');
    expect(viewOfHash('#rota')).toBe('rota');
    expect(viewOfHash('#/insights?weeks=4')).toBe('insights');
    expect(viewOfHash('#/config')).toBe('config');
    expect(viewOfHash('')).toBeNull();
    expect(viewOfHash('#/admin')).toBeNull();
    expect(viewOfEntity('lgd-people')).toBe('people');
    expect(viewOfEntity('queue')).toBe('queue');
    expect(viewOfEntity('conversations')).toBeNull();
  });

  it('saves a channel tab with the content URL the manifest reserves: …/tab/index.html#/<view>', () => {
    expect(contentUrlFor('rota', { origin: 'https://app.example', pathname: '/tab/index.html' })).toBe('https://app.example/tab/index.html#/rota');
  });
});

describe('start mode', () => {
  const inTeams: HostProbe = { inTeams: true, theme: 'dark', pageId: 'queue', subPageId: null, frameContext: 'content' };
  const browser: HostProbe = { inTeams: false, reason: 'rejected' };
  const meBody = (mode: 'open' | 'checked', who: Me | null): MeResponse =>
    ({ mode, me: who, mappingHint: null, demoPeople: mode === 'open' ? [] : null }) as unknown as MeResponse;

  it('runs as a demo person only when the server says open, in a browser or in Teams', () => {
    expect(startMode(browser, { status: 200, body: meBody('open', null) }).kind).toBe('demo');
    expect(startMode(inTeams, { status: 200, body: meBody('open', me()) }).kind).toBe('demo');
  });

  it('outside Teams against a checked server shows "open this in Teams", whether it answered 401 or 200', () => {
    expect(startMode(browser, { status: 401, body: { code: 'Unauthorized', message: 'no token' } }).kind).toBe('needs-teams');
    expect(startMode(browser, { status: 200, body: meBody('checked', me()) }).kind).toBe('needs-teams');
  });

  it('in Teams: signed in runs; 401 and 403 are refusals carrying the server sentence; no answer is "unavailable"', () => {
    expect(startMode(inTeams, { status: 200, body: meBody('checked', me()) }).kind).toBe('teams');
    const refused = startMode(inTeams, { status: 403, body: { code: 'UnknownPerson', message: 'Ask a lead to add the app to your team.' } satisfies ApiError });
    expect(refused).toMatchObject({ kind: 'refused', message: 'Ask a lead to add the app to your team.' });
    expect(startMode(inTeams, { status: 401, body: null }).kind).toBe('refused');
    expect(startMode(inTeams, { status: 'network', message: 'refused' }).kind).toBe('unavailable');
    expect(startMode(browser, { status: 503, body: { code: 'Starting', message: 'Starting up.' } })).toEqual({ kind: 'unavailable', message: 'Starting up.' });
  });
});

describe('queue view model', () => {
  const ann = { key: 'a1', name: 'Ann', email: null };
  const bob = { key: 'b1', name: 'Bob', email: null };
  const rows = [
    row({ number: 3, raisedAt: '2026-11-20T09:00:00Z' }),
    row({ number: 1, raisedAt: '2026-11-25T09:00:00Z', title: 'Payroll export fails', assignedInLgd: 'Dana Évans' }),
    row({ number: 7, state: 'owned', owner: bob }),
    row({ number: 5, state: 'owned', owner: ann }),
    row({ number: 6, state: 'owned', owner: ann }),
    row({ number: 9, state: 'resolved' }),
  ];

  it('groups by process state in process order, owned tickets by owner name, keeping the server order inside each', () => {
    const s = sectionsOf(rows);
    expect(s.map((x) => x.heading)).toEqual(['Needs triage', 'Owned by Ann', 'Owned by Bob', 'Recently resolved']);
    expect(s[0]!.rows.map((r) => r.number)).toEqual([3, 1]);
    expect(s[1]!.rows.map((r) => r.number)).toEqual([5, 6]);
  });

  it('filters by state and owner, searches every word across number, title and people (accents ignored), and sorts', () => {
    expect(filterRows(rows, { ...DEFAULT_FILTER, states: ['owned'] }, null).map((r) => r.number)).toEqual([7, 5, 6]);
    expect(filterRows(rows, { ...DEFAULT_FILTER, owner: 'none' }, null).map((r) => r.number)).toEqual([3, 1, 9]);
    expect(filterRows(rows, { ...DEFAULT_FILTER, owner: 'me' }, 'a1').map((r) => r.number)).toEqual([5, 6]);
    expect(filterRows(rows, { ...DEFAULT_FILTER, owner: 'me' }, null)).toEqual([]);
    expect(matchesSearch(rows[1]!, 'payroll evans')).toBe(true);
    expect(matchesSearch(rows[1]!, 'payroll bob')).toBe(false);
    expect(filterRows(rows, { ...DEFAULT_FILTER, search: '7' }, null).map((r) => r.number)).toEqual([7]);
    expect(filterRows(rows, { ...DEFAULT_FILTER, sort: 'number' }, null).map((r) => r.number)).toEqual([1, 3, 5, 6, 7, 9]);
    expect(filterRows(rows, { ...DEFAULT_FILTER, sort: 'oldest', states: ['needs_triage'] }, null).map((r) => r.number)).toEqual([3, 1]);
    expect(filterRows(rows, { ...DEFAULT_FILTER, sort: 'newest', states: ['needs_triage'] }, null).map((r) => r.number)).toEqual([1, 3]);
  });

  it('counts per state, and replaces a row only with a newer version', () => {
    expect(countsOf(rows)).toEqual({ needs_triage: 2, approved_unassigned: 0, owned: 3, project: 0, resolved: 1 });
    const newer = { ...rows[0]!, version: 2, state: 'approved_unassigned' as const };
    expect(replaceRow(rows, newer)[0]).toBe(newer);
    const older = { ...rows[0]!, version: 0, title: 'old' };
    expect(replaceRow(rows, older)[0]).toBe(rows[0]);
  });
});

describe('row actions', () => {
  it('offers triage to triagers, Take to anyone on an approved ticket, and the owner Update and Reassign', () => {
    const triager = me({ canTriage: true });
    const dev = me();
    expect(rowActions(row({ number: 1 }), triager)).toEqual(['approve', 'project', 'reassign']);
    expect(rowActions(row({ number: 1 }), dev)).toEqual([]);
    expect(rowActions(row({ number: 1, state: 'approved_unassigned' }), dev)).toEqual(['take']);
    expect(rowActions(row({ number: 1, state: 'owned', owner: { key: 'a-x', name: 'X', email: null } }), dev)).toEqual(['update-user', 'reassign']);
    expect(rowActions(row({ number: 1, state: 'owned', owner: { key: 'other', name: 'O', email: null } }), dev)).toEqual([]);
    expect(rowActions(row({ number: 1, state: 'resolved' }), triager)).toEqual([]);
    expect(rowActions(row({ number: 1 }), null)).toEqual([]);
    expect(rowActions(row({ number: 1, state: 'approved_unassigned' }), me({ analyst: null, canTriage: true }))).toEqual([]);
  });
});

describe('rota', () => {
  const day = (date: string, p: Partial<RotaDayView> = {}): RotaDayView => {
    const wd = ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
    return { date, weekday: wd, working: wd <= 5, off: wd > 5 ? { kind: 'weekend' } : null, lead: null, support: null, gaps: wd <= 5 ? ['noLead', 'supportNotSet'] : [], setBy: null, updatedAt: null, ...p };
  };

  it('lays days out as weeks across, Monday to Friday, weekends left out and missing days empty', () => {
    const days = ['2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06', '2026-12-07'].map((d) => day(d));
    const weeks = rotaWeeks(days);
    expect(weeks.map((w) => w.monday)).toEqual(['2026-11-30', '2026-12-07']);
    expect(weeks[0]!.days.map((d) => d?.date ?? null)).toEqual([null, null, '2026-12-02', '2026-12-03', '2026-12-04']);
    expect(weeks[1]!.days.map((d) => d?.date ?? null)).toEqual(['2026-12-07', null, null, null, null]);
  });

  it('finds gaps on working days only, and whole-week ranges from the Monday', () => {
    const days = [day('2026-12-02'), day('2026-12-03', { gaps: [] }), day('2026-12-05'), day('2026-12-25', { working: false, off: { kind: 'bank_holiday', name: 'Christmas Day' }, gaps: [] })];
    expect(gapDays(days).map((d) => d.date)).toEqual(['2026-12-02']);
    expect(mondayOf('2026-12-06')).toBe('2026-11-30');
    expect(weeksRange('2026-12-02', 4)).toEqual({ from: '2026-11-30', to: '2026-12-27' });
    expect(weeksRange('2026-12-02', 4, -4)).toEqual({ from: '2026-11-02', to: '2026-11-29' });
  });

  const form = (p: Partial<RotaForm>): RotaForm => ({ mode: 'day', from: '2026-12-03', to: '2026-12-03', lead: '', clearLead: false, support: [], supportAction: 'keep', pattern: {}, ...p });

  it('builds the PUT body for a day, a range and a weekly pattern', () => {
    expect(rotaWriteOf(form({ lead: 'Ann@Example.org' }), '2026-12-02')).toEqual({ ok: true, body: { from: '2026-12-03', to: '2026-12-03', lead: 'ann@example.org' } });
    expect(rotaWriteOf(form({ mode: 'range', to: '2026-12-11', clearLead: true, supportAction: 'set', support: ['bob@example.org'] }), '2026-12-02')).toEqual({
      ok: true,
      body: { from: '2026-12-03', to: '2026-12-11', lead: null, support: ['bob@example.org'] },
    });
    expect(rotaWriteOf(form({ mode: 'range', to: '2026-12-11', supportAction: 'clear' }), '2026-12-02')).toEqual({ ok: true, body: { from: '2026-12-03', to: '2026-12-11', support: null } });
    expect(
      rotaWriteOf(form({ mode: 'pattern', to: '2027-01-29', pattern: { mon: { lead: 'ann@example.org', support: ['bob@example.org'] }, tue: { lead: '', support: [] } } }), '2026-12-02'),
    ).toEqual({ ok: true, body: { from: '2026-12-03', to: '2027-01-29', pattern: { mon: { lead: 'ann@example.org', support: ['bob@example.org'] } } } });
  });

  it('refuses what the server would refuse, naming the field: past days, reversed or long ranges, bad e-mails, nothing to set', () => {
    expect(rotaWriteOf(form({ from: '2026-12-01', lead: 'a@example.org' }), '2026-12-02')).toMatchObject({ ok: false, field: 'from' });
    expect(rotaWriteOf(form({ mode: 'range', to: '2026-12-01', lead: 'a@example.org' }), '2026-12-02')).toMatchObject({ ok: false, field: 'to' });
    expect(rotaWriteOf(form({ mode: 'range', to: '2028-01-01', lead: 'a@example.org' }), '2026-12-02')).toMatchObject({ ok: false, field: 'to' });
    expect(rotaWriteOf(form({ from: '2026-02-30', lead: 'a@example.org' }), '2026-01-01')).toMatchObject({ ok: false, field: 'from' });
    expect(rotaWriteOf(form({ lead: 'ann' }), '2026-12-02')).toMatchObject({ ok: false, field: 'lead' });
    expect(rotaWriteOf(form({ supportAction: 'set', support: ['a@example.org', 'nope'] }), '2026-12-02')).toMatchObject({ ok: false, field: 'support.1' });
    expect(rotaWriteOf(form({ supportAction: 'set', support: ['a@example.org', 'A@example.org'] }), '2026-12-02')).toMatchObject({ ok: false, field: 'support' });
    expect(rotaWriteOf(form({}), '2026-12-02')).toMatchObject({ ok: false, field: 'lead' });
    expect(rotaWriteOf(form({ mode: 'pattern', to: '2026-12-11', pattern: { wed: { lead: 'x', support: [] } } }), '2026-12-02')).toMatchObject({ ok: false, field: 'pattern.wed.lead' });
    expect(rotaWriteOf(form({ mode: 'pattern', to: '2026-12-11' }), '2026-12-02')).toMatchObject({ ok: false, field: 'pattern' });
  });
});

describe('server-sent events parser', () => {
  it('parses events split across chunks, with CRLF, comments, multi-line data and ids', () => {
    const p = new SseParser();
    expect(p.push(': keep-alive\n\nevent: hel')).toEqual([]);
    expect(p.push('lo\ndata: {"a":1}\n\n')).toEqual([{ event: 'hello', data: '{"a":1}', id: null }]);
    expect(p.push('event: ticket\r\nid: 7\r\ndata: x\r\ndata: y\r')).toEqual([]);
    expect(p.push('\n\r\n')).toEqual([{ event: 'ticket', data: 'x\ny', id: '7' }]);
    expect(p.push('data:no-space\n\n')).toEqual([{ event: 'message', data: 'no-space', id: '7' }]);
    expect(p.push('event: empty\n\n')).toEqual([]);
  });
});

describe('CSV export', () => {
  it('quotes what needs quoting and defuses spreadsheet formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
    expect(toCsv(['Week', 'n'], [['w1', 2], ['w2', null]])).toBe('Week,n\r\nw1,2\r\nw2,\r\n');
  });

  it("turns the insights figures into one table per chart, a row per week, with the API's numbers", () => {
    const tables = insightTables([
      { weekStart: '2026-11-30', triageHours: { count: 4, median: 2.25, p90: 10.04 }, decisions: { approved: 3, project: 1, reassigned: 0 }, dailyUpdateShare: 0.756, ticketsOverLimit: 2, escalations: 1, handBacks: 0 },
    ]);
    expect(tables.map((t) => t.id)).toEqual(['triage-time', 'decisions', 'daily-updates', 'over-limit']);
    expect(tables[0]!.rows[0]).toEqual(['2026-11-30 (w/c Mon 30 Nov)', 4, 2.3, 10]);
    expect(tables[1]!.rows[0]!.slice(1)).toEqual([3, 1, 0]);
    expect(tables[2]!.rows[0]![1]).toBe(76);
    expect(tables[3]!.rows[0]!.slice(1)).toEqual([2, 1, 0]);
  });

  it('leaves a week with no figure out of a line instead of drawing it as 0', () => {
    const week = (weekStart: string, median: number | null) => ({
      weekStart,
      triageHours: { count: median === null ? 0 : 1, median, p90: median },
      decisions: { approved: 0, project: 0, reassigned: 0 },
      dailyUpdateShare: null,
      ticketsOverLimit: 0,
      escalations: 0,
      handBacks: 0,
    });
    const points = linePoints([week('2026-11-16', 3), week('2026-11-23', null), week('2026-11-30', 0)], (w) => w.triageHours.median);
    expect(points.map((p) => [p.x.toISOString().slice(0, 10), p.y])).toEqual([
      ['2026-11-16', 3],
      ['2026-11-30', 0],
    ]);
  });
});

describe('format and backoff', () => {
  it("writes instants in the team's zone, whatever the machine's", () => {
    expect(dateIn('2026-06-30T23:30:00Z', 'Europe/London')).toBe('2026-07-01');
    expect(formatWhen('2026-12-02T09:05:00Z', 'Europe/London', '2026-12-02')).toBe('today 09:05');
    expect(formatWhen('2026-07-01T08:00:00Z', 'Europe/London', '2026-12-02')).toBe('Wed 1 Jul 09:00');
    expect(formatWhen(null, 'Europe/London', '2026-12-02')).toBe('never');
    expect(workingDays(0)).toBe('today');
    expect(workingDays(1)).toBe('1 working day');
    expect(formatHours(0.5)).toBe('30 min');
    expect(formatHours(50)).toBe('2.1 days');
  });

  it('backs off from 1 s doubling to a 60 s ceiling, with jitter within ±20 %', () => {
    const mid = (): number => 0.5;
    expect([0, 1, 2, 3, 6, 7, 30].map((a) => backoffMs(a, mid))).toEqual([1000, 2000, 4000, 8000, 60_000, 60_000, 60_000]);
    expect(backoffMs(2, () => 0)).toBe(3200);
    expect(backoffMs(2, () => 0.9999)).toBeLessThanOrEqual(4800);
  });
});
