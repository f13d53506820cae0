/**
 * Where the embedded store's documents' BSON bytes are: in its SQLite file only, read back when a
 * document that is not kept decoded is wanted (see CollectionState's hot documents). Memory holds
 * each document's id key and nothing more, as a database server's client does: a team's years of
 * tickets cost the app a few MB, not their size, and the file's pages are the operating system's
 * cache, not the process's.
 *
 * A write stages its documents here before the file commits them (a stage sees the ones before it);
 * `settle` ends the write: the file then holds what was staged (committed) or what was there before
 * (rolled back, with memory restored by the caller), so the staged bytes are let go either way.
 */
import type { SqliteFile } from './sqlite-file.js';

/** Documents' BSON bytes by id key, in the order their keys were first stored (as a Map's). */
export class FileBodies {
  private readonly ids = new Set<string>();
  /** Bytes staged by the write in progress and not yet in the file; undefined: deleted. */
  private readonly pending = new Map<string, Uint8Array | undefined>();

  constructor(
    private readonly file: SqliteFile,
    private readonly collection: string,
  ) {}

  get size(): number {
    return this.ids.size;
  }

  has(idKey: string): boolean {
    return this.ids.has(idKey);
  }

  keys(): IterableIterator<string> {
    return this.ids.values();
  }

  /** Counts in a document the file already holds (as the store opens). */
  known(idKey: string): void {
    this.ids.add(idKey);
  }

  /** The stored bytes of a document (staged, or read from the file), or undefined. */
  get(idKey: string): Uint8Array | undefined {
    if (this.pending.has(idKey)) return this.pending.get(idKey);
    return this.ids.has(idKey) ? this.file.readBody(this.collection, idKey) : undefined;
  }

  /** Stages `body` for `idKey` (a replacement keeps the key's place in `keys`' order). */
  set(idKey: string, body: Uint8Array): void {
    this.ids.add(idKey);
    this.pending.set(idKey, body);
  }

  /** Stages the document's removal. */
  delete(idKey: string): void {
    if (this.ids.delete(idKey)) this.pending.set(idKey, undefined);
  }

  /** The write in progress is over (committed, or rolled back with memory restored): the file says the rest. */
  settle(): void {
    this.pending.clear();
  }
}
