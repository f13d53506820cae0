import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ssoAudiences } from '../../bot/api/sso-token-check.js';
import { IDENTITY_VARS, loadConfig } from '../../bot/config.js';
import { fillPlaceholders } from '../../infra/fill-placeholders.js';
import { objectGet, propertyKey, propertyValue, stringLiteral, type BicepFile, type BicepNode } from '../../infra/bicep-tree.js';
import { allBicep, INFRA_DIR } from './bicep-files.js';

/** Settings App Service or its build reads itself, not the app's configuration. */
const PLATFORM = [/^WEBSITE_/, /^WEBSITES_/, /^SCM_DO_BUILD_DURING_DEPLOYMENT$/];
/** Settings whose parameter is empty on the first deployment and filled before infra/deploy.sh deploys any code: the app's value then. */
const FILLED_BEFORE_CODE = ['TAB_SSO_CLIENT_ID'];

/** Every variable bot/config.ts reads: recorded by handing loadConfig an environment that notes each read. */
function variablesConfigKnows(): Set<string> {
  const read = new Set<string>();
  const env = new Proxy({}, {
    get: (_t, key) => {
      if (typeof key === 'string') read.add(key);
      return undefined;
    },
  });
  loadConfig(env);
  return read;
}

interface Setting {
  name: string;
  value: BicepNode | null;
  conditional: boolean;
}

/** The app settings of the `sites/config` 'appsettings' resource: object literals, union(), variables, ternaries. */
function appSettings(main: BicepFile): Setting[] {
  const res = main.resources.find((r) => r.type === 'Microsoft.Web/sites/config' && stringLiteral(objectGet(r.body, 'name')) === 'appsettings');
  if (!res) throw new Error('no appsettings resource');
  const out: Setting[] = [];
  const collect = (n: BicepNode | null, conditional: boolean): void => {
    if (!n) throw new Error('empty settings expression');
    if (n.type === 'object') {
      for (const p of n.namedChildren) if (p?.type === 'object_property') out.push({ name: propertyKey(p)!, value: propertyValue(p), conditional });
    } else if (n.type === 'call_expression' && n.childForFieldName('function')?.text === 'union') {
      for (const a of n.childForFieldName('arguments')!.namedChildren) collect(a, conditional);
    } else if (n.type === 'identifier' && main.variables.has(n.text)) collect(main.variables.get(n.text)!, conditional);
    else if (n.type === 'ternary_expression') {
      collect(n.childForFieldName('consequence'), true);
      collect(n.childForFieldName('alternative'), true);
    } else if (n.type === 'parenthesized_expression') collect(n.namedChildren[0] ?? null, conditional);
    else throw new Error(`cannot read app settings from ${n.type}: ${n.text.slice(0, 60)}`);
  };
  collect(objectGet(res.body, 'properties'), false);
  return out;
}

/** What a setting will hold in Azure, for values the Bicep computes at deployment time. */
const SAMPLE: Record<string, string> = {
  MicrosoftAppId: '0c6a5f9e-3b1d-4f2a-9e7c-8d4b2a1f0e3c',
  MicrosoftAppTenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  LGD_URL: 'https://lgd.example/ServiceDesk.WebAccess',
  LGD_USERNAME: 'svc.lgdsupport',
  LGD_PASSWORD: 'resolved-from-key-vault',
  MONGODB_URI: 'mongodb+srv://lgdsupport:pw@lgdsupport-mongo.global.mongocluster.cosmos.azure.com/?tls=true',
  TAB_SSO_CLIENT_ID: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
  BOT_DOMAIN: 'lgdsupport-dev-abc123.azurewebsites.net',
  APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-4000-8000-000000000000',
  AZURE_DEVOPS_ORG_URL: 'https://dev.azure.com/contoso',
  AZURE_DEVOPS_PROJECT: 'Support',
  AZURE_DEVOPS_TOKEN: 'resolved-from-key-vault',
};

/** A literal, a parameter's literal default, or the sample for what Azure fills in. */
function valueOf(main: BicepFile, s: Setting): string {
  if (FILLED_BEFORE_CODE.includes(s.name)) return SAMPLE[s.name] ?? '';
  const literal = stringLiteral(s.value);
  if (literal !== undefined && !literal.startsWith('@Microsoft.KeyVault(')) return literal;
  const param = s.value?.type === 'identifier' ? main.params.find((p) => p.name === s.value!.text) : undefined;
  if (param && !param.hasDefault) return SAMPLE[s.name] ?? '';
  if (param && param.defaultLiteral !== undefined) return String(param.defaultLiteral);
  const sample = SAMPLE[s.name];
  if (sample === undefined) throw new Error(`no sample value for ${s.name} (${s.value?.text})`);
  return sample;
}

describe('the app settings infra/azure.bicep gives the web app', () => {
  it('are all variables the configuration knows, or listed platform settings', async () => {
    const main = (await allBicep())[0]!;
    const known = variablesConfigKnows();
    expect(known.has('LGD_URL') && known.has('MicrosoftAppType')).toBe(true); // the recorder sees config's reads
    const unknown = appSettings(main)
      .map((s) => s.name)
      .filter((n) => !known.has(n) && !PLATFORM.some((p) => p.test(n)));
    expect(unknown).toEqual([]);
  });

  it('are enough for the configuration\'s production checks: bot identity, real LGD, MongoDB', async () => {
    const main = (await allBicep())[0]!;
    const always = appSettings(main).filter((s) => !s.conditional);
    const env: Record<string, string> = { WEBSITE_SITE_NAME: 'lgdsupport-dev-abc123' }; // App Service sets it
    for (const s of always) env[s.name] = valueOf(main, s);
    const config = loadConfig(env);
    expect(config.production).toBe(true);
    expect(config.demo).toBe(false);
    expect(config.bot).toMatchObject({ appType: 'UserAssignedMsi', authEnabled: true, appPassword: undefined });
    expect(config.mode).toBe('checked');
    expect(config.sso).toMatchObject({ clientId: SAMPLE.TAB_SSO_CLIENT_ID, tenantId: SAMPLE.MicrosoftAppTenantId, host: SAMPLE.BOT_DOMAIN });
    expect(config.mongodb.uri).toBe(SAMPLE.MONGODB_URI);
    // The check bites: without any part of the identity the same settings are refused in production.
    for (const part of IDENTITY_VARS) {
      const { [part]: _dropped, ...without } = env;
      expect(() => loadConfig(without), part).toThrow(new RegExp(`${part}: `));
    }
    // So the app cannot start before create-sso-app.sh has made the SSO app: deploy.sh deploys no code until then.
    expect(() => loadConfig({ ...env, TAB_SSO_CLIENT_ID: '' })).toThrow(/TAB_SSO_CLIENT_ID: required/);
  });

  it('set the SSO resource\'s host and client id from the same values as the manifest (api://<BOT_DOMAIN>/<AAD_APP_CLIENT_ID>)', async () => {
    const main = (await allBicep())[0]!;
    const settings = appSettings(main);
    const botDomainOutput = /^output BOT_DOMAIN string = (.+)$/m.exec(main.root.text)?.[1];
    expect(botDomainOutput).toBe('site.properties.defaultHostName');
    expect(settings.find((s) => s.name === 'BOT_DOMAIN')?.value?.text).toBe(botDomainOutput);
    expect(settings.find((s) => s.name === 'TAB_SSO_CLIENT_ID')?.value?.text).toBe('tabSsoClientId');
    const params = JSON.parse(readFileSync(join(INFRA_DIR, 'azure.parameters.json'), 'utf8')) as { parameters: Record<string, { value: string }> };
    expect(params.parameters.tabSsoClientId?.value).toBe('${{AAD_APP_CLIENT_ID}}');
    const manifest = JSON.parse(readFileSync(join(INFRA_DIR, '..', 'appPackage', 'manifest.json'), 'utf8')) as { webApplicationInfo: { id: string; resource: string } };
    expect(manifest.webApplicationInfo).toEqual({ id: '${{AAD_APP_CLIENT_ID}}', resource: 'api://${{BOT_DOMAIN}}/${{AAD_APP_CLIENT_ID}}' });
    // The audience the app checks v1 tokens for is that resource, filled with the same values.
    const sso = loadConfig({ MicrosoftAppId: SAMPLE.MicrosoftAppId, MicrosoftAppPassword: 'x', MicrosoftAppTenantId: SAMPLE.MicrosoftAppTenantId, TAB_SSO_CLIENT_ID: SAMPLE.TAB_SSO_CLIENT_ID, BOT_DOMAIN: SAMPLE.BOT_DOMAIN }).sso!;
    const values = { BOT_DOMAIN: SAMPLE.BOT_DOMAIN ?? '', AAD_APP_CLIENT_ID: SAMPLE.TAB_SSO_CLIENT_ID ?? '' };
    const filled = fillPlaceholders(manifest.webApplicationInfo.resource, { name: 'dev', values, sourceOf: {}, file: '.env.dev', userFile: '.env.dev.user', userFileExists: false });
    expect(ssoAudiences(sso).v1).toBe(filled);
  });

  it('keep the secrets in Key Vault and give the bot no password', async () => {
    const main = (await allBicep())[0]!;
    const settings = appSettings(main);
    for (const name of ['LGD_PASSWORD', 'MONGODB_URI', 'AZURE_DEVOPS_TOKEN']) {
      const s = settings.find((x) => x.name === name);
      expect(s?.value?.text, name).toMatch(/^'@Microsoft\.KeyVault\(SecretUri=\$\{[\w.!]+\.secretUri\}\)'$/);
    }
    expect(settings.map((s) => s.name)).not.toContain('MicrosoftAppPassword');
  });

  it('set the Azure DevOps backlog all together or not at all, as the configuration requires', async () => {
    const main = (await allBicep())[0]!;
    const devops = appSettings(main).filter((s) => s.name.startsWith('AZURE_DEVOPS_'));
    expect(devops.map((s) => s.name).sort()).toEqual(['AZURE_DEVOPS_ORG_URL', 'AZURE_DEVOPS_PROJECT', 'AZURE_DEVOPS_TOKEN']);
    expect(devops.every((s) => s.conditional)).toBe(true);
  });
});
