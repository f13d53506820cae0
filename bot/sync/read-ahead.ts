/**
 * Iterates `source` with its next item already being read while the caller works on the current
 * one (one item ahead, no more). When the caller stops early or fails, the read in flight is let
 * finish (nothing runs on behind the caller's back), its failure handed to `dropped`, and the
 * source closed.
 */
export async function* readAhead<T>(source: AsyncIterable<T>, dropped: (err: unknown) => void): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  // Settled into a value, never rejected: a read that fails while the caller is busy must not be an unhandled rejection.
  const read = (): Promise<{ ok: true; r: IteratorResult<T> } | { ok: false; err: unknown }> =>
    it.next().then(
      (r) => ({ ok: true as const, r }),
      (err: unknown) => ({ ok: false as const, err }),
    );
  let ahead: ReturnType<typeof read> | null = read();
  try {
    for (;;) {
      const got = await ahead;
      ahead = null;
      if (!got.ok) throw got.err;
      if (got.r.done) return;
      ahead = read();
      yield got.r.value;
    }
  } finally {
    if (ahead) {
      const got = await ahead;
      if (!got.ok) dropped(got.err);
      else if (!got.r.done) await it.return?.();
    }
  }
}
