/**
 * Runs synchronous work now and hands its result, or its throw, over as a promise: the embedded
 * store does its work synchronously (hence atomically), but its port is the driver's async one,
 * where a failure is a rejection, never a throw at the call.
 */
export function settled<R>(work: () => R): Promise<R> {
  return new Promise<R>((resolve) => resolve(work()));
}
