/** The retry schedule for an unavailable API: 1 s doubling to 60 s, with ±20 % jitter so tabs do not retry in step. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(60_000, 1000 * 2 ** Math.max(0, Math.min(attempt, 16)));
  const jitter = 1 + (random() * 0.4 - 0.2);
  return Math.round(Math.min(60_000, base * jitter));
}
