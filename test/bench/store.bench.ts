/**
 * The embedded store against SQLite used directly, at 25,000 documents, in the same run and with
 * the same pragmas (WAL, synchronous=FULL, exclusive lock): insert one by one, find by a unique
 * field, and a conditional claim (`findOneAndUpdate({ _id, owner: null })`).
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import { alternate, type BenchContext } from './run.js';

const N = 25_000;
const LOOKUPS = 5_000;
const CLAIMS = 5_000;

interface BenchTicket {
  _id: string;
  key: number;
  title: string;
  state: string;
  owner: number | null;
  openedAt: Date;
  tags: string[];
  notes: { by: string; at: Date; text: string }[];
}

/** A small deterministic PRNG, so both sides look up the same keys. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

function ticket(i: number): BenchTicket {
  const at = new Date(Date.UTC(2024, 0, 1) + i * 60_000);
  return {
    _id: `LGD-${String(i).padStart(6, '0')}`,
    key: 100_000 + i,
    title: `Ticket ${i}: printer on floor ${i % 7} is not printing`,
    state: ['new', 'triaged', 'owned'][i % 3] ?? 'new',
    owner: null,
    openedAt: at,
    tags: ['hardware', `site-${i % 11}`],
    notes: [{ by: `user${i % 13}`, at, text: 'Logged by phone; the user says it has happened before.' }],
  };
}

function openBaseline(dir: string): Database.Database {
  mkdirSync(dir, { recursive: true });
  const db = new Database(join(dir, 'baseline.sqlite'));
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE docs (id TEXT PRIMARY KEY, key INTEGER NOT NULL UNIQUE, owner INTEGER, body TEXT NOT NULL)');
  return db;
}

/** Runs the store benchmark. */
export default async function storeBench(ctx: BenchContext): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'store-bench-'));
  try {
    const docs = Array.from({ length: N }, (_, i) => ticket(i));
    const store = await openEmbeddedStore({ dataDir: join(root, 'embedded') });
    const col = store.collection<BenchTicket>('tickets');
    await col.createIndex({ key: 1 }, { unique: true });
    const db = openBaseline(join(root, 'baseline'));
    const insert = db.prepare('INSERT INTO docs (id, key, owner, body) VALUES (?, ?, ?, ?)');
    const byKey = db.prepare<[number], { body: string }>('SELECT body FROM docs WHERE key = ?');
    const claim = db.prepare("UPDATE docs SET owner = ?, body = json_set(body, '$.owner', ?) WHERE id = ? AND owner IS NULL");

    // (a) insert, one document per call (one transaction per call on both sides)
    let bi = 0;
    let si = 0;
    const inserts = await alternate(
      ctx,
      N,
      () => col.insertOne({ ...(docs[si++] as BenchTicket) }),
      () => {
        const d = docs[bi++] as BenchTicket;
        insert.run(d._id, d.key, d.owner, JSON.stringify(d));
      },
      { blocks: 10 },
    );
    ctx.compare(`insert 1 of ${N} (embedded vs SQLite INSERT of JSON)`, inserts.subject, inserts.baseline, 'median');
    ctx.compare(`insert all ${N}`, inserts.subject, inserts.baseline, 'total');

    // (b) find by a unique field (an in-memory index vs SQLite's UNIQUE index + JSON.parse)
    const rnd = prng(42);
    const keys = Array.from({ length: LOOKUPS }, () => 100_000 + Math.floor(rnd() * N));
    let bk = 0;
    let sk = 0;
    const finds = await alternate(
      ctx,
      LOOKUPS,
      () => col.findOne({ key: keys[sk++ % LOOKUPS] }),
      () => {
        const row = byKey.get(keys[bk++ % LOOKUPS] as number);
        return row ? (JSON.parse(row.body) as unknown) : null;
      },
      { blocks: 10 },
    );
    ctx.compare(`findOne by unique field, ${LOOKUPS} random keys`, finds.subject, finds.baseline, 'median');
    ctx.compare(`findOne by unique field, p99`, finds.subject, finds.baseline, 'p99');

    // (c) conditional update: claim an unowned document (the store also returns it)
    const ids = Array.from({ length: CLAIMS }, (_, j) => (docs[(j * 5) % N] as BenchTicket)._id);
    let bc = 0;
    let sc = 0;
    const claims = await alternate(
      ctx,
      CLAIMS,
      () => {
        const owner = sc++;
        return col.findOneAndUpdate({ _id: ids[owner], owner: null }, { $set: { owner } }, { returnDocument: 'after' });
      },
      () => {
        const owner = bc++;
        claim.run(owner, owner, ids[owner]);
      },
      { blocks: 10 },
    );
    ctx.compare(`findOneAndUpdate({ _id, owner: null }), ${CLAIMS} claims`, claims.subject, claims.baseline, 'median');
    const owned = await col.countDocuments({ owner: { $ne: null } });
    const baseOwned = (db.prepare('SELECT count(*) AS n FROM docs WHERE owner IS NOT NULL').get() as { n: number }).n;
    ctx.note('claims that won (embedded / SQLite)', `${owned} / ${baseOwned}`);

    // restart: load time of the whole collection, and sizes
    await store.close();
    db.close();
    const t0 = performance.now();
    const reopened = await openEmbeddedStore({ dataDir: join(root, 'embedded') });
    const count = await reopened.collection<BenchTicket>('tickets').countDocuments();
    ctx.note(`reopen and load ${count} documents`, `${(performance.now() - t0).toFixed(0)} ms`);
    await reopened.close();
    const mb = (p: string): string => (statSync(p).size / 1e6).toFixed(1);
    ctx.note('file size (embedded BSON / SQLite JSON)', `${mb(join(root, 'embedded', 'store.sqlite'))} MB / ${mb(join(root, 'baseline', 'baseline.sqlite'))} MB`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
