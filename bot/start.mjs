// `npm start`: runs the built server (dist/bot/index.js) with plain Node, building it first when
// dist/ is missing or was built from other sources (a fresh clone, a pull, an edit). The check is
// a hash of the sources, a few milliseconds, so a restart of an unchanged app starts at once and
// needs no compiler; `npm run dev` runs the TypeScript directly instead.
import { pathToFileURL } from 'node:url';
import { build, ENTRY, needsBuild } from './build.mjs';

if (needsBuild()) {
  console.log('Building the server into dist/ first (its sources changed since the last build, or it was never built)...');
  try {
    build();
  } catch (err) {
    console.error(`Start-up failed: the server could not be built. ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
await import(pathToFileURL(ENTRY).href);
