import { describe, expect, it } from 'vitest';
import { LgdDateParser } from '../../../bot/lgd/client/lgd-date-parser.js';
import { instantOf, parseLgdDate, wallTimeIn } from '../../../bot/lgd/lgd-date.js';

describe('LgdDateParser', () => {
  const format = 'dd/MM/yyyy HH:mm:ss';
  const zone = 'Europe/London';

  it('agrees with parseLgdDate, across a clock change, from memory too', () => {
    const p = new LgdDateParser(format, zone);
    for (const s of ['29/03/2026 00:59:59', '29/03/2026 02:00:00', '25/10/2026 01:30:00', '31/02/2026 10:00:00', 'nonsense']) {
      const want = parseLgdDate(s, format, zone)?.toISOString() ?? null;
      expect(p.parse(s)?.toISOString() ?? null).toBe(want);
      expect(p.parse(s)?.toISOString() ?? null).toBe(want);
    }
  });

  it('hands out a new Date each time, and stays bounded', () => {
    const p = new LgdDateParser(format, zone, 2);
    const a = p.parse('01/01/2026 10:00:00');
    a?.setFullYear(1990);
    expect(p.parse('01/01/2026 10:00:00')?.toISOString()).toBe('2026-01-01T10:00:00.000Z');
    p.parse('02/01/2026 10:00:00');
    p.parse('03/01/2026 10:00:00');
    expect(p.parse('01/01/2026 10:00:00')?.toISOString()).toBe('2026-01-01T10:00:00.000Z');
  });
});

describe('instantOf', () => {
  // Clock changes of whole hours, and a zone without any, at a half-hour offset.
  const zones = ['Europe/London', 'America/New_York', 'Asia/Kolkata'];
  const windows = [Date.UTC(2026, 2, 27), Date.UTC(2026, 9, 23), Date.UTC(2026, 3, 3)];

  it('gives the earliest instant showing each wall time around clock changes, the same from its memory of steady hours', () => {
    for (const zone of zones) {
      for (const from of windows) {
        const first = new Map<number, number>();
        for (let pass = 0; pass < 2; pass++) {
          for (let t = from; t < from + 4 * 86_400_000; t += 11 * 60_000) {
            const w = wallTimeIn(new Date(t), zone);
            const r = instantOf(w, zone).getTime();
            expect(wallTimeIn(new Date(r), zone)).toEqual(w);
            // The same instant, or the earlier one of a repeated hour (or half hour).
            expect([0, 1_800_000, 3_600_000]).toContain(t - r);
            if (pass === 0) first.set(t, r);
            else expect(r).toBe(first.get(t));
          }
        }
      }
    }
  });
});
