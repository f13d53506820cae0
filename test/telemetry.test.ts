import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startTelemetry } from '../bot/telemetry.js';
import { guardNetwork } from './support/network-guard.js';

function capturingLogger(): { logger: pino.Logger; lines: () => { level: number; msg: string; err?: string }[]; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  return {
    logger: pino({ level: 'debug' }, stream),
    lines: () => chunks.join('').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level: number; msg: string; err?: string }),
    text: () => chunks.join(''),
  };
}

// Nothing leaves the machine: the ingestion and live endpoints are a closed loopback port, and the
// guard refuses any other destination (the distro probes Azure's VM metadata address on start).
const guard = guardNetwork();
afterAll(() => guard.restore());
const DUMMY = 'InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=https://127.0.0.1:9/;LiveEndpoint=https://127.0.0.1:9/';

describe('startTelemetry', () => {
  it('does nothing without a connection string: the SDK is not even loaded', async () => {
    for (const none of [undefined, '', '   ']) {
      const log = capturingLogger();
      let loaded = false;
      const t = await startTelemetry(none, log.logger, async () => {
        loaded = true;
        throw new Error('must not load');
      });
      expect(t.enabled).toBe(false);
      expect(loaded).toBe(false);
      await expect(t.shutdown()).resolves.toBeUndefined();
      expect(log.lines().some((l) => /Application Insights off/.test(l.msg))).toBe(true);
    }
    expect(guard.attempts).toEqual([]);
  });

  it('goes on without telemetry, and says so, when the distro refuses the connection string', async () => {
    const log = capturingLogger();
    const t = await startTelemetry('not-a-connection-string', log.logger);
    expect(t.enabled).toBe(false);
    const warning = log.lines().find((l) => l.level === 40);
    expect(warning?.msg).toMatch(/did not start; running without it/);
    expect(log.text()).not.toContain('not-a-connection-string');
  });

  it('starts the Azure Monitor distro with a dummy connection string, offline, and shuts down cleanly', async () => {
    process.env.APPLICATION_INSIGHTS_NO_STATSBEAT = 'true'; // the SDK's own usage pings: off in tests
    const log = capturingLogger();
    const t = await startTelemetry(DUMMY, log.logger);
    expect(t.enabled).toBe(true);
    expect(log.lines().some((l) => l.msg === 'Application Insights on')).toBe(true);
    expect(log.text()).not.toContain('00000000-0000-4000-8000-000000000000');
    await expect(t.shutdown()).resolves.toBeUndefined();
    expect(guard.attempts.filter((a) => !a.allowed).every((a) => a.host === '169.254.169.254')).toBe(true);
    expect(guard.attempts.filter((a) => a.allowed).every((a) => a.host === '127.0.0.1' && a.port === 9)).toBe(true);
  });
});
