/**
 * The modes, as the developers' guide defines them, in bot/config.ts: open (no identity: no token
 * checks, loopback only), checked (an identity: every door checks tokens, demo or not), production
 * (checked and a real LGD, or no start). Every combination of identity, production and LGD, the
 * HOST rule, and each identity variable's own checks.
 */
import { describe, expect, it } from 'vitest';
import { IDENTITY_VARS, isLoopbackHost, loadConfig, redactConfig, type Env } from '../bot/config.js';
import { ConfigError } from '../bot/errors.js';

const identity = {
  MicrosoftAppId: '0c6a5f9e-3b1d-4f2a-9e7c-8d4b2a1f0e3c',
  MicrosoftAppTenantId: '72F988BF-86F1-41AF-91AB-2D7CD011DB47',
  TAB_SSO_CLIENT_ID: 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE',
  BOT_DOMAIN: 'LGDSupport-dev-abc123.azurewebsites.net',
};
const botSecret = { MicrosoftAppPassword: 'bot-secret-value' };
const lgd = { LGD_URL: 'https://lgd.example/ServiceDesk.WebAccess', LGD_USERNAME: 'svc', LGD_PASSWORD: 'lgd-secret-value' };

function problemsOf(env: Env): string {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return '';
}

type IdentityCase = 'none' | 'partial' | 'full';
const identityEnv = (c: IdentityCase): Env =>
  c === 'full' ? { ...identity, ...botSecret } : c === 'partial' ? { MicrosoftAppId: identity.MicrosoftAppId, ...botSecret } : {};

describe('every combination of identity, production and LGD', () => {
  const cases: [IdentityCase, boolean, boolean, string | RegExp][] = [
    // identity, production, real LGD, expected mode or the problem named
    ['none', false, false, 'open'],
    ['none', false, true, 'open'],
    ['none', true, false, /MicrosoftAppId: not set, so no identity is configured[\s\S]*refused in production[\s\S]*LGD_URL: not set/],
    ['none', true, true, /MicrosoftAppId: not set, so no identity is configured and nothing would check tokens, which is refused in production/],
    ['partial', false, false, /MicrosoftAppTenantId: required because MicrosoftAppId is set/],
    ['partial', false, true, /TAB_SSO_CLIENT_ID: required because MicrosoftAppId is set/],
    ['partial', true, false, /BOT_DOMAIN: required because MicrosoftAppId is set[\s\S]*LGD_URL: not set/],
    ['partial', true, true, /MicrosoftAppTenantId: required[\s\S]*TAB_SSO_CLIENT_ID: required[\s\S]*BOT_DOMAIN: required/],
    ['full', false, false, 'checked'],
    ['full', false, true, 'checked'],
    ['full', true, false, /LGD_URL: not set, so the demo simulator would run, which is refused in production/],
    ['full', true, true, 'checked'],
  ];

  it.each(cases)('identity %s, production %s, real LGD %s: %s', (id, production, realLgd, expected) => {
    const env: Env = { ...identityEnv(id), ...(production ? { NODE_ENV: 'production' } : {}), ...(realLgd ? lgd : {}) };
    if (expected instanceof RegExp) {
      const message = problemsOf(env);
      expect(message).toMatch(expected);
      for (const secret of ['bot-secret-value', 'lgd-secret-value']) expect(message).not.toContain(secret);
      return;
    }
    const c = loadConfig(env);
    expect(c.mode).toBe(expected);
    expect(c.production).toBe(production);
    expect(c.demo).toBe(!realLgd);
    expect(c.bot.authEnabled).toBe(expected === 'checked');
    expect(c.sso === null).toBe(expected === 'open');
    expect(c.host).toBe(production ? '0.0.0.0' : '127.0.0.1');
  });

  it('counts Azure App Service as production: no start without an identity', () => {
    expect(problemsOf({ WEBSITE_SITE_NAME: 'lgdsupport-dev-abc123', ...lgd })).toMatch(/MicrosoftAppId: not set.*refused in production/);
    expect(loadConfig({ WEBSITE_SITE_NAME: 'lgdsupport-dev-abc123', ...lgd, ...identity, MicrosoftAppType: 'UserAssignedMsi' }).mode).toBe('checked');
  });
});

describe('an identity is all of its variables or none', () => {
  it.each(IDENTITY_VARS.map((v) => [v]))('names %s when it alone is missing, and how to run open instead', (missing) => {
    const env: Env = { ...identity, ...botSecret, [missing]: undefined };
    const message = problemsOf(env);
    const others = IDENTITY_VARS.filter((v) => v !== missing);
    expect(message).toContain(`${missing}: required because ${others.join(', ')} are set`);
    expect(message).toContain(`or unset ${others.join(', ')} to run open`);
    for (const v of others) expect(message).not.toMatch(new RegExp(`- ${v}: required`));
  });

  it('names every missing one when only the tab\'s client id is set', () => {
    const message = problemsOf({ TAB_SSO_CLIENT_ID: identity.TAB_SSO_CLIENT_ID });
    for (const v of ['MicrosoftAppId', 'MicrosoftAppTenantId', 'BOT_DOMAIN']) expect(message).toContain(`${v}: required because TAB_SSO_CLIENT_ID is set`);
  });

  it('keeps the tenant, the client id and the host in one canonical (lower-case) form, with the public cloud\'s sign-in authority', () => {
    const c = loadConfig({ ...identity, ...botSecret });
    expect(c.sso).toEqual({
      clientId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      host: 'lgdsupport-dev-abc123.azurewebsites.net',
      loginUrl: 'https://login.microsoftonline.com',
    });
    expect(c.bot.tenantId).toBe('72f988bf-86f1-41af-91ab-2d7cd011db47');
    expect(loadConfig({ ...identity, ...botSecret, TAB_SSO_LOGIN_URL: 'https://login.microsoftonline.us/' }).sso?.loginUrl).toBe('https://login.microsoftonline.us');
  });

  it.each([
    ['TAB_SSO_CLIENT_ID', 'not-a-guid', /TAB_SSO_CLIENT_ID: must be a GUID \(got "not-a-guid"\)\. Fix: set TAB_SSO_CLIENT_ID to the client id/],
    ['MicrosoftAppTenantId', 'contoso.onmicrosoft.com', /MicrosoftAppTenantId: must be a GUID .*Fix: set MicrosoftAppTenantId to your Entra tenant id/],
    ['BOT_DOMAIN', 'https://lgd-support.example.org/', /BOT_DOMAIN: must be a host name without https:\/\/ or a path .*Fix: set BOT_DOMAIN/],
    ['BOT_DOMAIN', 'lgd support.example.org', /BOT_DOMAIN: must be a host name/],
    ['BOT_DOMAIN', `${'a'.repeat(250)}.org`, /BOT_DOMAIN: must be a host name/],
    ['TAB_SSO_LOGIN_URL', 'login.microsoftonline.com', /TAB_SSO_LOGIN_URL: must be an http\(s\) URL .*Fix: set TAB_SSO_LOGIN_URL/],
  ])('refuses a malformed %s (%j), naming it and the fix', (name, value, expected) => {
    expect(problemsOf({ ...identity, ...botSecret, [name]: value })).toMatch(expected);
  });

  it('takes a dev tunnel host with a port', () => {
    expect(loadConfig({ ...identity, ...botSecret, BOT_DOMAIN: 'abcd1234-3978.uks1.devtunnels.ms' }).sso?.host).toBe('abcd1234-3978.uks1.devtunnels.ms');
    expect(loadConfig({ ...identity, ...botSecret, BOT_DOMAIN: 'localhost:3978' }).sso?.host).toBe('localhost:3978');
  });
});

describe('open mode listens on loopback only', () => {
  it.each(['0.0.0.0', '::', '192.168.1.20', 'lgd-support.example.org'])('refuses HOST=%s without an identity, naming HOST and both fixes', (host) => {
    const message = problemsOf({ HOST: host });
    expect(message).toContain(`HOST: "${host}" is not a loopback address, and no identity is configured (open mode: no token checks)`);
    expect(message).toContain('Fix: unset HOST (the default 127.0.0.1 is loopback) or set 127.0.0.1');
    expect(message).toContain(`configure an identity (${IDENTITY_VARS.join(', ')})`);
  });

  it.each(['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]'])('takes HOST=%s without an identity', (host) => {
    const c = loadConfig({ HOST: host });
    expect(c.mode).toBe('open');
    expect(c.host).toBe(host);
  });

  it('lets checked mode listen anywhere: HOST=0.0.0.0 with an identity, demo or not', () => {
    for (const extra of [{}, lgd]) {
      const c = loadConfig({ ...identity, ...botSecret, ...extra, HOST: '0.0.0.0' });
      expect(c.mode).toBe('checked');
      expect(c.host).toBe('0.0.0.0');
    }
  });

  it('tells loopback addresses from the rest', () => {
    for (const h of ['127.0.0.1', '127.255.0.9', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', '127.0.0.1.example.org', 'localhost.example.org', '']) expect(isLoopbackHost(h), h).toBe(false);
  });
});

describe('the Application Insights connection string', () => {
  it('is optional, read when set, and never logged', () => {
    expect(loadConfig({}).appInsightsConnectionString).toBeUndefined();
    const cs = 'InstrumentationKey=11111111-2222-4333-8444-555555555555;IngestionEndpoint=https://uksouth-1.in.applicationinsights.azure.com/';
    const c = loadConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: cs });
    expect(c.appInsightsConnectionString).toBe(cs);
    const logged = JSON.stringify(redactConfig(c));
    expect(logged).not.toContain('11111111-2222');
    expect(logged).toContain('"appInsightsConnectionString":"***"');
  });
});
