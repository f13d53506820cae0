// `npm run build`: compiles bot/ into dist/bot/ with tsc, builds the tab into tab/dist with Vite
// (`npm run build:tab`), and copies beside dist/bot every file the
// server reads at run time (anything in bot/ that is not TypeScript: the replay's incident log and
// its attribution, the playground's files). Last it writes a stamp naming the sources it was built
// from, which `npm start` (bot/start.mjs) compares to decide whether to build again. Plain Node:
// it runs before anything is built.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project folder (this file is in bot/). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the built server is. */
export const DIST = join(ROOT, 'dist');
/** The built entry point. */
export const ENTRY = join(DIST, 'bot', 'index.js');
/** The stamp the build writes last: the hash of the sources it was built from. */
const STAMP = join(DIST, 'build-stamp.json');
/** What the build reads besides bot/: a change to any of these builds again. */
const SETTINGS = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'tab/index.html', 'tab/vite.config.ts', 'tab/tsconfig.json'];
/** The tab's sources (the server imports its API contract from there too). */
const TAB_SOURCES = 'tab/src';
/** Vite, which builds the tab into tab/dist (a dev dependency: without it the server runs and says the tab is not built). */
const VITE = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');

/** Every file under `dir`, as paths relative to the project, sorted. */
function filesUnder(dir) {
  const out = [];
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...filesUnder(rel));
    else if (e.isFile()) out.push(rel);
  }
  return out.sort();
}

/** A hash of the sources' names and contents: unlike modification times, it survives copies and checkouts. */
export function sourcesHash() {
  const h = createHash('sha256');
  for (const rel of [...filesUnder('bot'), ...filesUnder(TAB_SOURCES), ...SETTINGS]) {
    h.update(`${rel}\0`);
    try {
      h.update(readFileSync(join(ROOT, rel)));
    } catch (err) {
      if (err.code !== 'ENOENT') throw err;
      h.update('(none)');
    }
    h.update('\0');
  }
  return h.digest('hex');
}

/** True when dist/ is missing, half-built, or built from other sources than these. */
export function needsBuild() {
  try {
    return JSON.parse(readFileSync(STAMP, 'utf8')).sources !== sourcesHash();
  } catch (err) {
    if (err.code === 'ENOENT' || err instanceof SyntaxError) return true;
    throw err;
  }
}

/** Builds dist/ afresh; throws with tsc's own report when the sources do not compile. */
export function build() {
  const sources = sourcesHash();
  rmSync(DIST, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`tsc found errors (exit ${r.status}); dist/ is not built`);
  let copied = 0;
  for (const rel of filesUnder('bot')) {
    if (/\.(ts|mts|cts)$/.test(rel) || rel === 'bot/build.mjs' || rel === 'bot/start.mjs') continue;
    const to = join(DIST, ...rel.split('/'));
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(join(ROOT, rel), to);
    copied++;
  }
  const tab = buildTab();
  writeFileSync(STAMP, `${JSON.stringify({ sources, builtAt: new Date().toISOString() }, null, 2)}\n`);
  return { copied, entry: relative(ROOT, ENTRY).split(sep).join('/'), tab };
}

/** Builds the tab into tab/dist with Vite (as `npm run build:tab`); false when Vite is not installed (the server then says the tab is not built). */
export function buildTab() {
  if (!existsSync(VITE)) {
    console.warn('The tab is not built: Vite is not installed (npm ci installs it); the server answers /tab/ with how to build it.');
    return false;
  }
  // NODE_ENV production: React's production build, whatever the caller's environment says.
  const r = spawnSync(process.execPath, [VITE, 'build', '--config', join(ROOT, 'tab', 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`the tab's build (vite) failed (exit ${r.status})`);
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { copied, entry, tab } = build();
    console.log(`built ${entry} (and ${copied} files the server reads at run time)${tab ? ' and the tab (tab/dist)' : ''}`);
  } catch (err) {
    console.error(`Build failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
