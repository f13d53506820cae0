/** Collapses runs of whitespace (including line breaks) to single spaces. */
const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

/**
 * The text of a note the service account writes for someone, e.g. "Approved — Jane Smith via
 * Teams"; a detail follows on its own paragraph.
 */
export function noteText(decision: string, onBehalfOf: string, detail?: string): string {
  const who = oneLine(onBehalfOf);
  if (who === '') throw new RangeError('A note written by the app must name the person it acts for');
  const head = `${decision.trim()} — ${who} via Teams`;
  const more = detail?.trim();
  return more ? `${head}\n\n${more}` : head;
}

/** The team name customers read in a sign-off when none is configured (TEAM_SIGN_OFF). */
export const DEFAULT_SIGN_OFF_TEAM = 'LGSS IT Digital';

/**
 * What a customer reads (a message to the user, a resolution): the person's own text and one
 * sign-off, "— Jane Smith, LGSS IT Digital", in its own paragraph; nothing internal (no "via
 * Teams", no reference). A text that already ends with that sign-off is not signed twice.
 */
export function customerText(text: string, name: string, team: string = DEFAULT_SIGN_OFF_TEAM): string {
  const who = oneLine(name);
  if (who === '') throw new RangeError('A message written for someone must name them');
  const body = text.trim();
  const signOff = `— ${who}, ${oneLine(team)}`;
  const tail = oneLine(body).toLowerCase();
  const signed = ['—', '–', '-'].some((dash) => tail.endsWith(`${dash} ${who}, ${oneLine(team)}`.toLowerCase()));
  return signed ? body : `${body}\n\n${signOff}`;
}

/** A note title from its text: the first line, at most `max` characters. */
export function titleFrom(text: string, max = 100): string {
  const first = oneLine(text.trim().split(/\r?\n/, 1)[0] ?? '');
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}

/** Appends a reference to the first line of a note: "Approved — Jane via Teams (ref 1a2b3c4d)". */
export function withRef(text: string, ref: string | undefined): string {
  if (!ref) return text;
  const nl = text.indexOf('\n');
  return nl < 0 ? `${text} (${ref})` : `${text.slice(0, nl)} (${ref})${text.slice(nl)}`;
}
