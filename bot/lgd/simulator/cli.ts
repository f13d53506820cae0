/**
 * `npm run simulator -- --port <n> [--replay] [--speed <x>] [--error-rate <0..1>] [--drop-rate <0..1>]
 *   [--apply-then-drop-rate <0..1>] [--timeout-rate <0..1>] [--apply-then-timeout-rate <0..1>] [--hang-ms <ms>]
 *   [--session-expiry-rate <0..1>] [--throttle-rate <0..1>] [--late-apply-rate <0..1>] [--late-apply-ms <ms>]
 *   [--gateway-error-rate <0..1>] [--apply-then-gateway-error-rate <0..1>] [--gateway-timeout-while-working-rate <0..1>] [--latency <ms|min-max>] [--seed <n>]
 *   [--expired <403|redirect|html>]`
 *
 * Runs the LGD simulator on 127.0.0.1 and prints its base URL. Log-on credentials come from
 * LGD_USERNAME (default `lgd.service`) and LGD_PASSWORD (default `lgd-simulator`): these are
 * the simulator's own throw-away credentials, not a real LGD account. Without --replay a small
 * demo data set is seeded; with it, the shipped replay's history is applied and its future plays
 * at --speed (default 60, 0 = frozen). Stops on SIGINT / SIGTERM.
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { z } from 'zod';
import type { Replay } from '../replay/replay-event.js';
import { seedDemoData } from './demo-data.js';
import { startLgdSimulator } from './lgd-simulator.js';

const rate = z.coerce.number().min(0).max(1).optional();

const cliSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(0),
  host: z.string().default('127.0.0.1'),
  replay: z.boolean().default(false),
  speed: z.coerce.number().min(0).default(60),
  'error-rate': rate,
  'drop-rate': rate,
  'apply-then-drop-rate': rate,
  'timeout-rate': rate,
  'apply-then-timeout-rate': rate,
  'hang-ms': z.coerce.number().int().min(0).optional(),
  'session-expiry-rate': rate,
  'throttle-rate': rate,
  'late-apply-rate': rate,
  'late-apply-ms': z.coerce.number().int().min(0).optional(),
  'gateway-error-rate': rate,
  'apply-then-gateway-error-rate': rate,
  'gateway-timeout-while-working-rate': rate,
  latency: z
    .string()
    .regex(/^\d+(-\d+)?$/, 'use <ms> or <min>-<max>')
    .optional(),
  seed: z.coerce.number().int().optional(),
  expired: z.enum(['403', 'redirect', 'html']).default('403'),
});

const envSchema = z.object({
  LGD_USERNAME: z.string().min(1).default('lgd.service'),
  LGD_PASSWORD: z.string().min(1).default('lgd-simulator'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

async function loadShippedReplay(now: Date): Promise<Replay> {
  try {
    const mod = (await import('../replay/load-replay.js')) as { loadReplay: (o?: { now?: Date }) => Promise<Replay> };
    return await mod.loadReplay({ now });
  } catch (err) {
    throw new Error(`--replay needs bot/lgd/replay/load-replay.ts and its data slice; run without --replay for demo data.`, {
      cause: err,
    });
  }
}

function latencyOf(text: string | undefined): number | [number, number] | undefined {
  if (text === undefined) return undefined;
  const [a, b] = text.split('-').map(Number) as [number, number | undefined];
  return b === undefined ? a : [a, b];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      replay: { type: 'boolean' },
      speed: { type: 'string' },
      'error-rate': { type: 'string' },
      'drop-rate': { type: 'string' },
      'apply-then-drop-rate': { type: 'string' },
      'timeout-rate': { type: 'string' },
      'apply-then-timeout-rate': { type: 'string' },
      'hang-ms': { type: 'string' },
      'session-expiry-rate': { type: 'string' },
      'throttle-rate': { type: 'string' },
      'late-apply-rate': { type: 'string' },
      'late-apply-ms': { type: 'string' },
      'gateway-error-rate': { type: 'string' },
      'apply-then-gateway-error-rate': { type: 'string' },
      'gateway-timeout-while-working-rate': { type: 'string' },
      latency: { type: 'string' },
      seed: { type: 'string' },
      expired: { type: 'string' },
    },
    strict: true,
  });
  const args = cliSchema.parse(values);
  const env = envSchema.parse(process.env);
  // Logs go to stderr so that stdout carries only the base URL.
  const logger = pino({ level: env.LOG_LEVEL }, pino.destination(2));

  const sim = await startLgdSimulator({
    host: args.host,
    port: args.port,
    username: env.LGD_USERNAME,
    password: env.LGD_PASSWORD,
    logger,
    expiredSessionResponse: args.expired,
    faults: {
      seed: args.seed,
      errorRate: args['error-rate'],
      dropRate: args['drop-rate'],
      applyThenDropRate: args['apply-then-drop-rate'],
      timeoutRate: args['timeout-rate'],
      applyThenTimeoutRate: args['apply-then-timeout-rate'],
      hangMs: args['hang-ms'],
      sessionExpiryRate: args['session-expiry-rate'],
      throttleRate: args['throttle-rate'],
      lateApplyRate: args['late-apply-rate'],
      lateApplyMs: args['late-apply-ms'],
      gatewayErrorRate: args['gateway-error-rate'],
      applyThenGatewayErrorRate: args['apply-then-gateway-error-rate'],
      gatewayTimeoutWhileWorkingRate: args['gateway-timeout-while-working-rate'],
      latencyMs: latencyOf(args.latency),
    },
  });
  if (args.replay) {
    const player = sim.loadReplay(await loadShippedReplay(new Date()), { speed: args.speed });
    logger.info({ incidents: sim.state.incidents.size, future: player.pending, speed: args.speed }, 'replay loaded');
  } else {
    seedDemoData(sim.state, new Date());
    logger.info({ incidents: sim.state.incidents.size }, 'demo data seeded');
  }
  process.stdout.write(`${sim.baseUrl}\n`);

  const stop = (signal: string): void => {
    logger.info({ signal }, 'stopping');
    sim.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'close failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
