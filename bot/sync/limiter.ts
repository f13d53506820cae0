/**
 * A gate that runs the calls given to it with at most `limit` in flight, in the order given, each
 * call's promise settling as the call does. Once a call fails, no call waiting starts: each is
 * refused with that first failure (nothing runs on behind a caller that gives up).
 */
export function limiter(limit: number): <R>(fn: () => Promise<R>) => Promise<R> {
  const max = Math.max(1, limit);
  let active = 0;
  let failure: { error: unknown } | undefined;
  const waiting: (() => void)[] = [];
  const next = (): void => {
    while (active < max && waiting.length > 0) {
      active++;
      (waiting.shift() as () => void)();
    }
  };
  return async <R>(fn: () => Promise<R>): Promise<R> => {
    await new Promise<void>((resolve) => {
      waiting.push(resolve);
      next();
    });
    try {
      if (failure) throw failure.error;
      try {
        return await fn();
      } catch (error) {
        failure ??= { error };
        throw error;
      }
    } finally {
      active--;
      next();
    }
  };
}
