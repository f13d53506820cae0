const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Longest part of a page that is read: error pages are small, and the bound caps every scan. */
const MAX_PAGE = 256 * 1024;
/** Elements marked exceptionMessage whose closing tag is looked for, at most. */
const MAX_CANDIDATES = 16;

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[body.toLowerCase()] ?? whole;
  });
}

const isNameChar = (c: string | undefined): boolean => c !== undefined && /[a-z0-9]/i.test(c);
const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';

/** `<script>…</script>` and `<style>…</style>` blocks replaced by a space; one pass, no backtracking. */
function dropScripts(html: string): string {
  const lower = html.toLowerCase();
  let out = '';
  let i = 0;
  for (let from = 0; ; ) {
    const lt = lower.indexOf('<', from);
    if (lt < 0) break;
    const name = lower.startsWith('script', lt + 1) ? 'script' : lower.startsWith('style', lt + 1) ? 'style' : null;
    if (name === null || isNameChar(lower[lt + 1 + name.length])) {
      from = lt + 1;
      continue;
    }
    const close = lower.indexOf(`</${name}`, lt);
    const end = close < 0 ? -1 : lower.indexOf('>', close);
    // An unclosed block is kept as text, as a regular expression would; no later block can close either.
    if (end < 0) break;
    out += `${html.slice(i, lt)} `;
    i = from = end + 1;
  }
  return out + html.slice(i);
}

/** Every `<…>` replaced by a space; a `<` with no `>` after it stays text. Linear in the input. */
function dropTags(html: string): string {
  let out = '';
  let i = 0;
  for (;;) {
    const lt = html.indexOf('<', i);
    const gt = lt < 0 ? -1 : html.indexOf('>', lt);
    if (gt < 0) return out + html.slice(i);
    out += `${html.slice(i, lt)} `;
    i = gt + 1;
  }
}

/** Visible text of an HTML fragment: tags removed, entities decoded, whitespace collapsed. */
export function htmlText(html: string): string {
  return decodeEntities(dropTags(dropScripts(html))).replace(/\s+/g, ' ').trim();
}

interface StartTag {
  /** Lower-case element name. */
  name: string;
  /** Index just after the tag's `>`. */
  end: number;
  /** The raw text between the name and `>`. */
  attributes: string;
}

/** Start tags in document order, each found with one forward scan. */
function* startTags(html: string, lower: string): Generator<StartTag> {
  for (let i = 0; ; ) {
    const lt = lower.indexOf('<', i);
    const gt = lt < 0 ? -1 : lower.indexOf('>', lt);
    if (gt < 0) return;
    let n = lt + 1;
    while (n < gt && isNameChar(lower[n])) n++;
    if (n > lt + 1 && /[a-z]/.test(lower[lt + 1] as string)) {
      yield { name: lower.slice(lt + 1, n), end: gt + 1, attributes: html.slice(n, gt) };
    }
    i = gt + 1;
  }
}

/** The values of `id` and `class` attributes, read by hand so that no attribute soup can backtrack. */
function idAndClassValues(attributes: string): string[] {
  const values: string[] = [];
  const a = attributes;
  for (let i = 0; i < a.length; ) {
    while (i < a.length && (isSpace(a[i]) || a[i] === '/')) i++;
    const nameStart = i;
    while (i < a.length && !isSpace(a[i]) && a[i] !== '=' && a[i] !== '/') i++;
    const name = a.slice(nameStart, i).toLowerCase();
    if (i === nameStart) {
      i++;
      continue;
    }
    while (i < a.length && isSpace(a[i])) i++;
    if (a[i] !== '=') continue;
    i++;
    while (i < a.length && isSpace(a[i])) i++;
    let value: string;
    const quote = a[i];
    if (quote === '"' || quote === "'") {
      const close = a.indexOf(quote, i + 1);
      value = a.slice(i + 1, close < 0 ? a.length : close);
      i = close < 0 ? a.length : close + 1;
    } else {
      const start = i;
      while (i < a.length && !isSpace(a[i])) i++;
      value = a.slice(start, i);
    }
    if (name === 'id' || name === 'class') values.push(value);
  }
  return values;
}

const marksException = (value: string): boolean => value.split(/[^A-Za-z0-9_]+/).some((w) => w.toLowerCase() === 'exceptionmessage');

/**
 * The message of a Web Access HTML error page: the text of its `exceptionMessage` element (by id
 * or class), else its `<title>`; null when neither has text. At most `max` characters. Reads at
 * most the page's first 256 KB, in time linear in that.
 */
export function errorPageMessage(page: string, max = 500): string | null {
  const html = page.length > MAX_PAGE ? page.slice(0, MAX_PAGE) : page;
  const lower = html.toLowerCase();
  let title: string | undefined;
  let tried = 0;
  let found: string | undefined;
  for (const tag of startTags(html, lower)) {
    if (tag.name === 'title' && title === undefined) {
      const close = lower.indexOf('</title', tag.end);
      title = close < 0 ? '' : html.slice(tag.end, close);
    } else if (tried < MAX_CANDIDATES && idAndClassValues(tag.attributes).some(marksException)) {
      tried++;
      let close = lower.indexOf(`</${tag.name}`, tag.end);
      while (close >= 0 && isNameChar(lower[close + 2 + tag.name.length])) close = lower.indexOf(`</${tag.name}`, close + 1);
      if (close >= 0) {
        found = html.slice(tag.end, close);
        break;
      }
    }
  }
  const text = htmlText(found ?? title ?? '');
  if (text === '') return null;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
