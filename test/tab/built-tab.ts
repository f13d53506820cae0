import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The repository root. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
/** Where the tab is built to. */
export const TAB_DIST = join(REPO_ROOT, 'tab/dist');

const MANIFEST = join(TAB_DIST, '.vite/manifest.json');
const LOCK = join(REPO_ROOT, 'tab/.build-lock');
const INPUTS = ['tab/src', 'tab/index.html', 'tab/vite.config.ts', 'package-lock.json'];

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}

/** True when tab/dist exists and is newer than every file it is built from. */
function upToDate(): boolean {
  if (!existsSync(MANIFEST) || !existsSync(join(TAB_DIST, '.vite/chunk-modules.json'))) return false;
  const built = statSync(MANIFEST).mtimeMs;
  return INPUTS.every((p) => newest(join(REPO_ROOT, p)) <= built);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Builds the tab (`npm run build:tab`) unless tab/dist is newer than its sources. Test files run in
 * separate processes: a lock folder keeps two of them from building at once.
 */
export async function ensureTabBuilt(): Promise<string> {
  for (let waited = 0; ; waited += 250) {
    if (upToDate()) return TAB_DIST;
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (waited > 120_000) throw new Error(`${LOCK} has been held for two minutes: remove it if no build is running`);
      await sleep(250);
    }
  }
  try {
    if (!upToDate()) {
      await promisify(execFile)(process.execPath, [join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'tab/vite.config.ts', '--logLevel', 'warn'], {
        cwd: REPO_ROOT,
        timeout: 180_000,
        // Under vitest NODE_ENV is "test", which would make Vite bundle React's development build.
        env: { ...process.env, NODE_ENV: 'production' },
      });
    }
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
  return TAB_DIST;
}
