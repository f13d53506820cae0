/**
 * Text as Teams shows it. Teams reads markdown in card TextBlocks, FactSets and message text, and
 * some HTML in messages (`<at>` mentions), so text from LGD or from a person could become a link, a
 * mention or formatting in the team's channel. Every builder escapes a plain string; only a
 * `Markdown` value passes as it is, and one can be made only from the app's own template strings
 * (`md`), whose interpolations are escaped in turn, or by the few helpers below.
 */
import { shorten } from './shorten.js';

/** Longest text one escaped value may show (Teams refuses activities over about 28 KB). */
export const TEXT_MAX = 4000;

const ZWSP = '\u200B';

/** Only `md`, `link`, `mention` and `join` hold this; nothing outside this file can make a Markdown. */
const TRUSTED = Symbol('trusted markdown');

/** Markdown the app wrote: passed to Teams as it is. */
export class Markdown {
  readonly source: string;

  constructor(token: symbol, source: string) {
    if (token !== TRUSTED) throw new TypeError('Markdown is made with md`...`, never from a string');
    this.source = source;
  }

  toString(): string {
    return this.source;
  }

  /** Parts joined by a separator, each escaped unless already Markdown. */
  static join(parts: readonly (string | Markdown)[], separator: string | Markdown = ''): Markdown {
    return new Markdown(TRUSTED, parts.map((p) => asMarkdown(p)).join(asMarkdown(separator)));
  }
}

/** Text for any builder: a plain string (escaped) or the app's own Markdown. */
export type Text = string | Markdown;

/**
 * A string as text Teams shows literally. A zero-width space (invisible) after `[`, `]`, `<`, `~`
 * and `{` breaks links (`[a](b)`), tags and autolinks (`<at>`, `<script>`, `<https://…>`),
 * strikethrough and templating (`{{DATE(…)}}`); `_` gets one on both sides (an underscore inside a
 * word never starts emphasis); `*` becomes the look-alike `∗`, since an asterisk inside a word still
 * can; `://` and `www.` are broken so a bare address is not turned into a link; a line that starts
 * like a list, heading or quote starts with a zero-width space. Long text is shortened first, to `max`.
 */
export function escapeMarkdown(value: string, max: number = TEXT_MAX): string {
  const text = shorten(String(value), max);
  return text
    .replace(/[[\]<~{]/g, `$&${ZWSP}`)
    .replace(/_/g, `${ZWSP}_${ZWSP}`)
    .replace(/\*/g, '\u2217')
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/\bwww\./gi, `$&${ZWSP}`)
    .replace(/^(?=[ \t]{0,3}(?:[-+#>]|\d{1,9}[.)]))/gm, ZWSP);
}

/** A plain string escaped, Markdown as it is. */
export function asMarkdown(value: Text | number): string {
  if (value instanceof Markdown) return value.source;
  return escapeMarkdown(typeof value === 'number' ? String(value) : value);
}

/**
 * Markdown from the app's own template: `md\`Owned by ${name}\``. Interpolated strings are escaped;
 * interpolated Markdown (a `link`, a `mention`, another `md`) is kept.
 */
export function md(strings: TemplateStringsArray, ...values: (Text | number)[]): Markdown {
  if (!Object.isFrozen(strings) || !Array.isArray((strings as { raw?: unknown }).raw)) {
    throw new TypeError('md is a template tag: md`...`');
  }
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += asMarkdown(v) + (strings[i + 1] ?? '');
  });
  return new Markdown(TRUSTED, out);
}

/** A markdown link to an https address the app built; anything else shows the title alone. */
export function link(title: string, url: string): Markdown {
  const safe = /^https:\/\/[^\s()<>[\]]+$/.test(url) && url.length <= 2000;
  return new Markdown(TRUSTED, safe ? `[${escapeMarkdown(title, 200)}](${url})` : escapeMarkdown(title, 200));
}

/**
 * An `<at>Name</at>` mention, with the name escaped: the activity's mention entity must carry the
 * very same text, so the sender builds the entity with this function too.
 */
export function mention(name: string): Markdown {
  return new Markdown(TRUSTED, `<at>${escapeMarkdown(name.replace(/\s+/g, ' ').trim(), 200)}</at>`);
}

/** The text an activity carries: a plain string escaped, Markdown as it is. */
export function messageText(value: Text): string {
  return asMarkdown(value);
}
