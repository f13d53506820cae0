/**
 * Reads and writes single values of infra/env/.env.<env> for the shell scripts, which cannot parse
 * dotenv quoting safely themselves.
 *   npx tsx infra/env-values.ts get <env> KEY              prints the value (.user file included)
 *   npx tsx infra/env-values.ts set <env> KEY=VALUE ...    writes into .env.<env> (never secrets)
 *   az ... --query properties.outputs | npx tsx infra/env-values.ts set-outputs <env>
 *                                                          writes the deployment's outputs into .env.<env>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ENV_DIR, EnvFileError, readEnvFiles } from './env-files.js';

/** A dotenv value as dotenv reads it back: bare when plain, else in quotes it does not contain. */
function quote(value: string): string {
  if (/^[A-Za-z0-9_.:/@+,=-]*$/.test(value)) return value;
  if (/[\r\n]/.test(value)) throw new EnvFileError('a value with a line break cannot be written to an env file');
  const q = ['"', "'", '`'].find((c) => !value.includes(c));
  if (!q) throw new EnvFileError('a value holding all three quote characters cannot be written to an env file');
  return `${q}${value}${q}`;
}

/**
 * Sets keys in a dotenv file, keeping its comments and order: an existing `KEY=` line is
 * replaced, a new key is appended. Returns the new text.
 */
export function setEnvValues(text: string, values: Readonly<Record<string, string>>): string {
  const lines = text.split('\n');
  const left = new Map(Object.entries(values));
  const out = lines.map((line) => {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line);
    const key = m?.[1];
    if (key === undefined || !left.has(key)) return line;
    const v = left.get(key) ?? '';
    left.delete(key);
    return `${key}=${quote(v)}`;
  });
  if (out.length > 0 && out[out.length - 1] === '') out.pop();
  for (const [k, v] of left) out.push(`${k}=${quote(v)}`);
  return out.join('\n') + '\n';
}

/** ARM deployment outputs (`{ NAME: { type, value } }`) as env values; secure outputs are refused. */
export function outputsToValues(outputs: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  if (!outputs || typeof outputs !== 'object') throw new EnvFileError('the deployment outputs are not a JSON object');
  for (const [name, o] of Object.entries(outputs as Record<string, { type?: string; value?: unknown }>)) {
    if (/^secure/i.test(o.type ?? '')) throw new EnvFileError(`output ${name} is secure and is not written to an env file`);
    if (!/^[A-Z][A-Z0-9_]*$/.test(name)) continue; // only outputs named after env variables
    values[name] = String(o.value ?? '');
  }
  return values;
}

function main(argv: readonly string[]): void {
  const [command, envName, ...rest] = argv;
  if (!command || !envName) throw new EnvFileError('usage: npx tsx infra/env-values.ts get|set|set-outputs <env> ...');
  const env = readEnvFiles(envName);
  const file = join(DEFAULT_ENV_DIR, `.env.${envName}`);
  if (command === 'get') {
    const key = rest[0];
    if (!key) throw new EnvFileError('usage: npx tsx infra/env-values.ts get <env> KEY');
    const value = env.values[key];
    if (value === undefined) throw new EnvFileError(`${key} is not set in ${env.file} (nor ${env.userFile}). Fix: add ${key}=<value> (docs/deploy.md says where it comes from).`);
    process.stdout.write(value + '\n');
  } else if (command === 'set' || command === 'set-outputs') {
    const values =
      command === 'set'
        ? Object.fromEntries(
            rest.map((kv) => {
              const i = kv.indexOf('=');
              if (i <= 0) throw new EnvFileError(`"${kv}" is not KEY=VALUE`);
              return [kv.slice(0, i), kv.slice(i + 1)];
            }),
          )
        : outputsToValues(JSON.parse(readFileSync(0, 'utf8')));
    for (const key of Object.keys(values)) if (key.startsWith('SECRET_')) throw new EnvFileError(`${key} is a secret: it belongs in ${env.userFile}, not ${env.file}`);
    writeFileSync(file, setEnvValues(readFileSync(file, 'utf8'), values));
    for (const [k, v] of Object.entries(values)) console.log(`${env.file}: ${k}=${v}`);
  } else throw new EnvFileError(`unknown command "${command}": use get, set or set-outputs`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
