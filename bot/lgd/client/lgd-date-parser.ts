import { parseLgdDateMs } from '../lgd-date.js';

/**
 * Parses LGD date strings in one format and zone, remembering recent results: a poll re-reads
 * the same LastUpdate and CreationDate strings of unchanged tickets, and zone arithmetic is slow.
 */
export class LgdDateParser {
  private readonly memo = new Map<string, number | null>();

  constructor(
    readonly format: string,
    readonly timeZone: string,
    private readonly maxEntries = 50_000,
  ) {}

  /** The instant a string denotes, or null when it is not a date in the format. */
  parse(text: string): Date | null {
    let ms = this.memo.get(text);
    if (ms === undefined) {
      ms = parseLgdDateMs(text, this.format, this.timeZone);
      if (this.memo.size >= this.maxEntries) this.memo.clear();
      this.memo.set(text, ms);
    }
    return ms === null ? null : new Date(ms);
  }
}
