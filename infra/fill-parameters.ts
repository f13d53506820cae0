/**
 * Fills infra/azure.parameters.json's `${{VAR}}` placeholders from infra/env/.env.<env> and its
 * `.user` secrets file, for `az deployment group create --parameters @<file>`. A variable must be
 * in the env files; an empty value means "use the Bicep default" and is allowed only where the
 * parameter has one. Run: `npx tsx infra/fill-parameters.ts --env dev --out infra/build/azure.parameters.dev.json`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBicep } from './bicep-tree.js';
import { DEFAULT_ENV_DIR, EnvFileError, readEnvFiles } from './env-files.js';
import { fillPlaceholders, PlaceholderError, placeholderNames } from './fill-placeholders.js';

const INFRA_DIR = dirname(fileURLToPath(import.meta.url));

/** An ARM deployment parameters document. */
export interface ParametersFile {
  $schema: string;
  contentVersion: string;
  parameters: Record<string, { value: string | number | boolean }>;
}

export interface FillParametersOptions {
  readonly env: string;
  readonly envDir?: string;
  readonly infraDir?: string;
}

/** The filled parameters; throws a PlaceholderError listing every problem, each naming the variable and its env file. */
export async function fillParameters(opts: FillParametersOptions): Promise<ParametersFile> {
  const infraDir = opts.infraDir ?? INFRA_DIR;
  const env = readEnvFiles(opts.env, opts.envDir ?? DEFAULT_ENV_DIR);
  const template = JSON.parse(readFileSync(join(infraDir, 'azure.parameters.json'), 'utf8')) as ParametersFile;
  const bicep = await parseBicep(join(infraDir, 'azure.bicep'));
  const problems: string[] = [];
  const out: ParametersFile = { ...template, parameters: {} };

  for (const [name, entry] of Object.entries(template.parameters)) {
    const param = bicep.params.find((p) => p.name === name);
    if (!param) {
      problems.push(`azure.parameters.json sets "${name}", which azure.bicep does not declare.`);
      continue;
    }
    const raw = entry.value;
    if (typeof raw !== 'string') {
      out.parameters[name] = { value: raw };
      continue;
    }
    let value: string;
    try {
      value = fillPlaceholders(raw, env, { mayBeEmpty: new Set(param.hasDefault ? placeholderNames(raw) : []) });
    } catch (err) {
      if (err instanceof PlaceholderError) problems.push(...err.problems);
      else throw err;
      continue;
    }
    if (value === '' && param.hasDefault) continue; // the Bicep default applies
    const vars = placeholderNames(raw).join(', ') || name;
    if (param.type === 'int') {
      if (!/^-?\d+$/.test(value.trim())) problems.push(`${vars} must be a whole number for parameter ${name} (in ${env.file}); got "${value}".`);
      else out.parameters[name] = { value: Number(value) };
    } else if (param.type === 'bool') {
      if (!/^(true|false)$/i.test(value.trim())) problems.push(`${vars} must be true or false for parameter ${name} (in ${env.file}); got "${value}".`);
      else out.parameters[name] = { value: value.trim().toLowerCase() === 'true' };
    } else out.parameters[name] = { value };
  }
  for (const p of bicep.params) {
    if (!p.hasDefault && !(p.name in template.parameters)) problems.push(`azure.bicep parameter ${p.name} has no default and azure.parameters.json does not set it.`);
  }
  // MongoDB: either an existing one's connection string, or a password to create the cluster with.
  if (problems.length === 0 && !out.parameters.existingMongoDbUri && !out.parameters.mongoAdminPassword) {
    problems.push(
      `SECRET_MONGODB_ADMIN_PASSWORD and SECRET_MONGODB_URI are both empty in ${env.userFile}: set SECRET_MONGODB_ADMIN_PASSWORD (8-128 characters) to create Azure Cosmos DB for MongoDB (vCore), or SECRET_MONGODB_URI to use an existing MongoDB.`,
    );
  }
  if (problems.length > 0) throw new PlaceholderError(problems);
  return out;
}

function parseArgs(argv: readonly string[]): { env: string; out: string } {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const env = get('--env');
  const out = get('--out');
  if (!env || !out) throw new EnvFileError('usage: npx tsx infra/fill-parameters.ts --env <name> --out <file>');
  return { env, out };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const { env, out } = parseArgs(process.argv.slice(2));
    const filled = await fillParameters({ env });
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(filled, null, 2) + '\n', { mode: 0o600 }); // holds secrets: owner only
  } catch (err) {
    console.error(err instanceof PlaceholderError ? `The deployment parameters were not made:\n  - ${err.problems.join('\n  - ')}` : err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
