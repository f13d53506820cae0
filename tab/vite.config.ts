import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const TAB_ROOT = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = join(TAB_ROOT, '..');

/** Where the chunk map goes: beside Vite's own manifest, read by tab/measure-bundle.ts. */
export const CHUNK_MODULES_FILE = '.vite/chunk-modules.json';

/**
 * Writes which source modules each output chunk holds (paths relative to the repository, with their minified length), so the
 * bundle check can prove that the chart library is only in chunks loaded on demand.
 */
function chunkModules(): Plugin {
  return {
    name: 'lgd-chunk-modules',
    apply: 'build',
    writeBundle(options, bundle) {
      const out: Record<string, Record<string, number>> = {};
      for (const item of Object.values(bundle)) {
        if (item.type !== 'chunk') continue;
        out[item.fileName] = Object.fromEntries(Object.entries(item.modules).map(([id, m]) => [relative(REPO_ROOT, id.replace(/^\0/, '')), m.renderedLength]));
      }
      const file = join(options.dir ?? join(TAB_ROOT, 'dist'), CHUNK_MODULES_FILE);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(out, null, 1));
    },
  };
}

/**
 * The tab: built from tab/ into tab/dist/, served by the app's server under /tab/ (same origin as
 * /api). `npm run dev:tab` serves it with hot reload and forwards /api to the app on 127.0.0.1:3978.
 */
export default defineConfig({
  root: TAB_ROOT,
  base: '/tab/',
  plugins: [react(), chunkModules()],
  build: {
    outDir: join(TAB_ROOT, 'dist'),
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1000,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: false,
    proxy: { '/api': { target: 'http://127.0.0.1:3978', changeOrigin: false } },
  },
});
