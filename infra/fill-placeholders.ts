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
    if (value === undefined) {
      const file = name.startsWith('SECRET_') ? env.userFile : env.file;
      problems.push(`${name} is not set: add ${name}=<value> to ${file} (docs/deploy.md says where it comes from).`);
    } else if (value.trim() === '' && !opts.mayBeEmpty?.has(name)) {
      problems.push(`${name} is empty in ${env.sourceOf[name] ?? env.file}: give it a value (docs/deploy.md says where it comes from).`);
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
