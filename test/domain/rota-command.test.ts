import { describe, expect, it } from 'vitest';
import { MAX_ROTA_DAYS, parseRotaCommand, rotaRangeProblem } from '../../bot/domain/rota-command.js';

describe('parseRotaCommand', () => {
  const today = '2026-11-26'; // a Thursday

  it('reads a date, a range and the words', () => {
    expect(parseRotaCommand('rota set 2026-12-01 lead Ann@Example.org', today)).toEqual({ ok: true, from: '2026-12-01', to: '2026-12-01', lead: 'ann@example.org' });
    expect(parseRotaCommand('rota set 2026-12-01..2026-12-05 lead ann@example.org', today)).toMatchObject({ from: '2026-12-01', to: '2026-12-05' });
    expect(parseRotaCommand('Rota Set today LEAD ann@example.org', today)).toMatchObject({ from: today, to: today });
    expect(parseRotaCommand('rota set tomorrow lead ann@example.org', today)).toMatchObject({ from: '2026-11-27', to: '2026-11-27' });
    // This week is what is left of it: the days already past cannot be changed.
    expect(parseRotaCommand('rota set this week lead ann@example.org', today)).toMatchObject({ from: '2026-11-26', to: '2026-11-27' });
    expect(parseRotaCommand('rota set this week lead ann@example.org', '2026-11-23')).toMatchObject({ from: '2026-11-23', to: '2026-11-27' });
    expect(parseRotaCommand('rota set next  week lead ann@example.org', today)).toMatchObject({ from: '2026-11-30', to: '2026-12-04' });
    expect(parseRotaCommand('2026-12-01 .. 2026-12-02 lead ann@example.org', today)).toMatchObject({ ok: true, from: '2026-12-01', to: '2026-12-02' });
  });

  it('takes the week of a Sunday to be the one ending that day, with nothing left of it', () => {
    expect(parseRotaCommand('rota set this week lead a@b.org', '2026-11-29')).toEqual({ ok: false, message: 'This week has no days left to set; say "next week" instead.' });
    expect(parseRotaCommand('rota set next week lead a@b.org', '2026-11-29')).toMatchObject({ from: '2026-11-30', to: '2026-12-04' });
  });

  it('rejects anything else and shows the syntax', () => {
    const bad = [
      'rota set lead ann@example.org',
      'rota set yesterday lead ann@example.org',
      'rota set 2026-02-30 lead ann@example.org',
      'rota set 01/12/2026 lead ann@example.org',
      'rota set 2026-12-05..2026-12-01 lead ann@example.org',
      'rota set 2026-01-01..2027-01-02 lead ann@example.org',
      'rota set today lead ann',
      'rota set today',
      '',
    ];
    for (const text of bad) {
      const r = parseRotaCommand(text, today);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.message).toContain('Say it like this: "rota set next week lead ann@example.org"');
      // Teams shows angle brackets in a message as &lt; and &gt;.
      if (!r.ok) expect(r.message).not.toMatch(/[<>]/);
    }
    expect(parseRotaCommand('rota set 2026-12-05..2026-12-01 lead a@b.org', today)).toMatchObject({ message: expect.stringContaining('after it ends') });
  });

  it('reads a support list: e-mails separated by commas or spaces, each once, or nobody', () => {
    expect(parseRotaCommand('rota set next week support Bob@Example.org, cy@example.org bob@example.org', today)).toEqual({
      ok: true,
      from: '2026-11-30',
      to: '2026-12-04',
      support: ['bob@example.org', 'cy@example.org'],
    });
    expect(parseRotaCommand('rota set 2026-12-01 SUPPORT nobody', today)).toEqual({ ok: true, from: '2026-12-01', to: '2026-12-01', support: [] });
    expect(parseRotaCommand('rota set 2026-12-01 support bob', today)).toMatchObject({ ok: false, message: expect.stringContaining('"bob" is not an e-mail address') });
    expect(parseRotaCommand('rota set 2026-12-01 support', today)).toMatchObject({ ok: false, message: expect.stringContaining('I could not read that rota command') });
    const many = Array.from({ length: 21 }, (_, i) => `d${i}@example.org`).join(' ');
    expect(parseRotaCommand(`rota set 2026-12-01 support ${many}`, today)).toMatchObject({ ok: false, message: expect.stringContaining('at most 20') });
    expect(parseRotaCommand('rota set 2026-12-01 lead ann@example.org bob@example.org', today)).toMatchObject({ ok: false });
  });

  it('accepts a range of exactly 366 days', () => {
    expect(parseRotaCommand('rota set 2027-01-01..2028-01-01 lead a@b.org', today)).toMatchObject({ ok: true });
  });
});

describe('rota ranges', () => {
  it('are two real dates in order, covering at most a year', () => {
    expect(rotaRangeProblem('2026-12-01', '2026-12-05')).toBeNull();
    expect(rotaRangeProblem('2026-12-05', '2026-12-01')).toBe('2026-12-05 is after 2026-12-01');
    expect(rotaRangeProblem('2026-02-30', '2026-03-01')).toMatch(/not two YYYY-MM-DD dates/);
    expect(rotaRangeProblem('2026-01-01', '2027-01-01')).toBeNull(); // 366 days
    expect(rotaRangeProblem('2026-01-01', '2027-01-02')).toBe(`2026-01-01..2027-01-02 is longer than ${MAX_ROTA_DAYS} days`);
  });
});
