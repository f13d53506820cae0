/**
 * The OpenID key set against the local issuer: fetched once and cached, re-fetched for a key id it
 * does not know (at most once per cooldown), keys kept when a refresh fails, and "unavailable"
 * only while no keys are known.
 */
import { jwtVerify } from 'jose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeySetUnavailable, OpenIdKeySet } from '../../bot/http/openid-key-set.js';
import { startLocalOpenId, type LocalOpenId } from '../support/local-openid.js';

const logger = pino({ level: 'silent' });
let issuer: LocalOpenId;

beforeAll(async () => {
  issuer = await startLocalOpenId();
});
afterAll(async () => {
  await issuer?.close();
});

const verify = (keys: OpenIdKeySet, token: string) => jwtVerify(token, keys.getKey, { issuer: issuer.issuer, audience: 'app' });
const fetches = (): number => issuer.hits.get('/keys') ?? 0;

describe('OpenIdKeySet', () => {
  it('fetches the keys through the metadata document once and verifies with them', async () => {
    const keys = new OpenIdKeySet({ metadataUrl: issuer.metadataUrl, logger });
    const before = fetches();
    const token = await issuer.sign({ aud: 'app' });
    await verify(keys, token);
    await verify(keys, token);
    expect(fetches() - before).toBe(1);
  });

  it('works from a JWKS URL alone', async () => {
    const keys = new OpenIdKeySet({ jwksUrl: issuer.jwksUrl, logger });
    await expect(verify(keys, await issuer.sign({ aud: 'app' }))).resolves.toMatchObject({ payload: { aud: 'app' } });
  });

  it('re-fetches for an unknown key id, but not again within the cooldown', async () => {
    let now = 1_000_000;
    const keys = new OpenIdKeySet({ metadataUrl: issuer.metadataUrl, logger, cooldownMs: 60_000, now: () => now });
    await verify(keys, await issuer.sign({ aud: 'app' }));
    const before = fetches();
    const unknown = await issuer.sign({ aud: 'app' }, { kid: 'rolled-over' });
    now += 61_000;
    await expect(verify(keys, unknown)).rejects.toThrow(/no applicable key/i);
    await expect(verify(keys, unknown)).rejects.toThrow(/no applicable key/i);
    expect(fetches() - before).toBe(1);
  });

  it('keeps the keys it has when a refresh fails, and is unavailable only with none', async () => {
    let now = 1_000_000;
    const keys = new OpenIdKeySet({ metadataUrl: issuer.metadataUrl, logger, refreshMs: 1_000, retryAfterFailureMs: 1_000, now: () => now });
    const token = await issuer.sign({ aud: 'app' });
    await verify(keys, token);
    issuer.failKeys('http-500');
    try {
      now += 5_000; // stale: refresh is tried, fails, and the known keys still verify
      await expect(verify(keys, token)).resolves.toBeTruthy();

      const fresh = new OpenIdKeySet({ metadataUrl: issuer.metadataUrl, logger, retryAfterFailureMs: 1_000, now: () => now });
      await expect(verify(fresh, token)).rejects.toBeInstanceOf(KeySetUnavailable);
      const tried = fetches();
      await expect(verify(fresh, token)).rejects.toBeInstanceOf(KeySetUnavailable);
      expect(fetches()).toBe(tried); // refused at once for a moment after a failure, not fetched per request

      issuer.failKeys(null);
      now += 2_000;
      await expect(verify(fresh, token)).resolves.toBeTruthy();
    } finally {
      issuer.failKeys(null);
    }
  });
});
