/**
 * Start-up would print "[DEP0111] DeprecationWarning: Access to process.binding('http_parser') is
 * deprecated". Its cause: restify 11 loads spdy (HTTP/2, which this app does not use), and spdy's
 * http-deceiver 1.2.7 reads `process.binding('http_parser')` as it is loaded. Nothing the app or a
 * person running it can do about it, so exactly that warning is dropped; every other warning, and
 * every other deprecation, is still printed. Imported first by the entry point, before restify.
 */

/** The one warning dropped. */
export const HTTP_PARSER_DEPRECATION = 'DEP0111';

/** True for the warning http-deceiver causes: DEP0111 about `process.binding('http_parser')`, and nothing else. */
export function isHttpDeceiverWarning(warning: unknown, typeOrOptions: unknown, code: unknown): boolean {
  const c = typeof typeOrOptions === 'object' && typeOrOptions !== null ? (typeOrOptions as { code?: unknown }).code : code;
  const text = warning instanceof Error ? warning.message : String(warning);
  return c === HTTP_PARSER_DEPRECATION && text.includes("process.binding('http_parser')");
}

const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  if (isHttpDeceiverWarning(warning, rest[0], rest[1])) return;
  (emitWarning as (w: string | Error, ...r: unknown[]) => void)(warning, ...rest);
});
