/**
 * The domain is the process's rules and nothing else (architecture.md): no I/O, no SDK, no LGD
 * shapes, no store. Every file in bot/domain may import only other files of bot/domain (and the
 * Node-free, dependency-free packages listed here, none today): a rule that needs data from
 * outside is given it by its caller (the calendar gets its holidays from bot/calendar/).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const DOMAIN = resolve(import.meta.dirname, '../../bot/domain');

/** Packages the domain may import: pure libraries with no I/O. None is needed today. */
const ALLOWED_PACKAGES: readonly string[] = [];

/** Every module a TypeScript source names: static imports and re-exports, `import type`, dynamic `import()` and `require()`. */
function importedModules(source: string): string[] {
  const specs: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const p of patterns) for (const m of source.matchAll(p)) specs.push(m[1]!);
  return specs;
}

/** Why a module named in `file` is not allowed in the domain, or null when it is. */
function outsideDomain(file: string, spec: string): string | null {
  if (spec.startsWith('.')) {
    const target = resolve(dirname(file), spec);
    return relative(DOMAIN, target).startsWith('..') ? `${spec} is outside bot/domain` : null;
  }
  const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
  return ALLOWED_PACKAGES.includes(pkg) ? null : `${spec} is a package or a Node module`;
}

describe('bot/domain imports nothing from outside it', () => {
  const files = readdirSync(DOMAIN, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join(DOMAIN, f));

  it('finds the domain files and the imports in them', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(importedModules(readFileSync(join(DOMAIN, 'ticket.ts'), 'utf8'))).toContain('./outbox.js');
  });

  it('each file imports only bot/domain', () => {
    const problems = files.flatMap((f) =>
      importedModules(readFileSync(f, 'utf8'))
        .map((spec) => outsideDomain(f, spec))
        .filter((p): p is string => p !== null)
        .map((p) => `${relative(DOMAIN, f)}: ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it('would catch an LGD type, a store, a package and a Node module', () => {
    const file = join(DOMAIN, 'ticket.ts');
    const named = importedModules(
      [
        "import type { LgdIncident } from '../lgd/lgd-types.js';",
        "import {\n  Store,\n} from '../store/doc-collection.js';",
        "import Holidays from 'date-holidays';",
        "export { x } from 'node:fs';",
        "import 'zod';",
        "const m = await import('mongodb');",
      ].join('\n'),
    );
    expect(named.map((s) => outsideDomain(file, s))).toEqual([
      '../lgd/lgd-types.js is outside bot/domain',
      '../store/doc-collection.js is outside bot/domain',
      'date-holidays is a package or a Node module',
      'node:fs is a package or a Node module',
      'zod is a package or a Node module',
      'mongodb is a package or a Node module',
    ]);
  });
});
