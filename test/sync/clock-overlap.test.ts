import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { formatLgdDate, parseLgdDate } from '../../bot/lgd/lgd-date.js';
import type { LgdPort, ListIncidentsQuery } from '../../bot/lgd/lgd-port.js';
import type { LgdIncident } from '../../bot/lgd/lgd-types.js';
import { decisionPatterns } from '../../bot/domain/triage-decision.js';
import { authorDirectory } from '../../bot/domain/note-author.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import type { Store } from '../../bot/store/doc-collection.js';
import { TicketRepository } from '../../bot/store/ticket-repository.js';
import { ReferenceRepository } from '../../bot/store/reference-repository.js';
import { SyncWorker } from '../../bot/sync/sync-worker.js';
import { SyncStateRepository } from '../../bot/store/sync-state-repository.js';

const FMT = 'dd/MM/yyyy HH:mm:ss';
const ZONE = 'Europe/London';
/** Sortable wall-clock text, as a server that keeps local times compares them. */
const wall = (d: Date): string => formatLgdDate(d, 'yyyyMMddHHmmss', ZONE);

/**
 * An LGD that stores and compares LastUpdate as London wall-clock time, as an on-premises
 * server does: in the hour the clocks go back, a later change can show an earlier time.
 */
class WallClockLgd implements Pick<LgdPort, 'listIncidents'> {
  readonly rows: { inc: Omit<LgdIncident, 'lastUpdate' | 'createdAt'>; at: Date }[] = [];

  async listIncidents(q: ListIncidentsQuery = {}): Promise<LgdIncident[]> {
    const since = q.changedSince ? wall(q.changedSince) : '';
    return this.rows
      .filter((r) => wall(r.at) > since && (!q.groups || q.groups.includes(r.inc.groupTitle ?? '')))
      .map((r) => {
        // The client sees the string and parses it: the repeated hour reads as its first pass.
        const seen = parseLgdDate(formatLgdDate(r.at, FMT, ZONE), FMT, ZONE)!;
        return { ...r.inc, createdAt: seen, lastUpdate: seen };
      });
  }
}

function port(fake: WallClockLgd): LgdPort {
  const none = async (): Promise<never[]> => [];
  return {
    listIncidents: (q) => fake.listIncidents(q),
    openIncident: async () => {
      throw new Error('not used');
    },
    listNotes: none,
    listSupportGroups: none,
    listAnalysts: none,
    listResolutionCategories: none,
    addNote: async () => ({ key: null }),
    addAssignment: async () => ({ key: null }),
    resolve: async () => ({ key: null }),
    updateEndUser: async () => ({ key: null }),
  };
}

const incident = (id: number): Omit<LgdIncident, 'lastUpdate' | 'createdAt'> => ({
  key: `key-${id}`,
  id,
  title: `Ticket ${id}`,
  description: '',
  status: 'Active',
  groupTitle: 'LGSS-IT-Digital',
  groupKey: 'g',
  userTitle: null,
  userKey: null,
  raiseUser: null,
  priority: null,
  category: null,
});

let store: Store | undefined;
let dir: string | undefined;
afterEach(async () => {
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function worker(fake: WallClockLgd, overlapMs: number): Promise<{ sync: SyncWorker; tickets: TicketRepository }> {
  dir = mkdtempSync(join(tmpdir(), 'lgd-dst-'));
  store = await openEmbeddedStore({ dataDir: dir });
  const tickets = new TicketRepository(store, {
    groups: ['LGSS-IT-Digital'],
    resolvedStatuses: ['Resolved'],
    resolvedStatus: 'Resolved',
    patterns: decisionPatterns({ approved: ['Approved'], project: ['Project'] }),
    deciders: 'analysts',
  });
  const sync = new SyncWorker({
    lgd: port(fake),
    tickets,
    reference: new ReferenceRepository(store),
    state: new SyncStateRepository(store),
    groups: ['LGSS-IT-Digital'],
    resolvedStatuses: ['Resolved'],
    authors: async () => authorDirectory({ service: [], analysts: [], team: [] }),
    overlapMs,
    logger: pino({ level: 'silent' }),
  });
  return { sync, tickets };
}

describe('the cursor overlap covers the hour the clocks go back', () => {
  async function scenario(overlapMs: number): Promise<boolean> {
    const fake = new WallClockLgd();
    const { sync, tickets } = await worker(fake, overlapMs);
    fake.rows.push({ inc: incident(1), at: new Date('2026-10-25T00:50:00Z') }); // 01:50 BST
    await sync.syncOnce();
    fake.rows.push({ inc: incident(2), at: new Date('2026-10-25T01:10:00Z') }); // 01:10 GMT, twenty minutes later
    await sync.syncOnce();
    return (await tickets.get('key-2')) !== null;
  }

  it('misses a change in the repeated hour without an overlap (the quirk is real)', async () => {
    expect(await scenario(0)).toBe(false);
  });

  it('finds it with the default 65-minute overlap', async () => {
    expect(await scenario(65 * 60_000)).toBe(true);
  });
});
