/**
 * Measures what the tab loads before its first view renders, from Vite's manifest of a built tab
 * (`npm run build:tab`): the entry chunk and everything it imports statically, and that plus the
 * default view's chunk (the queue) with its static imports. Sizes are gzip (level 6, as servers
 * send them) and raw. Also lists any chart-library module found in those chunks (there must be none).
 *
 *   npx tsx tab/measure-bundle.ts [distDir]
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** Vite's manifest entry (the fields used here). */
interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

/** One set of files loaded together, and their size. */
export interface LoadSet {
  files: string[];
  rawBytes: number;
  gzipBytes: number;
}

export interface BundleReport {
  /** The entry chunk (index.html's script) and its static imports, with index.html itself. */
  initial: LoadSet;
  /** `initial` plus the queue view's chunk and its static imports: all that loads before the queue shows. */
  firstView: LoadSet;
  /** Every chunk file that holds a module of the chart library (d3 included). */
  chartChunks: string[];
  /** Chart-library modules found in `firstView`'s chunks (must be empty). */
  chartModulesInFirstView: string[];
}

/** The default tab distribution folder. */
export const TAB_DIST = join(dirname(fileURLToPath(import.meta.url)), 'dist');

/** The source path of the view the tab opens on by default. */
export const FIRST_VIEW_SRC = 'src/views/queue-view.tsx';

const CHART_MODULE = /node_modules\/(@fluentui\/react-charts|@fluentui\/chart-utilities|d3-[a-z-]+)\//;

function closure(manifest: Record<string, ManifestChunk>, roots: string[]): string[] {
  const seen = new Set<string>();
  const visit = (key: string): void => {
    if (seen.has(key)) return;
    const chunk = manifest[key];
    if (!chunk) throw new Error(`the manifest names ${key} but has no entry for it`);
    seen.add(key);
    for (const imp of chunk.imports ?? []) visit(imp);
  };
  roots.forEach(visit);
  return [...seen];
}

function loadSet(dist: string, files: string[]): LoadSet {
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const f of files) {
    const buf = readFileSync(join(dist, f));
    rawBytes += buf.length;
    gzipBytes += gzipSync(buf, { level: 6 }).length;
  }
  return { files, rawBytes, gzipBytes };
}

/** Measures a built tab in `dist` (default tab/dist). */
export function measureBundle(dist = TAB_DIST): BundleReport {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const chunkModules = JSON.parse(readFileSync(join(dist, '.vite/chunk-modules.json'), 'utf8')) as Record<string, Record<string, number>>;
  const entryKey = Object.keys(manifest).find((k) => manifest[k]?.isEntry);
  if (!entryKey) throw new Error('the manifest has no entry chunk');
  if (!manifest[FIRST_VIEW_SRC]) throw new Error(`the manifest has no chunk for ${FIRST_VIEW_SRC}`);
  const filesOf = (keys: string[]): string[] => [...new Set(keys.flatMap((k) => [manifest[k]!.file, ...(manifest[k]!.css ?? [])]))];
  const initialFiles = ['index.html', ...filesOf(closure(manifest, [entryKey]))];
  const firstFiles = ['index.html', ...filesOf(closure(manifest, [entryKey, FIRST_VIEW_SRC]))];
  const chartChunks = Object.entries(chunkModules)
    .filter(([, mods]) => Object.keys(mods).some((m) => CHART_MODULE.test(m)))
    .map(([file]) => file);
  const chartModulesInFirstView = firstFiles.flatMap((f) => Object.keys(chunkModules[f] ?? {}).filter((m) => CHART_MODULE.test(m)));
  return { initial: loadSet(dist, initialFiles), firstView: loadSet(dist, firstFiles), chartChunks, chartModulesInFirstView };
}

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = measureBundle(process.argv[2] ?? TAB_DIST);
  console.log(`initial (entry + static imports): ${kb(r.initial.gzipBytes)} gzip, ${kb(r.initial.rawBytes)} raw, ${r.initial.files.length} files`);
  console.log(`first view (+ queue view chunk):  ${kb(r.firstView.gzipBytes)} gzip, ${kb(r.firstView.rawBytes)} raw, ${r.firstView.files.length} files`);
  console.log(`chart chunks (loaded on demand):  ${r.chartChunks.join(', ') || 'none'}`);
  console.log(`chart modules before first view:  ${r.chartModulesInFirstView.length}`);
}
