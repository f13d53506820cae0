/**
 * Duplicate-key errors, shaped exactly like the server's: the embedded store throws the driver's
 * own `MongoServerError` with code 11000, so callers handle both backends with one check.
 */
import { BSON, MongoError, MongoServerError, type Document } from 'mongodb';

/** MongoDB's error code for a unique index violation. */
export const DUPLICATE_KEY_CODE = 11000;

/** True for a unique-index violation from either backend (also the driver's bulk-write variant). */
export function isDuplicateKeyError(err: unknown): boolean {
  return err instanceof MongoError && err.code === DUPLICATE_KEY_CODE;
}

/** Builds the server-shaped duplicate key error for `index` of `namespace`. */
export function duplicateKeyError(namespace: string, index: string, keyPattern: Document, keyValue: Document): MongoServerError {
  const shown = BSON.EJSON.stringify(keyValue, { relaxed: true });
  return new MongoServerError({
    message: `E11000 duplicate key error collection: ${namespace} index: ${index} dup key: ${shown}`,
    code: DUPLICATE_KEY_CODE,
    codeName: 'DuplicateKey',
    keyPattern,
    keyValue,
  });
}
