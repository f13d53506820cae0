import type { EnvFiles } from './env-files.js';

/** `${{NAME}}`, the Agents Toolkit's placeholder form (spaces inside the braces tolerated). */
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Placeholders that could not be filled, each named with the file it should be set in. */
export class PlaceholderError extends Error {
  override readonly name = 'PlaceholderError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

export interface FillOptions {
  /** Variables whose empty value means something (e.g. no name suffix); they must still be present. */
  readonly mayBeEmpty?: ReadonlySet<string>;
  /** Escape values for the inside of a JSON string (the manifest and the parameters file are JSON). */
  readonly json?: boolean;
}

/** Where the values a newcomer does not choose come from; `<env>` is the environment's name. */
const WHERE_FROM: Readonly<Record<string, string>> = {
  TEAMS_APP_ID: 'make one GUID: node -e "console.log(crypto.randomUUID())"',
  BOT_ID: 'infra/deploy.sh <env> writes it',
  BOT_DOMAIN: 'infra/deploy.sh <env> writes it',
  AAD_APP_CLIENT_ID: 'infra/create-sso-app.sh <env> writes it',
};

/** The names of the placeholders in a text, in order of first appearance. */
export function placeholderNames(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string))];
}

/**
 * Replaces every `${{NAME}}` in `text` with the environment's value. Throws a PlaceholderError
 * naming each variable that is missing or empty and the env file to set it in.
 */
export function fillPlaceholders(text: string, env: EnvFiles, opts: FillOptions = {}): string {
  const problems: string[] = [];
  for (const name of placeholderNames(text)) {
    const value = env.values[name];
    const whereFrom = WHERE_FROM[name]?.replace('<env>', env.name) ?? 'docs/deploy.md says where it comes from';
    if (value === undefined) {
      const secret = name.startsWith('SECRET_');
      const copyFirst = secret && !env.userFileExists ? `; copy ${env.userFile}.example to it first` : '';
      problems.push(`${name} is not set: add ${name}=<value> to ${secret ? env.userFile : env.file} (${whereFrom}${copyFirst}).`);
    } else if (value.trim() === '' && !opts.mayBeEmpty?.has(name)) {
      problems.push(`${name} is empty in ${env.sourceOf[name] ?? env.file}: give it a value (${whereFrom}).`);
    }
  }
  const leftover = text.replace(PLACEHOLDER, '').match(/\$\{\{[^}]*\}?\}?/);
  if (leftover) problems.push(`"${leftover[0]}" is not a placeholder this tool understands: write \${{NAME}} with a name of letters, digits and underscores.`);
  if (problems.length > 0) throw new PlaceholderError(problems);
  return text.replace(PLACEHOLDER, (_m, name: string) => {
    const value = env.values[name] ?? '';
    return opts.json ? JSON.stringify(value).slice(1, -1) : value;
  });
}
