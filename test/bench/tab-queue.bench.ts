/**
 * The tab's queue (`GET /api/queue`'s answer, computed as the route does) with 25,000 stored
 * tickets against 1,000, on the embedded store, in the same process: both stores hold the same
 * open tickets (needs triage, approved, owned) and the same recently resolved ones; the larger one
 * adds 24,000 tickets resolved long ago, which the queue must not pay for. Also the tab's initial
 * JavaScript (gzipped), from the tab built afresh into tab/dist.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { currentQueue } from '../../bot/api/queue-route.js';
import { CalendarSource } from '../../bot/calendar/calendar-source.js';
import { SEED_GUIDELINES } from '../../bot/domain/guidelines.js';
import { decisionPatterns } from '../../bot/domain/triage-decision.js';
import type { LgdIncident } from '../../bot/lgd/lgd-types.js';
import { openEmbeddedStore, type EmbeddedStore } from '../../bot/store/embedded-store.js';
import { openRepositories } from '../../bot/store/open-repositories.js';
import { ticketLinker } from '../../bot/teams/card-model-of.js';
import type { CommandPorts } from '../../bot/teams/commands/chat-command.js';
import { measureBundle, TAB_DIST } from '../../tab/measure-bundle.js';
import type { BenchContext } from './run.js';

const GROUP = 'LGSS-IT-Digital';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OPEN = 150;
const RECENT = 150;
const DAY = 86_400_000;

function incident(i: number, now: number, kind: 'open' | 'recent' | 'old'): LgdIncident {
  const created = new Date(now - (kind === 'old' ? 400 + (i % 300) : 10) * DAY - i * 1000);
  const resolved = kind === 'recent' ? new Date(now - (i % 6) * DAY - 3_600_000) : kind === 'old' ? new Date(created.getTime() + 2 * DAY) : created;
  return {
    key: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    id: 100_000 + i,
    title: `Ticket ${i}: the housing repairs dashboard does not load`,
    description: 'The page stays blank after log-on; it worked last week.',
    status: kind === 'open' ? 'Active' : 'Resolved',
    groupTitle: GROUP,
    groupKey: 'group-digital',
    userTitle: null,
    userKey: null,
    raiseUser: `Caller ${i % 500}`,
    priority: '3 - Moderate',
    category: 'Software',
    createdAt: created,
    lastUpdate: resolved,
  };
}

async function storeWith(total: number, now: number): Promise<{ store: EmbeddedStore; dir: string; queue: () => Promise<number> }> {
  const dir = mkdtempSync(join(tmpdir(), 'lgd-queue-bench-'));
  const store = await openEmbeddedStore({ dataDir: dir });
  const repos = await openRepositories(store, {
    rules: { groups: [GROUP], resolvedStatuses: ['Resolved', 'Closed'], resolvedStatus: 'Resolved', patterns: decisionPatterns({ approved: ['Approved'], project: ['Project'] }), deciders: 'analysts' },
    noteAuthors: { serviceUsername: 'lgd.service', leads: () => [] },
  });
  const items: { inc: LgdIncident; notes: [] }[] = [];
  for (let i = 0; i < total; i++) items.push({ inc: incident(i, now, i < OPEN ? 'open' : i < OPEN + RECENT ? 'recent' : 'old'), notes: [] });
  for (let i = 0; i < items.length; i += 1000) await repos.tickets.insertNew(items.slice(i, i + 1000));
  const ports = {
    now: () => new Date(now),
    calendar: new CalendarSource({ timeZone: 'Europe/London', region: 'GB-ENG', daysOff: repos.daysOff, clock: () => new Date(now) }),
    rota: repos.rota,
    people: repos.people,
    guidelines: SEED_GUIDELINES,
    link: ticketLinker('https://lgd.example/open.rails?key={key}'),
  } as unknown as CommandPorts;
  return {
    store,
    dir,
    queue: async () => (await currentQueue({ ports, tickets: repos.tickets, status: repos.status, events: repos.events }, 7)).rows.length,
  };
}

export default async function tabQueueBench(ctx: BenchContext): Promise<void> {
  const now = Date.now();
  const small = await storeWith(1_000, now);
  const large = await storeWith(25_000, now);
  try {
    const rowsSmall = await small.queue();
    const rowsLarge = await large.queue();
    if (rowsSmall !== rowsLarge || rowsSmall !== OPEN + RECENT) throw new Error(`the queues differ: ${rowsSmall} rows with 1,000 tickets, ${rowsLarge} with 25,000 (expected ${OPEN + RECENT})`);
    const base = await ctx.measure(() => small.queue(), { iterations: 40, warmup: 5 });
    const big = await ctx.measure(() => large.queue(), { iterations: 40, warmup: 5 });
    ctx.compare(`GET /api/queue (${rowsLarge} rows) 25,000 tickets vs 1,000`, big, base);
  } finally {
    await small.store.close();
    await large.store.close();
    rmSync(small.dir, { recursive: true, force: true });
    rmSync(large.dir, { recursive: true, force: true });
  }
  // The tab as its sources are now: built afresh (as `npm run build:tab`), or the figure fails.
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) throw new Error(`cannot measure the tab's JavaScript: Vite is not installed (${vite}); run npm ci`);
  const built = spawnSync(process.execPath, [vite, 'build', '--config', join(ROOT, 'tab', 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (built.status !== 0 || !existsSync(join(TAB_DIST, '.vite/manifest.json'))) throw new Error(`cannot measure the tab's JavaScript: its build failed (exit ${built.status})`);
  const report = measureBundle(TAB_DIST);
  const kb = (n: number): number => n / 1024;
  ctx.note('tab: loaded before the first view (index.html + entry, gzip)', `${kb(report.initial.gzipBytes).toFixed(1)} KB gzip (${kb(report.initial.rawBytes).toFixed(0)} KB raw)`, {
    gzipKB: kb(report.initial.gzipBytes),
    rawKB: kb(report.initial.rawBytes),
  });
  ctx.note('tab: with the queue view (gzip)', `${kb(report.firstView.gzipBytes).toFixed(1)} KB gzip (${kb(report.firstView.rawBytes).toFixed(0)} KB raw), limit 200 KB`, {
    gzipKB: kb(report.firstView.gzipBytes),
    rawKB: kb(report.firstView.rawBytes),
  });
}
