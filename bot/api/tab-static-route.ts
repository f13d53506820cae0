import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Request, Response } from 'restify';
import type { Route } from '../http/http-server.js';

/** Where the tab is served from. */
export const TAB_PATH = '/tab';

/**
 * Who may show the tab in a frame: Teams on the web, desktop and mobile, and Microsoft 365
 * (docs/tab-api.md); no X-Frame-Options, which would forbid every frame.
 */
export const TAB_FRAME_ANCESTORS = "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.cloud.microsoft https://*.office.com https://*.skype.com";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/** The project's folder: the nearest one above this file with a package.json (bot/api in development, dist/bot/api when built). */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('no package.json above the server: cannot find tab/dist');
    dir = up;
  }
  return dir;
}

/** The built tab (`npm run build` → tab/dist). */
export const defaultTabDist = (): string => join(projectRoot(), 'tab', 'dist');

/** The file a path under /tab/ names inside `dist`, or null when it names nothing that may be served (outside it, a dot file, bad encoding). */
function fileOf(dist: string, pathname: string): string | null {
  const rest = pathname === TAB_PATH ? '' : pathname.slice(TAB_PATH.length + 1);
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const parts = decoded.split('/').filter((p) => p !== '');
  // No "..", no hidden files (Vite's .vite/manifest.json is the build's, not the browser's).
  if (parts.some((p) => p === '..' || p.startsWith('.'))) return null;
  const file = resolve(dist, ...(parts.length > 0 ? parts : ['index.html']));
  return file === dist || file.startsWith(dist + sep) ? file : null;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function send(res: Response, status: number, type: string, body: Buffer | string, cache: string): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': cache,
    'content-security-policy': TAB_FRAME_ANCESTORS,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
  });
  res.end(body);
}

/**
 * Serves the built tab under /tab/ from the same server (same origin as /api): hashed assets
 * cached for a year, index.html never cached, the view routes (`/tab/queue`…) answered with
 * index.html; nothing outside tab/dist, no hidden files; every answer may be framed by Teams only.
 */
export function tabStaticRoutes(dist: string = defaultTabDist()): Route[] {
  const root = resolve(dist);
  const index = join(root, 'index.html');
  const handler = async (req: Request, res: Response): Promise<void> => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const file = fileOf(root, pathname);
    if (!file) return send(res, 404, TYPES['.txt']!, 'Not found.', 'no-store');
    if (await isFile(file)) {
      const immutable = file.startsWith(join(root, 'assets') + sep);
      return send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', await readFile(file), immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    }
    // A view's address (no file extension, not an asset): the single-page app answers it.
    const isView = extname(file) === '' && !file.startsWith(join(root, 'assets') + sep);
    if (isView && (await isFile(index))) return send(res, 200, TYPES['.html']!, await readFile(index), 'no-cache');
    if (!(await isFile(index))) {
      return send(res, 503, TYPES['.html']!, '<!doctype html><title>LGD Support</title><p>The tab is not built yet: run <code>npm run build</code> (or <code>npm start</code>, which builds it).</p>', 'no-store');
    }
    return send(res, 404, TYPES['.txt']!, 'Not found.', 'no-store');
  };
  return [
    { name: 'tab', method: 'get', path: TAB_PATH, handler },
    { name: 'tab files', method: 'get', path: `${TAB_PATH}/*`, handler },
  ];
}
