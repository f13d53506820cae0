/** An area of the business as people name it (the Project form's area, `area set <name>`). */

/** Longest area name accepted. */
export const AREA_NAME_MAX = 100;

/** The name with its spaces tidied, or why it is not one. */
export function parseAreaName(text: string): { ok: true; value: string } | { ok: false; message: string } {
  const name = text.replace(/\s+/g, ' ').trim();
  if (!name) return { ok: false, message: 'Name the area.' };
  if (name.length > AREA_NAME_MAX) return { ok: false, message: `An area name has at most ${AREA_NAME_MAX} characters.` };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return { ok: false, message: 'An area name cannot hold control characters.' };
  return { ok: true, value: name };
}
