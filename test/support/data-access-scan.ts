/**
 * Reads the app's source text for data access outside `bot/store/`: an import of the MongoDB
 * driver, a collection opened by name, the store's collection port, or a collection's name written
 * as a string. Inside `bot/store/`, a collection opened with a name written out instead of taken
 * from the table (`collections.ts`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** One place the rule is broken. */
export interface DataAccessFinding {
  file: string;
  line: number;
  rule: string;
  text: string;
}

const DRIVER = /\bfrom\s+['"]mongodb['"]|\bimport\s*\(\s*['"]mongodb['"]\s*\)|\brequire\s*\(\s*['"]mongodb['"]\s*\)|^\s*import\s+['"]mongodb['"]/;
const OPENS = /\.collection\s*(<|\()|\[\s*['"`]collection['"`]\s*\]/;
const PORT = /\bDocCollection\b/;
const NAMED_OPEN = /\.collection\s*(<[^>]*>)?\s*\(\s*['"`]/;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(e.name)) out.push(p);
  }
  return out;
}

/** The string literals of a line that are exactly a collection's name. */
function namedCollections(line: string, names: ReadonlySet<string>): string[] {
  return [...line.matchAll(/(['"`])([^'"`\\]*)\1/g)].map((m) => m[2] ?? '').filter((s) => names.has(s));
}

/**
 * Every finding under `root/bot`. `names` are the collection names whose spelling alone gives
 * them away (the table's names that are not also everyday words, such as `sync_state`).
 */
export function scanDataAccess(root: string, names: readonly string[]): DataAccessFinding[] {
  const distinctive = new Set(names);
  const findings: DataAccessFinding[] = [];
  for (const file of sourceFiles(join(root, 'bot'))) {
    const rel = relative(root, file).split(sep).join('/');
    const inStore = rel.startsWith('bot/store/');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, i) => {
      const hit = (rule: string): void => void findings.push({ file: rel, line: i + 1, rule, text: text.trim() });
      if (inStore) {
        if (rel !== 'bot/store/collections.ts' && NAMED_OPEN.test(text)) hit('a collection opened by a name written out, not from COLLECTIONS');
        return;
      }
      if (DRIVER.test(text)) hit('imports the MongoDB driver');
      if (OPENS.test(text)) hit('opens a collection');
      if (PORT.test(text)) hit("uses the store's collection port");
      for (const n of namedCollections(text, distinctive)) hit(`names the collection ${n}`);
    });
  }
  return findings;
}
