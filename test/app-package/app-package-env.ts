import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A complete set of the manifest's variables, as a deployed environment would have them. */
export const COMPLETE_ENV: Readonly<Record<string, string>> = {
  TEAMS_APP_ID: '6f1c3e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f',
  BOT_ID: '11111111-2222-4333-8444-555555555555',
  BOT_DOMAIN: 'lgdsupport-dev-abc123.azurewebsites.net',
  AAD_APP_CLIENT_ID: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
  APP_NAME_SUFFIX: ' (dev)',
  DEVELOPER_NAME: 'LGSS IT Digital',
  DEVELOPER_WEBSITE_URL: 'https://www.example.org/it',
  DEVELOPER_PRIVACY_URL: 'https://www.example.org/privacy',
  DEVELOPER_TERMS_URL: 'https://www.example.org/terms',
};

/** Writes `.env.<name>` into a fresh folder; `undefined` leaves a key out. Returns the folder. */
export function writeEnvDir(name: string, values: Readonly<Record<string, string | undefined>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lgd-env-'));
  const text = Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}="${v}"`)
    .join('\n');
  writeFileSync(join(dir, `.env.${name}`), `# test environment\n${text}\n`);
  return dir;
}
