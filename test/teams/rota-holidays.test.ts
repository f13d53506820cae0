/**
 * The `rota` command over the Christmas holidays: the next working day skips the bank holidays of
 * England and Wales and the team's days off, and the days in between are named. The command runs
 * against the embedded store and the real holiday library, on a clock set to Christmas Eve 2026.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CalendarSource } from '../../bot/calendar/calendar-source.js';
import type { Store } from '../../bot/store/doc-collection.js';
import { DaysOffRepository } from '../../bot/store/days-off-repository.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import type { Actor } from '../../bot/teams/actions/action-handler.js';
import type { CommandPorts } from '../../bot/teams/commands/chat-command.js';
import { rotaShow } from '../../bot/teams/commands/rota-show.js';
import { RotaRepository } from '../../bot/store/rota-repository.js';

let store: Store;
let dir: string;
let daysOff: DaysOffRepository;
let rota: RotaRepository;

/** `rota` asked at `iso`: the facts of its card's top part (today, the next working day), by title. */
async function rotaAt(iso: string): Promise<Map<string, string>> {
  return (await rotaCard(iso))[0] ?? new Map();
}

/** `rota` asked at `iso`: each FactSet of its card (today and the next working day; the week ahead), by title. */
async function rotaCard(iso: string): Promise<Map<string, string>[]> {
  const now = () => new Date(iso);
  const ports: Pick<CommandPorts, 'calendar' | 'now' | 'rota' | 'people' | 'leads'> = {
    calendar: new CalendarSource({ timeZone: 'Europe/London', region: 'GB-ENG', daysOff, clock: now }),
    now,
    rota,
    people: { byEmails: async () => [] } as unknown as CommandPorts['people'],
    leads: { emails: async () => [] } as unknown as CommandPorts['leads'],
  };
  const reply = await rotaShow.handle(/^rota$/i.exec('rota')!, {} as Actor, { kind: 'personal', conversationId: 'c', teamId: null }, ports as CommandPorts);
  const sets: Map<string, string>[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.type === 'FactSet') sets.push(new Map((o.facts as { title: string; value: string }[]).map((f) => [f.title, f.value])));
      Object.values(o).forEach(walk);
    }
  };
  walk('card' in reply ? reply.card.body : []);
  return sets;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lgd-rota-holidays-'));
  store = await openEmbeddedStore({ dataDir: dir });
  daysOff = new DaysOffRepository(store, () => new Date('2026-12-01T09:00:00Z'));
  rota = new RotaRepository(store, () => new Date('2026-12-01T09:00:00Z'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('rota over Christmas', () => {
  it('on Thursday 24 December 2026 the next working day is Tuesday 29 December, and the bank holidays before it are named', async () => {
    await rota.set('2026-12-29', '2026-12-29', { email: 'ann@example.org', name: 'Ann Lead' }, 'test');
    const facts = await rotaAt('2026-12-24T10:00:00Z');
    expect([...facts.keys()]).toEqual(['Today, Thu 2026-12-24', 'Not working days before then', 'Next working day, Tue 2026-12-29']);
    expect(facts.get('Not working days before then')).toBe('Fri 2026-12-25 Christmas Day; Mon 2026-12-28 Boxing Day (substitute day)');
    expect(facts.get('Next working day, Tue 2026-12-29')).toBe('Ann Lead (ann@example.org)');
  });

  it("on Christmas Day itself, today's title names it", async () => {
    const facts = await rotaAt('2026-12-25T10:00:00Z');
    expect([...facts.keys()][0]).toBe('Today, Fri 2026-12-25 (Christmas Day)');
  });

  it("a team day off on Christmas Eve moves Wednesday 23 December's next working day to the 29th", async () => {
    expect([...(await rotaAt('2026-12-23T10:00:00Z')).keys()]).toEqual(['Today, Wed 2026-12-23', 'Next working day, Thu 2026-12-24']);
    await daysOff.set('2026-12-24', 'Christmas Eve', 'Ann Lead');
    const facts = await rotaAt('2026-12-23T10:00:00Z');
    expect(facts.get('Not working days before then')).toBe('Thu 2026-12-24 Christmas Eve; Fri 2026-12-25 Christmas Day; Mon 2026-12-28 Boxing Day (substitute day)');
    expect([...facts.keys()].at(-1)).toBe('Next working day, Tue 2026-12-29');
  });

  it('shows the week ahead: who leads and who is on support each working day, the bank holidays and weekends by name, and a support list never set', async () => {
    await rota.set('2026-12-22', '2026-12-23', { email: 'ann@example.org', name: 'Ann Lead' }, 'test');
    await rota.setSupport('2026-12-22', '2026-12-22', [{ email: 'bob@example.org', name: 'Bob Dev' }, { email: 'cy@example.org', name: 'Cy Dev' }], 'test');
    await rota.setSupport('2026-12-23', '2026-12-23', [], 'test');
    const [, week] = await rotaCard('2026-12-22T10:00:00Z');
    expect([...week!.entries()]).toEqual([
      ['Tue 2026-12-22', 'Lead: Ann Lead (ann@example.org) · Support: Bob Dev, Cy Dev'],
      ['Wed 2026-12-23', 'Lead: Ann Lead (ann@example.org) · Support: nobody'],
      ['Thu 2026-12-24', 'Lead: nobody (a gap) · Support: not set (support rota not in use)'],
      ['Fri 2026-12-25 (Christmas Day)', 'Christmas Day — bank holiday, not a working day'],
      ['Sat 2026-12-26', 'weekend'],
      ['Sun 2026-12-27', 'weekend'],
      ['Mon 2026-12-28 (Boxing Day (substitute day))', 'Boxing Day (substitute day) — bank holiday, not a working day'],
    ]);
  });
});
