import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { Logger } from '../logger.js';

/** The signing keys could not be fetched and none are known: the token can be neither accepted nor refused. */
export class KeySetUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeySetUnavailable';
  }
}

/** Where the keys come from and how long they are trusted. */
export interface OpenIdKeySetOptions {
  /** An OpenID metadata document whose `jwks_uri` names the key set (Bot Framework, Entra). */
  metadataUrl?: string;
  /** The key set itself, when there is no metadata document. */
  jwksUrl?: string;
  /** How long fetched keys are used before they are fetched again (a failed refetch keeps them). Default 24 h. */
  refreshMs?: number;
  /** Least time between two fetches caused by a token whose key is unknown. Default 5 min. */
  cooldownMs?: number;
  /** After a failed fetch with no keys known, requests are refused at once for this long. Default 5 s. */
  retryAfterFailureMs?: number;
  /** Timeout of one HTTP fetch. Default 5 s. */
  timeoutMs?: number;
  logger: Logger;
  now?: () => number;
}

/**
 * The signing keys of an OpenID issuer, fetched on first use and cached: re-fetched after
 * `refreshMs`, or when a token names a key not in the set (at most once per `cooldownMs`). Keys
 * already known keep working while the issuer cannot be reached; with none known, every check
 * fails with KeySetUnavailable, which a caller answers with 503 rather than 401.
 */
export class OpenIdKeySet {
  private jwks: ReturnType<typeof createLocalJWKSet> | null = null;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private attemptedAt = Number.NEGATIVE_INFINITY;
  private failedAt = Number.NEGATIVE_INFINITY;
  private lastError: unknown = null;
  private pending: Promise<void> | null = null;
  private readonly o: Required<Omit<OpenIdKeySetOptions, 'metadataUrl' | 'jwksUrl'>> & Pick<OpenIdKeySetOptions, 'metadataUrl' | 'jwksUrl'>;

  constructor(opts: OpenIdKeySetOptions) {
    if (!opts.metadataUrl && !opts.jwksUrl) throw new TypeError('OpenIdKeySet needs a metadataUrl or a jwksUrl');
    this.o = {
      refreshMs: 24 * 3_600_000,
      cooldownMs: 5 * 60_000,
      retryAfterFailureMs: 5_000,
      timeoutMs: 5_000,
      now: Date.now,
      ...opts,
    };
  }

  /** The key lookup `jose.jwtVerify` takes. */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    const now = this.o.now();
    if (!this.jwks || now - this.fetchedAt > this.o.refreshMs) await this.load(now);
    const local = this.jwks as ReturnType<typeof createLocalJWKSet>;
    try {
      return await local(header, token);
    } catch (err) {
      // A key the set does not have may be a new one (keys roll over): fetch again, not too often.
      if (!(err instanceof errors.JWKSNoMatchingKey) || now - this.attemptedAt < this.o.cooldownMs) throw err;
      await this.load(now);
      return (this.jwks as ReturnType<typeof createLocalJWKSet>)(header, token);
    }
  };

  /** Fetches the key set (one fetch at a time); keeps the known keys when it fails, else throws KeySetUnavailable. */
  private async load(now: number): Promise<void> {
    if (!this.jwks && now - this.failedAt < this.o.retryAfterFailureMs) {
      throw new KeySetUnavailable('the signing keys could not be fetched a moment ago', { cause: this.lastError });
    }
    this.attemptedAt = now;
    this.pending ??= this.fetchKeys().finally(() => (this.pending = null));
    try {
      await this.pending;
    } catch (err) {
      this.failedAt = this.o.now();
      this.lastError = err;
      if (!this.jwks) throw new KeySetUnavailable(`the signing keys could not be fetched: ${describe(err)}`, { cause: err });
      this.o.logger.warn({ err: describe(err), source: this.o.metadataUrl ?? this.o.jwksUrl }, 'could not refresh the token signing keys; using the ones fetched before');
    }
  }

  private async fetchKeys(): Promise<void> {
    let jwksUrl = this.o.jwksUrl;
    if (this.o.metadataUrl) {
      const metadata = (await this.getJson(this.o.metadataUrl)) as { jwks_uri?: unknown };
      if (typeof metadata?.jwks_uri !== 'string' || !/^https?:\/\//.test(metadata.jwks_uri)) throw new Error(`the OpenID metadata at ${this.o.metadataUrl} has no jwks_uri`);
      jwksUrl = metadata.jwks_uri;
    }
    const set = await this.getJson(jwksUrl as string);
    this.jwks = createLocalJWKSet(set as JSONWebKeySet);
    this.fetchedAt = this.o.now();
  }

  private async getJson(url: string): Promise<unknown> {
    const res = await fetch(url, { signal: AbortSignal.timeout(this.o.timeoutMs), headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`);
    try {
      return await res.json();
    } catch (err) {
      throw new Error(`${url} did not answer JSON`, { cause: err });
    }
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
  return `${err.message}${cause}`;
}
