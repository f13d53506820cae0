import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseDotenv } from 'dotenv';

/** Where the committed environment files live: `infra/env/`. */
export const DEFAULT_ENV_DIR = join(dirname(fileURLToPath(import.meta.url)), 'env');

/** One environment's values, read from `.env.<env>` and its git-ignored `.env.<env>.user`. */
export interface EnvFiles {
  readonly name: string;
  /** Every key of both files; the `.user` file wins where both set one. */
  readonly values: Readonly<Record<string, string>>;
  /** The file each key's value came from, as a path relative to the working directory. */
  readonly sourceOf: Readonly<Record<string, string>>;
  /** The committed file (`.env.<env>`), for messages about keys it lacks. */
  readonly file: string;
  /** The secrets file (`.env.<env>.user`), whether or not it exists. */
  readonly userFile: string;
  readonly userFileExists: boolean;
}

/** A missing environment file or an environment name that is not one. */
export class EnvFileError extends Error {
  override readonly name = 'EnvFileError';
}

const display = (path: string): string => relative(process.cwd(), path) || path;

/**
 * Reads an environment's files: `.env.<env>` must exist; `.env.<env>.user` (secrets, git-ignored)
 * is read when present. Values are taken from the files only, never from the shell, so that a
 * package or deployment is made from what the repository and its `.user` file say.
 */
export function readEnvFiles(envName: string, envDir: string = DEFAULT_ENV_DIR): EnvFiles {
  if (!/^[a-z0-9][a-z0-9-]{0,31}$/i.test(envName)) {
    throw new EnvFileError(`"${envName}" is not an environment name: use letters, digits and hyphens, e.g. --env dev`);
  }
  const file = join(envDir, `.env.${envName}`);
  const userFile = `${file}.user`;
  if (!existsSync(file)) {
    throw new EnvFileError(`${display(file)} does not exist. Fix: copy infra/env/.env.dev to it and fill in its values (see docs/deploy.md).`);
  }
  const values: Record<string, string> = {};
  const sourceOf: Record<string, string> = {};
  for (const path of [file, userFile]) {
    if (!existsSync(path)) continue;
    for (const [k, v] of Object.entries(parseDotenv(readFileSync(path)))) {
      values[k] = v;
      sourceOf[k] = display(path);
    }
  }
  return { name: envName, values, sourceOf, file: display(file), userFile: display(userFile), userFileExists: existsSync(userFile) };
}
