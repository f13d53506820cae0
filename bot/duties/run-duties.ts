/**
 * `npm run duties -- --at <ISO date-time> [--dry-run]`: runs one duty pass as of that moment against
 * the configured store, for an operator (a pass missed while the app was down, or to see who would
 * get what). With --dry-run it prints who would get what and sends nothing; otherwise it queues the
 * cards and sends them through Teams. Running it twice sends nothing new: the passes are keyed by
 * day and kind in the store, as the app's own scheduler keys them. The duties read the tickets as
 * the app's sync last stored them from LGD; the embedded store is locked by a running app, so stop
 * it first (with MongoDB the app may keep running: its scheduler and this share the keys).
 */
import '../silence-http-parser-warning.js';
import { envWithDotenv, loadConfig } from '../config.js';
import { DataDirInUse } from '../errors.js';
import { createLogger } from '../logger.js';
import { openStore } from '../store/open-store.js';
import { openRepositories } from '../store/open-repositories.js';
import { ticketRules } from '../app.js';
import { CommandService } from '../sync/command-service.js';
import { ticketLinker } from '../teams/card-model-of.js';
import { createBotAdapter } from '../teams/bot-adapter.js';
import { BotProactiveSender } from '../teams/proactive-sender.js';
import { NoticeDeliverer } from '../teams/notice-deliverer.js';
import { buildDuties } from './build-duties.js';

const USAGE = 'usage: npm run duties -- --at <ISO date-time, e.g. 2026-12-02T14:05:00Z> [--dry-run]';

/** The command line, checked: a moment that is a real date-time, and whether to send. */
function parseDutyArgs(argv: readonly string[]): { at: Date; dryRun: boolean } | { error: string } {
  let at: Date | null = null;
  let dryRun = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dry-run') dryRun = true;
    else if (a === '--at') {
      const v = argv[++i] ?? '';
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) || Number.isNaN(Date.parse(v))) {
        return { error: `--at must be an ISO date-time with its zone, e.g. 2026-12-02T14:05:00Z (got "${v}")` };
      }
      at = new Date(v);
    } else return { error: `unknown argument "${a}"` };
  }
  return at ? { at, dryRun } : { error: '--at is required' };
}

async function main(): Promise<number> {
  const args = parseDutyArgs(process.argv.slice(2));
  if ('error' in args) {
    console.error(`${args.error}\n${USAGE}`);
    return 2;
  }
  const config = loadConfig(envWithDotenv());
  const logger = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, pretty: !config.production });
  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await openStore({ mongodbUri: config.mongodb.uri, dbName: config.mongodb.dbName, dataDir: config.dataDir, logger: logger.child({ component: 'store' }) });
  } catch (err) {
    if (err instanceof DataDirInUse) {
      console.error(`${err.advice}\nThe app is running on this store: stop it first, then run npm run duties again (its own scheduler runs the same passes while it runs).`);
      return 3;
    }
    throw err;
  }
  try {
    const repos = await openRepositories(store, { rules: ticketRules(config), noteAuthors: { serviceUsername: config.lgd.username, leads: () => config.teams.leads } });
    const link = ticketLinker(
      config.teams.ticketLink ?? `${config.lgd.url ?? 'http://127.0.0.1'}/${config.lgd.mapping.paths.open}?class_name=${encodeURIComponent(config.lgd.mapping.classes.incident)}&key={key}`,
    );
    const duties = buildDuties({ config, repos, commands: new CommandService(repos.tickets), link, logger: logger.child({ component: 'duties' }), clock: () => args.at });
    const report = await duties.runAt(args.at, { dryRun: args.dryRun });
    console.log(`Duties for ${report.day} as of ${args.at.toISOString()}${args.dryRun ? ' (dry run: nothing is sent)' : ''}`);
    if (report.kinds.length === 0) console.log('  nothing is due: not a working day');
    else console.log(`  passes due: ${report.kinds.join(', ')}`);
    for (const i of report.items) console.log(`  ${i.status.padEnd(7)} ${i.kind.padEnd(12)} → ${i.to}: ${i.about}`);
    if (report.items.length === 0 && report.kinds.length > 0) console.log('  nothing new: every pass due was done already');
    if (args.dryRun) return 0;
    // What the pass journaled with tickets (a long-work raise) moves to the queue; then the queue is sent.
    for (let pass = 0; pass < 100; pass++) if ((await repos.journal.drain()).tickets === 0) break;
    const sender = new BotProactiveSender({ adapter: createBotAdapter(config.bot, logger), appId: config.bot.appId ?? '', conversations: repos.conversations, logger });
    const notices = new NoticeDeliverer({ notices: repos.notices, sender, tickets: repos.tickets, audit: repos.audit, logger: logger.child({ component: 'notices' }) });
    // This process holds the embedded store's lock: a message still claimed is a stopped process's
    // (an earlier run killed mid-send), due now rather than when its claim runs out.
    if (store.exclusive) {
      const freed = await repos.notices.releaseAbandonedClaims();
      if (freed > 0) console.log(`  ${freed} message(s) an earlier run was sending when it stopped are sent now`);
    }
    const total = { sent: 0, retrying: 0, unreachable: 0 };
    for (let pass = 0; pass < 20; pass++) {
      const r = await notices.deliverDue();
      total.sent += r.sent.length;
      total.retrying += r.retrying.length;
      total.unreachable += r.unreachable.length;
      if (r.sent.length + r.retrying.length + r.unreachable.length === 0) break;
    }
    console.log(`  sent ${total.sent}, to retry ${total.retrying} (the app's worker retries them), unreachable ${total.unreachable}`);
    return 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('The duty pass failed:', err);
    process.exit(1);
  },
);
