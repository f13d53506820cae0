/**
 * `npm run package:app -- --env dev`: fills manifest.json's `${{VAR}}` placeholders from
 * infra/env/.env.<env> (+ .env.<env>.user), validates the result offline against the schema its
 * `$schema` names (bundled with @microsoft/app-manifest), checks the icons, and writes
 * appPackage/build/appPackage.<env>.zip for upload to Teams.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppManifestUtils, type AppManifest, type TeamsManifestV1D24 } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { DEFAULT_ENV_DIR, EnvFileError, readEnvFiles, type EnvFiles } from '../infra/env-files.js';
import { fillPlaceholders, PlaceholderError } from '../infra/fill-placeholders.js';
import { checkIcons } from './check-icons.js';

const APP_PACKAGE_DIR = dirname(fileURLToPath(import.meta.url));

/** The manifest as this app writes it (schema 1.24); other versions validate too, read through the same fields. */
export type TeamsManifest = TeamsManifestV1D24.TeamsManifestV1D24;

/** Variables that may be empty on purpose: production has no name suffix. */
export const MAY_BE_EMPTY: ReadonlySet<string> = new Set(['APP_NAME_SUFFIX']);

/** Teams' own limits on bot commands, stricter than the JSON schema's (which allows 12 a list). */
export const COMMAND_LIMITS = { perScope: 10, title: 32, description: 128 } as const;

const SCHEMA_URL = /^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/(v1\.\d+)\/MicrosoftTeams\.schema\.json$/;

/** The manifest could not be packaged: each problem is a sentence naming what to fix. */
export class PackageError extends Error {
  override readonly name = 'PackageError';
  constructor(readonly problems: readonly string[]) {
    super(`The app package was not made:\n  - ${problems.join('\n  - ')}`);
  }
}

export interface PackageAppOptions {
  /** Environment name: reads `.env.<env>` and `.env.<env>.user`. */
  readonly env: string;
  readonly envDir?: string;
  /** Folder with manifest.json and the icons. */
  readonly appPackageDir?: string;
  /** Where the zip goes; default appPackage/build. */
  readonly outDir?: string;
}

export interface PackagedApp {
  readonly zipPath: string;
  readonly manifest: TeamsManifest;
}

/** The schema `$schema` names, read from the copy bundled with @microsoft/app-manifest (never fetched). */
export function bundledSchema(schemaUrl: unknown): object {
  const m = typeof schemaUrl === 'string' ? SCHEMA_URL.exec(schemaUrl) : null;
  if (!m) {
    throw new PackageError([
      `$schema: "${String(schemaUrl)}" is not Microsoft's URL of a Teams manifest schema (https://developer.microsoft.com/json-schemas/teams/v1.NN/MicrosoftTeams.schema.json); validation runs offline against the bundled copy of that schema.`,
    ]);
  }
  const pkgMain = createRequire(import.meta.url).resolve('@microsoft/app-manifest');
  const path = join(dirname(pkgMain), 'json-schemas', 'teams', m[1] as string, 'MicrosoftTeams.schema.json');
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as object;
  } catch {
    throw new PackageError([`$schema: version ${m[1]} is not bundled with @microsoft/app-manifest (no ${path}); pick one of its json-schemas/teams versions.`]);
  }
}

/** Checks the schema leaves to Teams: https everywhere, and the command list limits. */
function teamsRules(manifest: TeamsManifest): string[] {
  const problems: string[] = [];
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'string') {
      if (/^http:\/\//i.test(v)) problems.push(`${path}: "${v}" must be an https URL.`);
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}/${i}`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${path}/${k}`);
  };
  walk(manifest, '');
  (manifest.bots ?? []).forEach((bot, b) => {
    (bot.commandLists ?? []).forEach((list, l) => {
      const at = `/bots/${b}/commandLists/${l}`;
      if (list.commands.length > COMMAND_LIMITS.perScope) problems.push(`${at}: ${list.commands.length} commands; Teams shows at most ${COMMAND_LIMITS.perScope} a scope.`);
      list.commands.forEach((c, i) => {
        if (c.title.length > COMMAND_LIMITS.title) problems.push(`${at}/commands/${i}/title: "${c.title}" is longer than ${COMMAND_LIMITS.title} characters.`);
        if (c.description.length > COMMAND_LIMITS.description) problems.push(`${at}/commands/${i}/description: longer than ${COMMAND_LIMITS.description} characters.`);
      });
    });
  });
  return problems;
}

/** Fills, validates and zips the manifest and icons; throws PackageError (or the env file's error) on any problem. */
export async function packageApp(opts: PackageAppOptions): Promise<PackagedApp> {
  const appDir = opts.appPackageDir ?? APP_PACKAGE_DIR;
  const manifestPath = join(appDir, 'manifest.json');
  let env: EnvFiles;
  let filled: string;
  try {
    env = readEnvFiles(opts.env, opts.envDir ?? DEFAULT_ENV_DIR);
    filled = fillPlaceholders(readFileSync(manifestPath, 'utf8'), env, { mayBeEmpty: MAY_BE_EMPTY, json: true });
  } catch (err) {
    if (err instanceof PlaceholderError) throw new PackageError(err.problems);
    if (err instanceof EnvFileError) throw new PackageError([err.message]);
    throw err;
  }
  let manifest: TeamsManifest;
  try {
    manifest = JSON.parse(filled) as TeamsManifest;
  } catch (err) {
    throw new PackageError([`${manifestPath} is not valid JSON once filled (${(err as Error).message}).`]);
  }
  const schemaErrors = await AppManifestUtils.validateAgainstSchema(manifest as AppManifest, bundledSchema(manifest.$schema) as never);
  const problems = [...schemaErrors.map((e) => `schema: ${e.trim()}`), ...teamsRules(manifest), ...checkIcons(appDir, manifest.icons)];
  if (problems.length > 0) throw new PackageError(problems);

  const zip = new JSZip();
  const fixedDate = new Date('2000-01-01T00:00:00Z'); // same inputs, same bytes
  zip.file('manifest.json', JSON.stringify(manifest, null, 2) + '\n', { date: fixedDate });
  for (const icon of [manifest.icons.color, manifest.icons.outline]) zip.file(icon, readFileSync(join(appDir, icon)), { date: fixedDate });
  const outDir = opts.outDir ?? join(appDir, 'build');
  mkdirSync(outDir, { recursive: true });
  const zipPath = join(outDir, `appPackage.${env.name}.zip`);
  writeFileSync(zipPath, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'UNIX' }));
  writeFileSync(join(outDir, `manifest.${env.name}.json`), JSON.stringify(manifest, null, 2) + '\n');
  return { zipPath, manifest };
}

function parseArgs(argv: readonly string[]): PackageAppOptions {
  const opts: { env?: string; envDir?: string; outDir?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new PackageError([`${a} needs a value.`]);
      return v;
    };
    if (a === '--env') opts.env = next();
    else if (a === '--env-dir') opts.envDir = next();
    else if (a === '--out') opts.outDir = next();
    else throw new PackageError([`unknown argument "${a}": use --env <name> [--env-dir <dir>] [--out <dir>].`]);
  }
  if (!opts.env) throw new PackageError(['say which environment: npm run package:app -- --env dev']);
  return { ...opts, env: opts.env };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const { zipPath, manifest } = await packageApp(parseArgs(process.argv.slice(2)));
    console.log(`wrote ${relative(process.cwd(), zipPath)} (${manifest.name.short} ${manifest.version}, bot ${manifest.bots?.[0]?.botId ?? 'none'})`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
