import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { bundledSchema, packageApp, PackageError, type TeamsManifest } from '../../appPackage/package-app.js';
import { decodePng, encodePng } from '../../appPackage/png.js';
import { guardNetwork } from '../support/network-guard.js';
import { COMPLETE_ENV, writeEnvDir } from './app-package-env.js';

const APP_DIR = join(import.meta.dirname, '../../appPackage');
const outDir = (): string => mkdtempSync(join(tmpdir(), 'lgd-pkg-'));

/** A copy of appPackage/ to break on purpose. */
function appCopy(edit?: (manifest: Record<string, unknown>) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'lgd-app-'));
  for (const f of ['manifest.json', 'color.png', 'outline.png']) cpSync(join(APP_DIR, f), join(dir, f));
  if (edit) {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    edit(m);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m, null, 2));
  }
  return dir;
}

async function problemsOf(p: Promise<unknown>): Promise<string[]> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PackageError);
  return [...(err as PackageError).problems];
}

describe('npm run package:app', () => {
  it('fills every placeholder, validates offline and zips manifest.json and the icons at the root', async () => {
    const envDir = writeEnvDir('test', COMPLETE_ENV);
    const out = outDir();
    const guard = guardNetwork();
    const { zipPath } = await packageApp({ env: 'test', envDir, outDir: out }).finally(() => guard.restore());
    expect(guard.attempts).toEqual([]); // the schema came from the package, not the web
    expect(zipPath).toBe(join(out, 'appPackage.test.zip'));

    const zip = await JSZip.loadAsync(readFileSync(zipPath));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const text = await zip.file('manifest.json')!.async('string');
    expect(text).not.toContain('${{');
    const manifest = JSON.parse(text) as TeamsManifest;
    // Validated again here, independently, against the schema bundled for the $schema it names.
    expect(manifest.$schema).toMatch(/^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/v1\.2\d\/MicrosoftTeams\.schema\.json$/);
    expect(await AppManifestUtils.validateAgainstSchema(manifest as AppManifest, bundledSchema(manifest.$schema) as never)).toEqual([]);

    expect(manifest.id).toBe(COMPLETE_ENV.TEAMS_APP_ID);
    expect(manifest.name.short).toBe('LGD Support (dev)');
    expect(manifest.bots?.[0]?.botId).toBe(COMPLETE_ENV.BOT_ID);
    expect(manifest.bots?.[0]?.scopes.slice().sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(manifest.webApplicationInfo).toEqual({
      id: COMPLETE_ENV.AAD_APP_CLIENT_ID,
      resource: `api://${COMPLETE_ENV.BOT_DOMAIN}/${COMPLETE_ENV.AAD_APP_CLIENT_ID}`,
    });
    expect(manifest.validDomains).toContain(COMPLETE_ENV.BOT_DOMAIN);
    const queueTab = manifest.staticTabs?.find((t) => t.entityId === 'queue');
    expect(queueTab?.contentUrl).toBe(`https://${COMPLETE_ENV.BOT_DOMAIN}/tab/index.html#/queue`);
    expect(manifest.configurableTabs?.[0]?.configurationUrl).toBe(`https://${COMPLETE_ENV.BOT_DOMAIN}/tab/index.html#/config`);

    const color = decodePng(await zip.file('color.png')!.async('uint8array'));
    const outline = decodePng(await zip.file('outline.png')!.async('uint8array'));
    expect([color.width, color.height, outline.width, outline.height]).toEqual([192, 192, 32, 32]);
  });

  it('allows an empty name suffix (production) but still requires the key', async () => {
    const { manifest } = await packageApp({ env: 'prod', envDir: writeEnvDir('prod', { ...COMPLETE_ENV, APP_NAME_SUFFIX: '' }), outDir: outDir() });
    expect(manifest.name.short).toBe('LGD Support');
    const problems = await problemsOf(packageApp({ env: 'prod', envDir: writeEnvDir('prod', { ...COMPLETE_ENV, APP_NAME_SUFFIX: undefined }), outDir: outDir() }));
    expect(problems.join('\n')).toMatch(/APP_NAME_SUFFIX is not set/);
  });

  it('names each missing or empty variable and the env file to set it in, and writes no zip', async () => {
    const envDir = writeEnvDir('dev', { ...COMPLETE_ENV, BOT_ID: undefined, AAD_APP_CLIENT_ID: '' });
    const problems = await problemsOf(packageApp({ env: 'dev', envDir, outDir: outDir() }));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^BOT_ID is not set: add BOT_ID=<value> to .*\.env\.dev /);
    expect(problems[1]).toMatch(/^AAD_APP_CLIENT_ID is empty in .*\.env\.dev:/);
  });

  it('says which env file is missing', async () => {
    const problems = await problemsOf(packageApp({ env: 'nowhere', envDir: writeEnvDir('dev', COMPLETE_ENV), outDir: outDir() }));
    expect(problems[0]).toMatch(/\.env\.nowhere does not exist/);
  });

  it('fails with the schema\'s own messages for a value the schema refuses', async () => {
    const envDir = writeEnvDir('dev', { ...COMPLETE_ENV, BOT_ID: 'not-a-guid', DEVELOPER_NAME: 'A publisher name that is far longer than thirty-two characters' });
    const problems = await problemsOf(packageApp({ env: 'dev', envDir, outDir: outDir() }));
    expect(problems.some((p) => p.startsWith('schema: /bots/0/botId must match pattern'))).toBe(true);
    expect(problems.some((p) => p.startsWith('schema: /developer/name must NOT have more than 32 characters'))).toBe(true);
  });

  it('fails with the schema\'s own message when a required field is missing', async () => {
    const appDir = appCopy((m) => delete m.developer);
    const problems = await problemsOf(packageApp({ env: 'dev', envDir: writeEnvDir('dev', COMPLETE_ENV), appPackageDir: appDir, outDir: outDir() }));
    expect(problems.join('\n')).toMatch(/schema: +must have required property 'developer'/);
  });

  it('refuses an http URL and a $schema that would have to be fetched', async () => {
    const http = await problemsOf(packageApp({ env: 'dev', envDir: writeEnvDir('dev', { ...COMPLETE_ENV, DEVELOPER_PRIVACY_URL: 'http://www.example.org/privacy' }), outDir: outDir() }));
    expect(http).toEqual(['/developer/privacyUrl: "http://www.example.org/privacy" must be an https URL.']);
    const appDir = appCopy((m) => (m.$schema = 'https://example.org/schema.json'));
    const schema = await problemsOf(packageApp({ env: 'dev', envDir: writeEnvDir('dev', COMPLETE_ENV), appPackageDir: appDir, outDir: outDir() }));
    expect(schema[0]).toMatch(/^\$schema: "https:\/\/example\.org\/schema\.json" is not Microsoft's URL/);
  });

  it('refuses icons of the wrong size and an outline that is not white on transparent', async () => {
    const appDir = appCopy();
    writeFileSync(join(appDir, 'color.png'), encodePng({ width: 100, height: 100, data: new Uint8Array(100 * 100 * 4).fill(255) }));
    const px = new Uint8Array(32 * 32 * 4);
    px.set([255, 0, 0, 255], 0); // one red pixel
    px.set([255, 255, 255, 255], 4);
    writeFileSync(join(appDir, 'outline.png'), encodePng({ width: 32, height: 32, data: px }));
    const problems = await problemsOf(packageApp({ env: 'dev', envDir: writeEnvDir('dev', COMPLETE_ENV), appPackageDir: appDir, outDir: outDir() }));
    expect(problems).toEqual([
      expect.stringMatching(/^icons\.color: .*color\.png is 100×100; Teams needs 192×192\.$/),
      expect.stringMatching(/^icons\.outline: .*outline\.png has 1 pixels that are neither white nor fully transparent\.$/),
    ]);
  });

  it('as a command: exits non-zero and prints the variable and the env file', async () => {
    const envDir = writeEnvDir('ci', { ...COMPLETE_ENV, TEAMS_APP_ID: undefined });
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'appPackage/package-app.ts', '--env', 'ci', '--env-dir', envDir, '--out', outDir()], {
      cwd: join(import.meta.dirname, '../..'),
    });
    const err = (await run.then(
      () => undefined,
      (e: unknown) => e,
    )) as { code?: number; stderr?: string } | undefined;
    expect(err?.code).toBe(1);
    expect(err?.stderr).toMatch(/TEAMS_APP_ID is not set: add TEAMS_APP_ID=<value> to .*\.env\.ci/);
  });
});
