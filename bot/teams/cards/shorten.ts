/**
 * Shortens text to at most `max` characters (code points), ending in an ellipsis; cuts at a word
 * boundary when one is near the end, and never splits a surrogate pair.
 */
export function shorten(value: string, max: number): string {
  // Counting code points of a huge string costs memory: anything within max UTF-16 units fits.
  if (value.length <= max) return value;
  const chars = Array.from(value.slice(0, max * 2));
  if (chars.length <= max && value.length <= max * 2) return value;
  const head = chars.slice(0, max - 1).join('');
  const space = head.lastIndexOf(' ');
  const cut = space >= head.length * 0.8 ? head.slice(0, space) : head;
  return `${cut.trimEnd()}…`;
}
