/**
 * Who and when the rota may be set for (issue 12: "a rota entry for a date in the past or for
 * someone who is neither a team member nor a mapped person: refused with the reason; nothing
 * written"). One rule for the chat's `rota set` and the tab's `PUT /api/rota`. Pure: the caller
 * says which e-mails the app knows (its people and its leads).
 */
import { EMAILS_MAX } from './email-address.js';
import { rotaRangeProblem } from './rota-command.js';
import { isIsoDate, withWeekday } from './iso-date.js';

/** Most developers on support one day may list. */
export const MAX_SUPPORT = EMAILS_MAX;

/** Why a rota write is refused, and the input at fault (`from`, `lead`, `support.2`, `pattern.mon.lead`…). */
export interface RotaRefusal {
  field: string;
  message: string;
}

/** Someone a rota write names, and the input that named them. */
export interface NamedOnRota {
  field: string;
  email: string;
}

/** A support list a rota write sets, and the input that holds it. */
export interface SupportListOnRota {
  field: string;
  emails: readonly string[];
}

/**
 * Why the rota may not be written from..to naming these people, or null when it may: the range
 * must be real and at most a year, start today or later (a day already past is history), every
 * person must be a team member or a mapped person (`known`, lower-case e-mails), and each support
 * list must name at most MAX_SUPPORT people, each once.
 */
export function rotaWriteRefusal(w: {
  from: string;
  to: string;
  today: string;
  named: readonly NamedOnRota[];
  supportLists: readonly SupportListOnRota[];
  known: ReadonlySet<string>;
}): RotaRefusal | null {
  const range = rotaRangeProblem(w.from, w.to);
  if (range) {
    const field = !isIsoDate(w.from) || (isIsoDate(w.to) && w.from > w.to) ? 'from' : 'to';
    return { field, message: `That range is not valid: ${range}. Nothing was changed.` };
  }
  if (w.from < w.today) {
    return { field: 'from', message: `The rota cannot be changed for days already past: ${withWeekday(w.from)} is before today (${withWeekday(w.today)}). Nothing was changed.` };
  }
  for (const list of w.supportLists) {
    if (list.emails.length > MAX_SUPPORT) return { field: list.field, message: `At most ${MAX_SUPPORT} people can be on support on one day. Nothing was changed.` };
    const seen = new Set<string>();
    for (const [i, e] of list.emails.entries()) {
      const email = e.toLowerCase();
      if (seen.has(email)) return { field: `${list.field}.${i}`, message: `${email} is on the support list twice. Nothing was changed.` };
      seen.add(email);
    }
  }
  for (const n of w.named) {
    if (!w.known.has(n.email.toLowerCase())) {
      return {
        field: n.field,
        message:
          `${n.email} is neither a member of the team nor a person mapped to LGD, so they cannot be on the rota. ` +
          'Check the address, or ask them to open a chat with the bot once (or a lead to add the app to their team). Nothing was changed.',
      };
    }
  }
  return null;
}
