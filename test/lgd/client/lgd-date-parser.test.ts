import { describe, expect, it } from 'vitest';
import { LgdDateParser } from '../../../bot/lgd/client/lgd-date-parser.js';
import { parseLgdDate } from '../../../bot/lgd/lgd-date.js';

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
