/**
 * The entry point with Application Insights configured: telemetry starts before the app's modules
 * load, so the HTTP instrumentation sees restify's server and the app's requests reach Application
 * Insights; the connection string never shows in the log; a stop flushes what is buffered. The
 * process runs under the network guard (the distro probes Azure's VM metadata address when it
 * starts): its ingestion endpoint is a local recorder, and nothing else leaves the machine.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/app-process.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const KEY = '7e1e7e1e-0000-4000-8000-00000000c0de';

/** A certificate for 127.0.0.1, made for this run (the exporter sends over HTTPS only); null without openssl. */
function selfSignedCertificate(dir: string): { key: string; cert: string } | null {
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
  if (made.error || made.status !== 0) return null;
  return { key: join(dir, 'key.pem'), cert: join(dir, 'cert.pem') };
}

type Envelope = { name?: string; data?: { baseData?: Record<string, unknown> } };

/** An Application Insights ingestion endpoint on 127.0.0.1 (HTTPS) that keeps every envelope posted to it. */
async function startIngestion(tls: { key: string; cert: string }): Promise<{ url: string; envelopes: Envelope[]; server: Server }> {
  const envelopes: Envelope[] = [];
  const server = createServer({ key: readFileSync(tls.key), cert: readFileSync(tls.cert) }, (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      // The track endpoint takes a JSON array of envelopes, or newline-delimited ones.
      const text = body.toString('utf8').trim();
      const parsed = (text.startsWith('[') ? JSON.parse(text) : text.split('\n').map((l) => JSON.parse(l) as unknown)) as Envelope[];
      envelopes.push(...parsed);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ itemsReceived: envelopes.length, itemsAccepted: envelopes.length, errors: [] }));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `https://127.0.0.1:${(server.address() as { port: number }).port}/`, envelopes, server };
}

const sleep = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const certDir = mkdtempSync(join(tmpdir(), 'lgd-telemetry-tls-'));
dirs.push(certDir);
const tls = selfSignedCertificate(certDir);

describe('the entry point with APPLICATIONINSIGHTS_CONNECTION_STRING', () => {
  it.skipIf(!tls)(`reports the app's requests to Application Insights, hides the connection string, and flushes on stop${tls ? '' : ' (skipped: openssl is missing, needed for a local HTTPS ingestion endpoint; apt-get install -y openssl)'}`, { timeout: 120_000 }, async () => {
    if (!tls) return;
    const ingestion = await startIngestion(tls);
    const dataDir = mkdtempSync(join(tmpdir(), 'lgd-telemetry-'));
    dirs.push(dataDir);
    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', '--import', './test/support/network-guard-preload.ts', 'bot/index.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? tmpdir(),
        PORT: String(port),
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        DEMO_REPLAY_SPEED: '0',
        APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=${KEY};IngestionEndpoint=${ingestion.url};LiveEndpoint=http://127.0.0.1:9/`,
        APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
        // The exporter trusts the local endpoint's certificate; every span is kept (the default rate limit drops a short run's first ones).
        NODE_EXTRA_CA_CERTS: tls.cert,
        OTEL_TRACES_SAMPLER: 'always_on',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr?.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
    try {
      let healthy = false;
      for (const end = Date.now() + 60_000; !healthy && Date.now() < end && child.exitCode === null; await sleep(250)) {
        healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
      }
      expect(healthy, out).toBe(true);
      expect((await fetch(`http://127.0.0.1:${port}/api/tickets?pageSize=1`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await Promise.race([exited, sleep(20_000).then(() => 'still running')]), out).toBe(0);
    ingestion.server.close();

    expect(out).toContain('Application Insights on');
    expect(out).not.toContain(KEY);
    const requests = ingestion.envelopes.filter((e) => e.name?.endsWith('.Request'));
    const urls = requests.map((e) => e.data?.baseData?.url).filter((u): u is string => typeof u === 'string');
    expect(urls.some((u) => u.includes('/healthz')), JSON.stringify(urls)).toBe(true);
    expect(urls.some((u) => u.includes('/api/tickets')), JSON.stringify(urls)).toBe(true);
    const guardLine = /network-guard: (\{.*\})/.exec(out)?.[1];
    expect(guardLine, out).toBeDefined();
    const refused = (JSON.parse(guardLine ?? '{}') as { refused: string[] }).refused;
    expect(refused.filter((h) => h !== '169.254.169.254')).toEqual([]);
  });
});
