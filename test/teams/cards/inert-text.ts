/**
 * What "inert" means for text Teams renders as markdown (cards) or markdown with some HTML
 * (messages): no link, tag, mention, autolink, emphasis, strikethrough, list or template survives.
 * Written from CommonMark's rules and the Adaptive Cards subset, apart from the escaping code.
 */

const ZW = '\u200B';

/** The live constructs found in a piece of text that should show as typed; empty when inert. */
export function liveMarkup(s: string): string[] {
  const found: string[] = [];
  if (/\]\s*[([]/.test(s)) found.push('markdown link');
  if (/<[A-Za-z/!?]/.test(s)) found.push('tag, mention or autolink');
  if (/\{\{/.test(s)) found.push('template');
  if (/\*/.test(s)) found.push('asterisk emphasis');
  if (/(?:^|[^\u200B])_|_(?!\u200B)/.test(s)) found.push('underscore emphasis');
  if (/~~/.test(s)) found.push('strikethrough');
  if (/:\/\//.test(s)) found.push('bare address');
  if (/www\.(?!\u200B)/i.test(s)) found.push('www address');
  if (/(?:^|\n)[ \t]{0,3}(?:[-+#>]|\d+[.)])/.test(s)) found.push('list, heading or quote');
  return found;
}

/** The text a person sees: invisible zero-width spaces gone, the look-alike asterisk read as one. */
export const visible = (s: string): string => s.replaceAll(ZW, '').replaceAll('\u2217', '*');

/** Every string a card renders as markdown: TextBlock texts and FactSet titles and values. */
export function renderedTexts(card: unknown): string[] {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
      if (o.type === 'FactSet' && Array.isArray(o.facts)) for (const f of o.facts as { title: string; value: string }[]) out.push(f.title, f.value);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

/** Text a hostile ticket, customer or colleague might send. */
export const HOSTILE = [
  '[click me](https://evil.example)',
  '**urgent** and _hurry_ and *now* and ~~gone~~',
  '<at>Ann Lead</at> please look',
  '<script>alert(1)</script> <b>bold</b> <https://evil.example>',
  'see https://evil.example/reset or www.evil.example',
  '{{DATE(2017-02-14T06:00:00Z, SHORT)}}',
  '- a list\n1. numbered\n# heading\n> quote',
  '![img](https://evil.example/x.png) [ref][1]\n\n[1]: https://evil.example',
] as const;
