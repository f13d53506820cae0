/**
 * The built tab, served by the app itself under /tab/ (same origin as /api): the right content
 * types and cache headers, a frame policy that lets Teams (and only Teams) show it, the single-page
 * app answering its view addresses, and nothing outside tab/dist.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/test-app.js';
import { ensureTabBuilt } from '../tab/built-tab.js';

let app: Awaited<ReturnType<typeof startTestApp>>;
let dist = '';

beforeAll(async () => {
  dist = await ensureTabBuilt();
  app = await startTestApp({ DEMO_REPLAY_SPEED: '0' }, { startWorker: false });
}, 240_000);
afterAll(async () => {
  await app?.close();
});

const raw = async (path: string): Promise<{ status: number; type: string | null; cache: string | null; csp: string | null; frame: string | null; body: string }> => {
  // A raw request line: fetch would normalise ".." and "%2e%2e" away before sending.
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: app.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: res.headers['content-type'] ?? null,
          cache: (res.headers['cache-control']) ?? null,
          csp: (res.headers['content-security-policy'] as string | undefined) ?? null,
          frame: (res.headers['x-frame-options'] as string | undefined) ?? null,
          body,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
};

describe('serving the tab', () => {
  it('answers /tab/ and /tab with index.html, never cached, framable by Teams only', async () => {
    for (const path of ['/tab/', '/tab', '/tab/index.html']) {
      const r = await raw(path);
      expect(r.status, path).toBe(200);
      expect(r.type, path).toBe('text/html; charset=utf-8');
      expect(r.cache, path).toBe('no-cache');
      expect(r.body, path).toContain('<div id="root">');
      expect(r.csp, path).toMatch(/^frame-ancestors 'self' https:\/\/teams\.microsoft\.com https:\/\/\*\.teams\.microsoft\.com /);
      expect(r.frame, path).toBeNull();
    }
  });

  it('serves the hashed assets with their content type, cached for a year', async () => {
    const assets = readdirSync(join(dist, 'assets'));
    const js = assets.find((f) => f.endsWith('.js'))!;
    const r = await raw(`/tab/assets/${js}`);
    expect(r.status).toBe(200);
    expect(r.type).toBe('text/javascript; charset=utf-8');
    expect(r.cache).toBe('public, max-age=31536000, immutable');
    const css = assets.find((f) => f.endsWith('.css'));
    if (css) expect((await raw(`/tab/assets/${css}`)).type).toBe('text/css; charset=utf-8');
    const index = (await raw('/tab/')).body;
    for (const src of [...index.matchAll(/(?:src|href)="(\/tab\/[^"]+)"/g)].map((m) => m[1]!)) expect((await raw(src)).status, src).toBe(200);
  });

  it('answers a view address with the app (it routes itself), but a missing asset with 404', async () => {
    const view = await raw('/tab/queue');
    expect(view.status).toBe(200);
    expect(view.body).toContain('<div id="root">');
    expect((await raw('/tab/assets/no-such-file.js')).status).toBe(404);
  });

  it('serves nothing outside tab/dist, and no hidden files', async () => {
    for (const path of ['/tab/../package.json', '/tab/%2e%2e/package.json', '/tab/%2e%2e%2fpackage.json', '/tab/..%2f..%2fpackage.json', '/tab/.vite/manifest.json', '/tab/%2evite/manifest.json', '/tab/assets/%00x.js', '/tab/%E0%A4%A']) {
      const r = await raw(path);
      expect([400, 404], path).toContain(r.status);
      expect(r.body, path).not.toContain('"dependencies"');
      expect(r.body, path).not.toContain('"file"');
    }
  });
});
