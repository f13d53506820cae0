/**
 * E-mail addresses / UPNs typed by people (leads, area contacts, people to tell): parsed without
 * backtracking, bounded in length and number, lower-cased.
 */

/** Longest address accepted (RFC 5321's path limit). */
export const EMAIL_MAX = 254;

/** Most addresses one list may name. */
export const EMAILS_MAX = 20;

/** Longest list text read at all. */
const LIST_TEXT_MAX = EMAILS_MAX * (EMAIL_MAX + 2);

// Disjoint character classes around one `@` and bounded repeats: linear time on any input.
const ADDRESS = /^[^\s@<>()[\]\\,;:"]{1,64}@[^\s@<>()[\]\\,;:"]{1,189}$/;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** One address, lower-cased, or why it is not one. */
export function parseEmail(text: string): Parsed<string> {
  const s = text.trim().toLowerCase();
  if (!s) return { ok: false, message: 'Give an e-mail address.' };
  if (s.length > EMAIL_MAX || !ADDRESS.test(s) || s.startsWith('.') || s.endsWith('.')) {
    return { ok: false, message: `"${s.slice(0, 60)}${s.length > 60 ? '…' : ''}" is not an e-mail address.` };
  }
  return { ok: true, value: s };
}

/** A list of addresses separated by commas, semicolons or spaces: at least one, at most EMAILS_MAX, each valid. */
export function parseEmails(text: string, opts: { allowEmpty?: boolean } = {}): Parsed<string[]> {
  if (text.length > LIST_TEXT_MAX) return { ok: false, message: `That list is too long: name at most ${EMAILS_MAX} e-mail addresses.` };
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (parts.length === 0) return opts.allowEmpty ? { ok: true, value: [] } : { ok: false, message: 'Name at least one e-mail address.' };
  if (parts.length > EMAILS_MAX) return { ok: false, message: `Name at most ${EMAILS_MAX} e-mail addresses.` };
  const out: string[] = [];
  for (const p of parts) {
    const one = parseEmail(p);
    if (!one.ok) return one;
    if (!out.includes(one.value)) out.push(one.value);
  }
  return { ok: true, value: out };
}
