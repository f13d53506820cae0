import { describe, expect, it } from 'vitest';
import { limiter } from '../../bot/sync/limiter.js';

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 1));

describe('limiter', () => {
  it('runs at most `limit` calls at once, starting them in the order given, each settling as its call does', async () => {
    const gate = limiter(3);
    let active = 0;
    let most = 0;
    const started: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        gate(async () => {
          started.push(i);
          active++;
          most = Math.max(most, active);
          for (let k = 0; k < 1 + (i % 3); k++) await tick();
          active--;
          return i * 2;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 12 }, (_, i) => i * 2));
    expect(started).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(most).toBe(3);
  });

  it('starts no waiting call once one failed, refusing each with that failure; calls in flight finish', async () => {
    const gate = limiter(2);
    const started: number[] = [];
    let finished = 0;
    const calls = Array.from({ length: 6 }, (_, i) =>
      gate(async () => {
        started.push(i);
        await tick();
        if (i === 0) throw new Error('LGD refused');
        await tick();
        finished++;
        return i;
      }),
    );
    const settled = await Promise.allSettled(calls);
    expect(settled[0]).toMatchObject({ status: 'rejected', reason: new Error('LGD refused') });
    expect(settled[1]).toEqual({ status: 'fulfilled', value: 1 });
    expect(finished).toBe(1);
    expect(started).toEqual([0, 1]);
    for (const s of settled.slice(2)) expect(s).toMatchObject({ status: 'rejected', reason: new Error('LGD refused') });
  });
});
