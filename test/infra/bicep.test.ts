import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { objectGet, parseBicep, stringLiteral, type BicepFile } from '../../infra/bicep-tree.js';
import { guardNetwork } from '../support/network-guard.js';
import { allBicep, bicepPaths, INFRA_DIR } from './bicep-files.js';

const resource = (files: BicepFile[], type: string) => {
  const r = files.flatMap((f) => f.resources).find((x) => x.type === type && !x.existing);
  if (!r) throw new Error(`no ${type} resource`);
  return r;
};
const literalAt = (body: Parameters<typeof objectGet>[0], path: string): string | undefined => {
  const n = objectGet(body, path);
  return n?.type === 'boolean' ? n.text : (stringLiteral(n) ?? n?.text);
};

describe('infra Bicep (checked with tree-sitter-bicep; no Bicep compiler runs here)', () => {
  it('loads the grammar from the npm packages, offline', async () => {
    const guard = guardNetwork();
    try {
      const file = await parseBicep(join(INFRA_DIR, 'azure.bicep'));
      expect(file.resources.length).toBeGreaterThan(0);
    } finally {
      guard.restore();
    }
    expect(guard.attempts).toEqual([]);
  });

  it('parses every file without ERROR or MISSING nodes', async () => {
    const files = await allBicep();
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) expect(f.syntaxErrors, f.path).toEqual([]);
  });

  it('would notice a syntax error (the check can fail)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bicep-'));
    writeFileSync(join(dir, 'broken.bicep'), "param a string\nresource x 'Microsoft.Web/sites@2023-12-01' = {\n  name: 'x'\n  properties: {\n    httpsOnly: true\n");
    expect((await parseBicep(join(dir, 'broken.bicep'))).syntaxErrors).not.toEqual([]);
  });

  it('declares the resources one environment needs, and its modules exist', async () => {
    const files = await allBicep();
    const types = new Set(files.flatMap((f) => f.resources.filter((r) => !r.existing).map((r) => r.type)));
    for (const t of [
      'Microsoft.ManagedIdentity/userAssignedIdentities',
      'Microsoft.Web/serverfarms',
      'Microsoft.Web/sites',
      'Microsoft.Web/sites/config',
      'Microsoft.BotService/botServices',
      'Microsoft.BotService/botServices/channels',
      'Microsoft.DocumentDB/mongoClusters',
      'Microsoft.KeyVault/vaults',
      'Microsoft.KeyVault/vaults/secrets',
      'Microsoft.Insights/components',
      'Microsoft.OperationalInsights/workspaces',
    ])
      expect(types, t).toContain(t);
    for (const f of files) for (const m of f.modules) expect(existsSync(join(dirname(f.path), m.path)), m.path).toBe(true);
    const paths = bicepPaths();
    const used = new Set(files.flatMap((f) => f.modules.map((m) => join(dirname(f.path), m.path))));
    for (const p of paths.slice(1)) expect(used, `${p} is not used`).toContain(p);
    for (const r of files.flatMap((f) => f.resources)) expect(r.apiVersion, r.type).toMatch(/^\d{4}-\d{2}-\d{2}(-preview)?$/);
  });

  it('runs the server on Linux App Service: Node 20, https only, FTPS off, always on, /healthz, TLS 1.2, the managed identity', async () => {
    const site = resource(await allBicep(), 'Microsoft.Web/sites').body;
    expect(literalAt(site, 'kind')).toBe('app,linux');
    expect(literalAt(site, 'properties.httpsOnly')).toBe('true');
    expect(literalAt(site, 'properties.siteConfig.linuxFxVersion')).toBe('NODE|20-lts');
    expect(literalAt(site, 'properties.siteConfig.ftpsState')).toBe('Disabled');
    expect(literalAt(site, 'properties.siteConfig.alwaysOn')).toBe('true');
    expect(literalAt(site, 'properties.siteConfig.healthCheckPath')).toBe('/healthz');
    expect(literalAt(site, 'properties.siteConfig.minTlsVersion')).toBe('1.2');
    expect(literalAt(site, 'properties.siteConfig.appCommandLine')).toBe('npm start');
    expect(literalAt(site, 'identity.type')).toBe('UserAssigned');
    expect(objectGet(site, 'properties.keyVaultReferenceIdentity')?.text).toBe('identity.id');
    const plan = resource(await allBicep(), 'Microsoft.Web/serverfarms').body;
    expect(literalAt(plan, 'properties.reserved')).toBe('true');
  });

  it('makes the managed identity the bot\'s identity, with the Teams channel and the /api/messages endpoint', async () => {
    const files = await allBicep();
    const bot = resource(files, 'Microsoft.BotService/botServices').body;
    expect(literalAt(bot, 'kind')).toBe('azurebot');
    expect(literalAt(bot, 'location')).toBe('global');
    expect(literalAt(bot, 'properties.msaAppType')).toBe('UserAssignedMSI');
    for (const k of ['msaAppId', 'msaAppMSIResourceId', 'msaAppTenantId', 'endpoint']) expect(objectGet(bot, `properties.${k}`), k).not.toBeNull();
    const channel = resource(files, 'Microsoft.BotService/botServices/channels').body;
    expect(literalAt(channel, 'name')).toBe('MsTeamsChannel');
    const main = files[0]!;
    const botModule = main.root.descendantsOfType('module_declaration').find((m) => m?.namedChildren[0]?.text === 'bot');
    expect(botModule?.text).toMatch(/endpoint: 'https:\/\/\$\{site\.properties\.defaultHostName\}\/api\/messages'/);
    expect(botModule?.text).toMatch(/identityClientId: identity\.properties\.clientId/);
  });

  it('lets the identity only get Key Vault secrets', async () => {
    const vault = resource(await allBicep(), 'Microsoft.KeyVault/vaults').body;
    const policies = objectGet(vault, 'properties.accessPolicies');
    expect(policies?.namedChildren).toHaveLength(1);
    const policy = policies!.namedChildren[0]!;
    expect(objectGet(policy, 'objectId')?.text).toBe('identity.properties.principalId');
    expect(objectGet(policy, 'permissions.secrets')?.text.replace(/\s/g, '')).toBe("['get']");
    expect(objectGet(policy, 'permissions.keys')).toBeNull();
    expect(objectGet(policy, 'permissions.certificates')).toBeNull();
  });

  it('uses workspace-based Application Insights', async () => {
    const ai = resource(await allBicep(), 'Microsoft.Insights/components').body;
    expect(objectGet(ai, 'properties.WorkspaceResourceId')?.text).toBe('workspace.id');
  });

  it('describes and bounds every parameter, and keeps secrets secure', async () => {
    for (const f of await allBicep()) {
      for (const p of f.params) {
        const at = `${f.path}: ${p.name}`;
        expect(p.description, at).toBeTruthy();
        const d = p.decorators;
        if (p.type === 'string') expect('allowed' in d || 'maxLength' in d, `${at} has no @allowed or @maxLength`).toBe(true);
        if (p.type === 'int') expect('allowed' in d || ('minValue' in d && 'maxValue' in d), `${at} is unbounded`).toBe(true);
        if (/password|secret|token|uri$/i.test(p.name)) expect(p.secure, `${at} must be @secure()`).toBe(true);
      }
    }
  });

  it('outputs no secret: outputs are named after env variables and read no secure parameter, directly or through a variable', async () => {
    const files = await allBicep();
    expect(files[0]!.outputs.map((o) => o.name)).toEqual(expect.arrayContaining(['BOT_ID', 'BOT_DOMAIN', 'BOT_AZURE_APP_SERVICE_RESOURCE_ID']));
    for (const o of files[0]!.outputs) expect(o.name).toMatch(/^[A-Z][A-Z0-9_]*$/);
    const mentions = (text: string, name: string): boolean => new RegExp(`(?<![\\w.])${name}\\b`).test(text);
    for (const f of files) {
      const tainted = new Set(f.params.filter((p) => p.secure).map((p) => p.name));
      for (let grew = true; grew; ) {
        grew = false;
        for (const [name, value] of f.variables)
          if (!tainted.has(name) && [...tainted].some((t) => mentions(value.text, t))) {
            tainted.add(name);
            grew = true;
          }
      }
      for (const o of f.root.descendantsOfType('output_declaration')) {
        const value = o.namedChildren[o.namedChildren.length - 1]!.text;
        for (const t of tainted) expect(mentions(value, t), `${f.path}: output ${o.namedChildren[0]!.text} reads ${t}`).toBe(false);
      }
    }
    const mongo = files.find((f) => f.path.endsWith('mongo-db.bicep'))!;
    expect(mongo.variables.has('uri')).toBe(true); // the taint reaches the connection string variable
  });
});
