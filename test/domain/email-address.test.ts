import { describe, expect, it } from 'vitest';
import { EMAILS_MAX, parseEmail, parseEmails } from '../../bot/domain/email-address.js';

describe('parseEmails', () => {
  it('reads addresses separated by commas, semicolons or spaces, lower-cased, once each', () => {
    expect(parseEmails('PDM@Example.org, dsa@example.org;x.y@sub.example.org  pdm@example.org')).toEqual({
      ok: true,
      value: ['pdm@example.org', 'dsa@example.org', 'x.y@sub.example.org'],
    });
  });

  it('refuses no address, a malformed one and too many, saying which', () => {
    expect(parseEmails('  ,, ')).toEqual({ ok: false, message: 'Name at least one e-mail address.' });
    expect(parseEmails('', { allowEmpty: true })).toEqual({ ok: true, value: [] });
    expect(parseEmails('ann@example.org, bob')).toEqual({ ok: false, message: '"bob" is not an e-mail address.' });
    for (const bad of ['a@b@c', '<a@b.org>', '[a](https://x)@y', 'a@b.org)', '@b.org', 'a@']) expect(parseEmail(bad).ok, bad).toBe(false);
    const many = Array.from({ length: EMAILS_MAX + 1 }, (_, i) => `p${i}@example.org`).join(',');
    expect(parseEmails(many)).toEqual({ ok: false, message: `Name at most ${EMAILS_MAX} e-mail addresses.` });
  });

  it('answers 100,000 characters of near-addresses quickly and bounded', () => {
    const started = performance.now();
    expect(parseEmails(`${'a'.repeat(50_000)}@${'b'.repeat(50_000)}`).ok).toBe(false);
    expect(parseEmail(`${'a'.repeat(50_000)}@${'@'.repeat(50_000)}`).ok).toBe(false);
    expect(parseEmail(`${'a.'.repeat(50_000)}`).ok).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
