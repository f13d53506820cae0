import { LIMITS, PATTERN_DAYS, type PatternDay, type RotaDaySetting, type RotaWrite } from '../api/contract.js';

/** What the rota editor's form holds. Text fields as typed; `support` one e-mail per entry. */
export interface RotaForm {
  mode: 'day' | 'range' | 'pattern';
  from: string;
  to: string;
  /** Day / range: the lead ('' leaves it; `clearLead` clears it) and the support list. */
  lead: string;
  clearLead: boolean;
  support: string[];
  /** Day / range: whether to write the support list at all ('keep', 'set', 'clear'). */
  supportAction: 'keep' | 'set' | 'clear';
  /** Pattern: per weekday; a weekday with neither is left out. */
  pattern: Partial<Record<PatternDay, { lead: string; support: string[] }>>;
}

export type RotaFormCheck = { ok: true; body: RotaWrite } | { ok: false; field: string; message: string };

const ISO = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function realDate(s: string): boolean {
  if (!ISO.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === s;
}

function emails(list: readonly string[], field: string): { ok: true; value: string[] } | { ok: false; field: string; message: string } {
  const value = list.map((e) => e.trim().toLowerCase()).filter(Boolean);
  const bad = value.findIndex((e) => !EMAIL.test(e));
  if (bad >= 0) return { ok: false, field: `${field}.${bad}`, message: `"${value[bad]}" is not an e-mail address.` };
  if (new Set(value).size !== value.length) return { ok: false, field, message: 'Someone is on the support list twice.' };
  if (value.length > LIMITS.support) return { ok: false, field, message: `At most ${LIMITS.support} people can be on support on one day.` };
  return { ok: true, value };
}

/**
 * Checks the form the way the server will (dates, order, not in the past, at most 366 days,
 * e-mails) so the person hears at once, and builds the `PUT /api/rota` body. `today` is the team's
 * date from the API. The server checks again and is the one that decides.
 */
export function rotaWriteOf(form: RotaForm, today: string): RotaFormCheck {
  const from = form.from.trim();
  const to = (form.mode === 'day' ? form.from : form.to).trim();
  if (!realDate(from)) return { ok: false, field: 'from', message: 'Choose a date (YYYY-MM-DD).' };
  if (!realDate(to)) return { ok: false, field: 'to', message: 'Choose the last date (YYYY-MM-DD).' };
  if (from > to) return { ok: false, field: 'to', message: 'The range ends before it starts.' };
  if (from < today) return { ok: false, field: 'from', message: 'The rota cannot be changed for days already past.' };
  const span = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
  if (span > LIMITS.rotaDays) return { ok: false, field: 'to', message: `A range can cover at most ${LIMITS.rotaDays} days.` };

  if (form.mode !== 'pattern') {
    const setting: RotaDaySetting = {};
    const lead = form.lead.trim().toLowerCase();
    if (form.clearLead) setting.lead = null;
    else if (lead) {
      if (!EMAIL.test(lead)) return { ok: false, field: 'lead', message: `"${lead}" is not an e-mail address.` };
      setting.lead = lead;
    }
    if (form.supportAction === 'clear') setting.support = null;
    if (form.supportAction === 'set') {
      const s = emails(form.support, 'support');
      if (!s.ok) return s;
      setting.support = s.value;
    }
    if (!('lead' in setting) && !('support' in setting)) return { ok: false, field: 'lead', message: 'Choose an Operations Lead or the people on support.' };
    return { ok: true, body: { from, to, ...setting } };
  }

  const pattern: Partial<Record<PatternDay, RotaDaySetting>> = {};
  for (const day of PATTERN_DAYS) {
    const p = form.pattern[day];
    if (!p) continue;
    const setting: RotaDaySetting = {};
    const lead = p.lead.trim().toLowerCase();
    if (lead) {
      if (!EMAIL.test(lead)) return { ok: false, field: `pattern.${day}.lead`, message: `"${lead}" is not an e-mail address.` };
      setting.lead = lead;
    }
    const s = emails(p.support, `pattern.${day}.support`);
    if (!s.ok) return s;
    if (s.value.length > 0) setting.support = s.value;
    if ('lead' in setting || 'support' in setting) pattern[day] = setting;
  }
  if (Object.keys(pattern).length === 0) return { ok: false, field: 'pattern', message: 'Set a lead or people on support for at least one weekday.' };
  return { ok: true, body: { from, to, pattern } };
}
