import { afterEach, describe, expect, it } from 'vitest';
import { isHttpDeceiverWarning } from '../bot/silence-http-parser-warning.js';

const seen: Error[] = [];
const collect = (w: Error): void => void seen.push(w);
afterEach(() => {
  process.off('warning', collect);
  seen.length = 0;
});

/** The warnings `emit` makes reach the process's listeners. */
async function warningsOf(emit: () => void): Promise<string[]> {
  process.on('warning', collect);
  emit();
  await new Promise((r) => setTimeout(r, 20));
  return seen.map((w) => `${(w as Error & { code?: string }).code ?? ''} ${w.message}`);
}

describe('the http-deceiver deprecation, and only it, is dropped', () => {
  it('recognises exactly DEP0111 about process.binding(http_parser)', () => {
    expect(isHttpDeceiverWarning("Access to process.binding('http_parser') is deprecated.", 'DeprecationWarning', 'DEP0111')).toBe(true);
    expect(isHttpDeceiverWarning("Access to process.binding('http_parser') is deprecated.", { type: 'DeprecationWarning', code: 'DEP0111' }, undefined)).toBe(true);
    expect(isHttpDeceiverWarning("Access to process.binding('fs') is deprecated.", 'DeprecationWarning', 'DEP0111')).toBe(false);
    expect(isHttpDeceiverWarning('Buffer() is deprecated', 'DeprecationWarning', 'DEP0005')).toBe(false);
  });

  it('lets every other warning through once installed', async () => {
    const got = await warningsOf(() => {
      process.emitWarning("Access to process.binding('http_parser') is deprecated.", 'DeprecationWarning', 'DEP0111');
      process.emitWarning("Access to process.binding('fs') is deprecated.", 'DeprecationWarning', 'DEP0111');
      process.emitWarning('something else', { type: 'Warning', code: 'X_TEST' });
    });
    expect(got).toEqual(["DEP0111 Access to process.binding('fs') is deprecated.", 'X_TEST something else']);
  });
});
