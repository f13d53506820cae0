const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/** Visible text of an HTML fragment: tags removed, entities decoded, whitespace collapsed. */
export function htmlText(html: string): string {
  const noScripts = html.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ');
  return decodeEntities(noScripts.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}

const EXCEPTION_ELEMENT =
  /<([a-z][a-z0-9]*)\b[^>]*\b(?:id|class)\s*=\s*(?:"[^"]*\bexceptionMessage\b[^"]*"|'[^']*\bexceptionMessage\b[^']*'|exceptionMessage\b)[^>]*>([\s\S]*?)<\/\1\s*>/i;
const TITLE = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i;

/**
 * The message of a Web Access HTML error page: the text of its `exceptionMessage` element (by id
 * or class), else its `<title>`; null when neither has text. At most `max` characters.
 */
export function errorPageMessage(html: string, max = 500): string | null {
  const m = EXCEPTION_ELEMENT.exec(html) ?? TITLE.exec(html);
  const group = m ? (m.length > 2 ? m[2] : m[1]) : undefined;
  const text = group === undefined ? '' : htmlText(group);
  if (text === '') return null;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
