import { describe, expect, it } from 'vitest';
import { MAX_SUPPORT, rotaWriteRefusal } from '../../bot/domain/rota-rules.js';

describe('who and when the rota may be set for', () => {
  const known = new Set(['ann@example.org', 'bob@example.org', 'cy@example.org']);
  const today = '2026-12-02';
  const base = { today, known, named: [], supportLists: [] };

  it('lets a triager set today and later days for team members and mapped people', () => {
    expect(rotaWriteRefusal({ ...base, from: today, to: '2026-12-11', named: [{ field: 'lead', email: 'Ann@Example.org' }] })).toBeNull();
  });

  it('refuses a day already past, naming it and today', () => {
    expect(rotaWriteRefusal({ ...base, from: '2026-12-01', to: '2026-12-04' })).toEqual({
      field: 'from',
      message: 'The rota cannot be changed for days already past: Tue 2026-12-01 is before today (Wed 2026-12-02). Nothing was changed.',
    });
  });

  it('refuses someone who is neither a team member nor a mapped person, naming the field', () => {
    const r = rotaWriteRefusal({ ...base, from: today, to: today, named: [{ field: 'support.1', email: 'eve@elsewhere.example' }] });
    expect(r?.field).toBe('support.1');
    expect(r?.message).toMatch(/^eve@elsewhere.example is neither a member of the team nor a person mapped to LGD/);
  });

  it('refuses unreal, reversed and over-long ranges with the field at fault', () => {
    expect(rotaWriteRefusal({ ...base, from: '2026-02-30', to: '2026-12-03' })?.field).toBe('from');
    expect(rotaWriteRefusal({ ...base, from: '2026-12-03', to: '2026-13-01' })?.field).toBe('to');
    expect(rotaWriteRefusal({ ...base, from: '2026-12-04', to: '2026-12-03' })?.field).toBe('from');
    expect(rotaWriteRefusal({ ...base, from: '2026-12-04', to: '2027-12-05' })).toMatchObject({ field: 'to', message: expect.stringContaining('longer than 366 days') });
  });

  it('refuses a support list with someone twice, or longer than the limit', () => {
    expect(rotaWriteRefusal({ ...base, from: today, to: today, supportLists: [{ field: 'pattern.mon.support', emails: ['bob@example.org', 'BOB@example.org'] }] })).toEqual({
      field: 'pattern.mon.support.1',
      message: 'bob@example.org is on the support list twice. Nothing was changed.',
    });
    const many = Array.from({ length: MAX_SUPPORT + 1 }, (_, i) => `d${i}@example.org`);
    expect(rotaWriteRefusal({ ...base, from: today, to: today, supportLists: [{ field: 'support', emails: many }] })?.field).toBe('support');
  });
});
