/**
 * Where the embedded store keeps its documents' BSON bytes: packed one after another in chunks of
 * memory outside V8's heap, by id key. A collection of years of tickets is mostly these bytes; as
 * a string or a Buffer each, they would sit among the garbage a sync makes on V8's pages, which the
 * garbage collector then keeps (it compacts few pages), so the process would hold two or three
 * times their size after a first sync. Packed densely they cost their size, and V8's heap only
 * holds a number per document.
 *
 * Chunk bytes are never overwritten: a changed document is appended, and a chunk whose live bytes
 * fall under three quarters of what it holds has them copied on to the current one and is dropped. So a
 * view `get` returned stays valid (and unchanged) for as long as anyone holds it.
 *
 * Chunks double in size as the collection grows (a settings collection takes a few KiB, years of
 * tickets chunks of up to 64 MiB), each twice what the collection holds. Jumping to 64 MiB chunks
 * early (own mappings, whose unwritten pages cost nothing) was tried: the replay-slice sync, which
 * opens a fresh store each time, ran three times slower.
 */

/** The largest chunk, and the factor of a slot's chunk number (see `slots`): above the largest BSON document (16 MiB). */
const CHUNK_BYTES = 1 << 26;
/** The first chunk of a collection. */
const FIRST_CHUNK_BYTES = 1 << 16;
/** A chunk holding less than this is never compacted (a few documents changed often cost little). */
const COMPACT_FROM_BYTES = 1 << 18;

/** The length of the BSON document starting at `at` (its first four bytes, little-endian). */
function bsonLength(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

/** BSON documents by id key, packed in chunks (see the file's comment). */
export class BodyArena {
  /** Where each document is: its chunk's number times CHUNK_BYTES plus its offset there. */
  private readonly slots = new Map<string, number>();
  private readonly chunks: (Uint8Array | undefined)[] = [];
  /** Bytes of documents still stored, by chunk. */
  private readonly live: number[] = [];
  /** Bytes written, by chunk (the current one fills up; the others are full). */
  private readonly filled: number[] = [];
  /** The chunk new documents go to. */
  private current = -1;

  get size(): number {
    return this.slots.size;
  }

  has(idKey: string): boolean {
    return this.slots.has(idKey);
  }

  keys(): IterableIterator<string> {
    return this.slots.keys();
  }

  /** The stored bytes of a document: a view never overwritten (see the file's comment). */
  get(idKey: string): Uint8Array | undefined {
    const slot = this.slots.get(idKey);
    if (slot === undefined) return undefined;
    const chunk = this.chunks[Math.floor(slot / CHUNK_BYTES)]!;
    const at = slot % CHUNK_BYTES;
    return chunk.subarray(at, at + bsonLength(chunk, at));
  }

  /** Stores a copy of `body` (a BSON document) for `idKey`, replacing what it had (in its place in `keys`' order). */
  set(idKey: string, body: Uint8Array): void {
    const old = this.slots.get(idKey);
    this.slots.set(idKey, this.append(body));
    if (old !== undefined) this.release(old);
  }

  delete(idKey: string): void {
    const slot = this.slots.get(idKey);
    if (slot === undefined) return;
    this.slots.delete(idKey);
    this.release(slot);
  }

  /** Counts the document at `slot` out of its chunk, dropping the chunk when it is mostly garbage. */
  private release(slot: number): void {
    const c = Math.floor(slot / CHUNK_BYTES);
    this.live[c]! -= bsonLength(this.chunks[c]!, slot % CHUNK_BYTES);
    if (this.filled[c]! >= COMPACT_FROM_BYTES && this.live[c]! * 4 < this.filled[c]! * 3) this.drop(c);
  }

  /** Bytes of the documents stored. */
  private liveBytes(): number {
    let sum = 0;
    for (const n of this.live) sum += n;
    return sum;
  }

  /** Copies `body` into the current chunk (a new one when it is full), returning its slot. */
  private append(body: Uint8Array): number {
    const length = body.byteLength;
    if (length > CHUNK_BYTES) throw new RangeError(`a document of ${length} bytes is larger than the store holds`);
    if (this.current < 0 || this.filled[this.current]! + length > this.chunks[this.current]!.byteLength) {
      // Twice what the collection holds, so the chunks of a growing collection double.
      let size = FIRST_CHUNK_BYTES;
      const wanted = 2 * this.liveBytes() + length;
      while (size < wanted && size < CHUNK_BYTES) size *= 2;
      this.current = this.chunks.length;
      this.chunks.push(new Uint8Array(size));
      this.live.push(0);
      this.filled.push(0);
    }
    const c = this.current;
    const at = this.filled[c]!;
    this.chunks[c]!.set(body, at);
    this.filled[c] = at + length;
    this.live[c]! += length;
    return c * CHUNK_BYTES + at;
  }

  /** Moves the documents still in chunk `c` to the current chunk (a new one when `c` is current) and lets `c` go. */
  private drop(c: number): void {
    const chunk = this.chunks[c]!;
    if (c === this.current) this.current = -1;
    if (this.live[c]! > 0) {
      for (const [idKey, slot] of this.slots) {
        if (Math.floor(slot / CHUNK_BYTES) !== c) continue;
        const at = slot % CHUNK_BYTES;
        this.slots.set(idKey, this.append(chunk.subarray(at, at + bsonLength(chunk, at))));
      }
    }
    this.chunks[c] = undefined;
    this.live[c] = 0;
    this.filled[c] = 0;
  }
}
