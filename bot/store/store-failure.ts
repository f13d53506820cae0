import { StoreError } from '../errors.js';

/** Wraps a backend failure (SQLite, MongoDB) as the app's StoreError, keeping the cause for logs. */
export function storeFailure(what: string, err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  const code = err !== null && typeof err === 'object' && 'code' in err ? `${String(err.code)}: ` : '';
  const reason = err instanceof Error ? `${code}${err.message}` : String(err);
  return new StoreError(`${what}: ${reason}`, { cause: err });
}
