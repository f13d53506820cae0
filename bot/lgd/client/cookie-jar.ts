/**
 * The session's cookies. One LGD host per client, so domain and path are not tracked; a cookie
 * set with `Max-Age<=0` or an `Expires` in the past is removed.
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** Takes the `Set-Cookie` lines of one answer. */
  store(setCookieLines: readonly string[], now: Date = new Date()): void {
    for (const line of setCookieLines) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (isExpired(attrs, now)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** The `Cookie` header value, or undefined when the jar is empty. */
  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** Forgets every cookie (log-off, new log-on). */
  clear(): void {
    this.cookies.clear();
  }

  get size(): number {
    return this.cookies.size;
  }
}

function isExpired(attrs: readonly string[], now: Date): boolean {
  for (const raw of attrs) {
    const eq = raw.indexOf('=');
    const key = (eq < 0 ? raw : raw.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? '' : raw.slice(eq + 1).trim();
    if (key === 'max-age' && Number(value) <= 0) return true;
    if (key === 'expires') {
      const t = Date.parse(value);
      if (Number.isFinite(t) && t <= now.getTime()) return true;
    }
  }
  return false;
}
