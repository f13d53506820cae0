/** Every variable bot/config.ts reads is named in the README (its configuration table or the text beside it). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../bot/config.js';

/** The variables loadConfig reads: recorded by handing it an environment that notes each read. */
function variablesConfigReads(): string[] {
  const read = new Set<string>();
  const target: Record<string, string | undefined> = {};
  const env = new Proxy(target, {
    get: (_t, key) => {
      if (typeof key === 'string') read.add(key);
      return undefined;
    },
  });
  loadConfig(env);
  return [...read];
}

describe('the README', () => {
  it('names every variable the configuration reads', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const vars = variablesConfigReads();
    expect(vars).toContain('TAB_SSO_CLIENT_ID');
    expect(vars.filter((v) => !readme.includes(`\`${v}\``))).toEqual([]);
  });
});
