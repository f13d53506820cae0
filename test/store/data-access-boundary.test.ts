import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { COLLECTIONS } from '../../bot/store/collections.js';
import { scanDataAccess } from '../support/data-access-scan.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The table's names that cannot be everyday words elsewhere in the code (`teams` is also an audit source). */
const DISTINCTIVE = Object.values(COLLECTIONS).filter((n) => n.includes('_'));

const temps: string[] = [];
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A throw-away tree with these files under it. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'lgd-boundary-'));
  temps.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('only bot/store/ reaches the data', () => {
  it('no file outside bot/store/ imports the driver, opens a collection, holds the collection port or names a collection', () => {
    expect(scanDataAccess(ROOT, DISTINCTIVE)).toEqual([]);
  });

  it('names each collection once, in one table, each for one concept', () => {
    const names = Object.values(COLLECTIONS);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z][a-z_]*$/);
  });

  it('finds each way of reaching the data from outside bot/store/, and a repository spelling a name', () => {
    const root = tree({
      'bot/teams/a.ts': "import type { Filter } from 'mongodb';\nconst x = 1;\n",
      'bot/teams/b.ts': "const people = store.collection<Person>('people');\n",
      'bot/sync/c.ts': "export function f(state: DocCollection<SyncStateDoc>) {}\n",
      'bot/sync/d.ts': "const cursors = db['collection'](name);\nconst kind = 'sync_state';\n",
      'bot/backlog/e.ts': "const { MongoClient } = await import('mongodb');\n",
      'bot/store/f-repository.ts': "this.col = store.collection<X>('backlog_requests');\nthis.ok = store.collection<X>(COLLECTIONS.rota);\n",
      'bot/store/collections.ts': "export const COLLECTIONS = { rota: 'rota' };\n",
      'bot/teams/fine.ts': "const source = 'teams';\nconst collections = ['a'];\n",
    });
    const found = scanDataAccess(root, DISTINCTIVE).map((f) => `${f.file}:${f.line} ${f.rule}`).sort();
    expect(found).toEqual([
      'bot/backlog/e.ts:1 imports the MongoDB driver',
      'bot/store/f-repository.ts:1 a collection opened by a name written out, not from COLLECTIONS',
      'bot/sync/c.ts:1 uses the store\'s collection port',
      'bot/sync/d.ts:1 opens a collection',
      'bot/sync/d.ts:2 names the collection sync_state',
      'bot/teams/a.ts:1 imports the MongoDB driver',
      'bot/teams/b.ts:1 opens a collection',
    ]);
  });
});
