import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { outputsToValues, setEnvValues } from '../../infra/env-values.js';
import { fillParameters } from '../../infra/fill-parameters.js';
import { PlaceholderError, placeholderNames } from '../../infra/fill-placeholders.js';
import { allBicep, INFRA_DIR } from './bicep-files.js';

const template = JSON.parse(readFileSync(join(INFRA_DIR, 'azure.parameters.json'), 'utf8')) as { parameters: Record<string, { value: unknown }> };

/** The committed .env.dev with values filled in, plus a .user file: a deployable environment. */
function envDir(overrides: Record<string, string | undefined> = {}, secrets: Record<string, string | undefined> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'lgd-infra-env-'));
  const filled = {
    AZURE_SUBSCRIPTION_ID: '00000000-0000-0000-0000-000000000000',
    LGD_URL: 'https://lgd.example/ServiceDesk.WebAccess',
    LGD_USERNAME: 'svc.lgdsupport',
    ...overrides,
  };
  let text = readFileSync(join(INFRA_DIR, 'env/.env.dev'), 'utf8');
  text = setEnvValues(text, Object.fromEntries(Object.entries(filled).filter(([, v]) => v !== undefined)));
  for (const [k, v] of Object.entries(filled)) if (v === undefined) text = text.replace(new RegExp(`^${k}=.*\\n`, 'm'), '');
  writeFileSync(join(dir, '.env.dev'), text);
  const user = { SECRET_LGD_PASSWORD: 'lgd pass #1 $x', SECRET_MONGODB_ADMIN_PASSWORD: 'Str0ng!Passw0rd', SECRET_MONGODB_URI: '', SECRET_AZURE_DEVOPS_TOKEN: '', ...secrets };
  writeFileSync(
    join(dir, '.env.dev.user'),
    Object.entries(user)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}="${v}"`)
      .join('\n') + '\n',
  );
  return dir;
}

async function problemsOf(p: Promise<unknown>): Promise<string[]> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PlaceholderError);
  return [...(err as PlaceholderError).problems];
}

describe('infra/azure.parameters.json', () => {
  it('sets only parameters azure.bicep declares, and every one without a default', async () => {
    const main = (await allBicep())[0]!;
    const declared = new Set(main.params.map((p) => p.name));
    for (const name of Object.keys(template.parameters)) expect(declared, name).toContain(name);
    for (const p of main.params.filter((x) => !x.hasDefault)) expect(Object.keys(template.parameters), p.name).toContain(p.name);
  });

  it('fills from .env.dev and its .user file: secrets included, numbers as numbers, empty values left to the Bicep default', async () => {
    const filled = await fillParameters({ env: 'dev', envDir: envDir() });
    expect(filled.parameters.lgdUrl).toEqual({ value: 'https://lgd.example/ServiceDesk.WebAccess' });
    expect(filled.parameters.lgdPassword).toEqual({ value: 'lgd pass #1 $x' });
    expect(filled.parameters.mongoStorageGb).toEqual({ value: 32 });
    expect(filled.parameters.resourceBaseName).toEqual({ value: 'lgdsupport-dev' });
    for (const omitted of ['leads', 'lgdMapping', 'existingMongoDbUri', 'tabSsoClientId', 'azureDevOpsToken']) expect(filled.parameters, omitted).not.toHaveProperty(omitted);
    expect(JSON.stringify(filled)).not.toContain('${{');
  });

  it('names each missing variable and the file it belongs in; a required one may not be empty', async () => {
    const problems = await problemsOf(fillParameters({ env: 'dev', envDir: envDir({ LGD_USERNAME: undefined, LGD_URL: '' }, { SECRET_LGD_PASSWORD: undefined }) }));
    expect(problems).toEqual([
      expect.stringMatching(/^LGD_URL is empty in .*\.env\.dev:/),
      expect.stringMatching(/^LGD_USERNAME is not set: add LGD_USERNAME=<value> to .*\.env\.dev /),
      expect.stringMatching(/^SECRET_LGD_PASSWORD is not set: add SECRET_LGD_PASSWORD=<value> to .*\.env\.dev\.user /),
    ]);
  });

  it('needs either a MongoDB to use or a password to create one with', async () => {
    const problems = await problemsOf(fillParameters({ env: 'dev', envDir: envDir({}, { SECRET_MONGODB_ADMIN_PASSWORD: '' }) }));
    expect(problems[0]).toMatch(/SECRET_MONGODB_ADMIN_PASSWORD and SECRET_MONGODB_URI are both empty/);
    const existing = await fillParameters({ env: 'dev', envDir: envDir({}, { SECRET_MONGODB_ADMIN_PASSWORD: '', SECRET_MONGODB_URI: 'mongodb+srv://u:p@atlas.example/' }) });
    expect(existing.parameters.existingMongoDbUri).toEqual({ value: 'mongodb+srv://u:p@atlas.example/' });
  });

  it('refuses a number that is not one', async () => {
    const problems = await problemsOf(fillParameters({ env: 'dev', envDir: envDir({ MONGODB_STORAGE_GB: 'lots' }) }));
    expect(problems).toEqual([expect.stringMatching(/^MONGODB_STORAGE_GB must be a whole number for parameter mongoStorageGb/)]);
  });

  it('reads every variable it fills from the env template', () => {
    const keys = new Set([...readFileSync(join(INFRA_DIR, 'env/.env.dev'), 'utf8').matchAll(/^([A-Z][A-Za-z0-9_]*)=/gm), ...readFileSync(join(INFRA_DIR, 'env/.env.dev.user.example'), 'utf8').matchAll(/^([A-Z][A-Za-z0-9_]*)=/gm)].map((m) => m[1]));
    for (const v of placeholderNames(JSON.stringify(template))) expect(keys, v).toContain(v);
  });
});

describe('infra/env-values.ts', () => {
  it('sets values in an env file keeping its comments, order and quoting', () => {
    const before = '# comment\nBOT_ID=\nAPP_NAME_SUFFIX=" (dev)"\n\n# later\nBOT_DOMAIN=old.example\n';
    const after = setEnvValues(before, { BOT_DOMAIN: 'new.example', BOT_ID: 'abc', NEW_KEY: 'two words', QUOTED: 'say "hi" #1' });
    expect(after).toBe('# comment\nBOT_ID=abc\nAPP_NAME_SUFFIX=" (dev)"\n\n# later\nBOT_DOMAIN=new.example\nNEW_KEY="two words"\nQUOTED=\'say "hi" #1\'\n');
    expect(parseDotenv(after)).toMatchObject({ BOT_ID: 'abc', APP_NAME_SUFFIX: ' (dev)', NEW_KEY: 'two words', QUOTED: 'say "hi" #1' });
  });

  it('takes deployment outputs named after env variables, and refuses a secure one', () => {
    expect(outputsToValues({ BOT_ID: { type: 'String', value: 'x' }, helper: { type: 'String', value: 'y' } })).toEqual({ BOT_ID: 'x' });
    expect(() => outputsToValues({ MONGODB_URI: { type: 'SecureString', value: 's' } })).toThrow(/secure/);
  });

  it('each output of the Bicep has a key in .env.dev to land in', async () => {
    const main = (await allBicep())[0]!;
    const text = readFileSync(join(INFRA_DIR, 'env/.env.dev'), 'utf8');
    for (const o of main.outputs) expect(text, o.name).toMatch(new RegExp(`^${o.name}=`, 'm'));
  });
});
