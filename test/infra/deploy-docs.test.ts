import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IDENTITY_VARS } from '../../bot/config.js';
import { placeholderNames } from '../../infra/fill-placeholders.js';
import { allBicep, INFRA_DIR } from './bicep-files.js';

const ROOT = join(INFRA_DIR, '..');
const read = (p: string): string => readFileSync(join(ROOT, p), 'utf8');
const guide = read('docs/deploy.md');
const template = read('infra/env/.env.dev') + read('infra/env/.env.dev.user.example');
const keysOf = (text: string): string[] => [...text.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((m) => m[1] as string);
const named = (text: string, name: string): boolean => new RegExp(`(?<![A-Za-z0-9_])${name}(?![A-Za-z0-9_])`).test(text);

/** Every variable a newcomer meets on the deploy path. */
async function deployVariables(): Promise<Map<string, string>> {
  const vars = new Map<string, string>();
  for (const v of placeholderNames(read('appPackage/manifest.json'))) vars.set(v, 'a placeholder in appPackage/manifest.json');
  for (const f of readdirSync(join(INFRA_DIR, 'env')).filter((f) => f.startsWith('.env.') && !f.endsWith('.user')))
    for (const k of keysOf(read(`infra/env/${f}`))) vars.set(k, `a key of infra/env/${f}`);
  const params = JSON.parse(read('infra/azure.parameters.json')) as { parameters: Record<string, { value: unknown }> };
  const main = (await allBicep())[0]!;
  for (const p of main.params.filter((x) => !x.hasDefault)) {
    vars.set(p.name, 'a Bicep parameter without a default');
    for (const v of placeholderNames(JSON.stringify(params.parameters[p.name] ?? ''))) vars.set(v, `the variable that fills Bicep parameter ${p.name}`);
  }
  // What the checked, production start needs from the deployment: the whole identity, and where the app reports to.
  for (const v of IDENTITY_VARS) vars.set(v, 'a variable of the identity a production start needs (bot/config.ts IDENTITY_VARS)');
  vars.set('MicrosoftAppType', 'how the bot authenticates (a managed identity in Azure)');
  vars.set('APPLICATIONINSIGHTS_CONNECTION_STRING', 'the app setting that turns telemetry on');
  return vars;
}

describe('docs/deploy.md and the env template leave nothing to guess', () => {
  it('the guide names every variable the deploy path needs', async () => {
    const missing = [...(await deployVariables())].filter(([v]) => !named(guide, v)).map(([v, why]) => `${v} (${why})`);
    expect(missing).toEqual([]);
  });

  it('the env template (.env.dev and .env.dev.user.example) names every one of them too', async () => {
    const params = new Set((await allBicep())[0]!.params.map((p) => p.name));
    const missing = [...(await deployVariables())].filter(([v]) => !params.has(v) && !named(template, v)).map(([v, why]) => `${v} (${why})`);
    expect(missing).toEqual([]);
  });

  it('the check bites: a variable the guide does not mention is found', () => {
    expect(named(guide, 'NOT_A_DEPLOY_VARIABLE')).toBe(false);
    expect(named(guide, 'BOT_ID')).toBe(true);
    expect(named('xBOT_IDENTITY', 'BOT_ID')).toBe(false);
  });

  it('the guide shows each command of the deploy path', () => {
    for (const cmd of ['npm ci', 'infra/deploy.sh dev', 'infra/create-sso-app.sh dev', 'npm run package:app -- --env dev', 'triage here']) expect(guide).toContain(cmd);
  });
});
