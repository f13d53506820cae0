// `npm start`: runs the built server (dist/bot/index.js) with plain Node, building it first when
// dist/ is missing or was built from other sources (a fresh clone, a pull, an edit). The check is
// a hash of the sources, a few milliseconds, so a restart of an unchanged app starts at once and
// needs no compiler; `npm run dev` runs the TypeScript directly instead.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, DIST, ENTRY, needsBuild } from './build.mjs';

// `node bot/start.mjs duties …` (`npm run duties`) runs an operator's command from the same build
// instead of the server, so production (no dev tools installed) can run it too.
const TOOLS = { duties: join(DIST, 'bot', 'duties', 'run-duties.js') };
const tool = Object.hasOwn(TOOLS, process.argv[2] ?? '') ? TOOLS[process.argv[2]] : null;
if (tool) process.argv.splice(2, 1);

if (needsBuild()) {
  console.log('Building the server into dist/ first (its sources changed since the last build, or it was never built)...');
  try {
    build();
  } catch (err) {
    console.error(`Start-up failed: the server could not be built. ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
await import(pathToFileURL(tool ?? ENTRY).href);
