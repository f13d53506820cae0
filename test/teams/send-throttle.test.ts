import { describe, expect, it } from 'vitest';
import { SendThrottle } from '../../bot/teams/send-throttle.js';

/** A throttle on a fake clock that moves only when it sleeps. */
function throttle(globalMax = 40): { t: SendThrottle; clock: { now: number } } {
  const clock = { now: 0 };
  const t = new SendThrottle({
    now: () => clock.now,
    sleep: async (ms) => {
      clock.now += ms;
    },
    globalWindows: [{ ms: 1000, max: globalMax }],
  });
  return { t, clock };
}

/** Checks that no `ms` window holds more than `max` of the sorted slot times. */
function withinLimit(slots: number[], ms: number, max: number): boolean {
  const s = [...slots].sort((a, b) => a - b);
  return s.every((x, i) => i + max >= s.length || (s[i + max] ?? 0) - x >= ms);
}

describe('SendThrottle', () => {
  it('spaces one conversation 200 ms apart, 8 per 2 s and 60 per 30 s', async () => {
    const { t } = throttle(1000);
    const slots: number[] = [];
    for (let i = 0; i < 130; i++) slots.push(await t.slot('c1'));
    expect(slots.slice(0, 9)).toEqual([0, 200, 400, 600, 800, 1000, 1200, 1400, 2000]);
    expect(withinLimit(slots, 200, 1)).toBe(true);
    expect(withinLimit(slots, 1000, 7)).toBe(true);
    expect(withinLimit(slots, 2000, 8)).toBe(true);
    expect(withinLimit(slots, 30_000, 60)).toBe(true);
    expect(withinLimit(slots, 30_000, 59)).toBe(false); // the 30 s window is what binds in the long run
  });

  it('caps all conversations together', async () => {
    const { t } = throttle(5);
    const slots = await Promise.all(Array.from({ length: 12 }, (_, i) => t.slot(`c${i}`)));
    expect(slots.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(withinLimit(slots, 1000, 5)).toBe(true);
    expect(Math.max(...slots)).toBe(2000);
  });

  it('runs one conversation\'s tasks in order, even when one fails, without blocking others', async () => {
    const { t } = throttle();
    const order: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const a1 = t.serial('a', async () => {
      await gate;
      order.push('a1');
      throw new Error('a1 failed');
    });
    const a2 = t.serial('a', async () => order.push('a2'));
    const b1 = t.serial('b', async () => order.push('b1'));
    await b1;
    expect(order).toEqual(['b1']);
    release();
    await expect(a1).rejects.toThrow('a1 failed');
    await a2;
    expect(order).toEqual(['b1', 'a1', 'a2']);
  });
});
