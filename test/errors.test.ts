/** Which failures are the store's own (said to the person as such) and which are not, with the MongoDB driver's real error classes. */
import { MongoNetworkError, MongoNetworkTimeoutError, MongoServerError, MongoServerSelectionError, MongoTopologyClosedError, MongoWriteConcernError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { StoreError, storeRefusalText, storeTrouble } from '../bot/errors.js';

const server = (code: number, codeName: string) => new MongoServerError({ code, codeName, errmsg: codeName });

describe('storeTrouble', () => {
  it.each([
    ['the embedded store refusing (SQLITE_FULL as the cause)', new StoreError('cannot write', { cause: Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }) }), 'refused'],
    ['no MongoDB server reachable', new MongoServerSelectionError('Server selection timed out after 5000 ms', {} as never), 'refused'],
    ['the MongoDB client closed', new MongoTopologyClosedError(), 'refused'],
    ['MongoDB out of disk space', server(14031, 'OutOfDiskSpace'), 'refused'],
    ['MongoDB no longer primary', server(10107, 'NotWritablePrimary'), 'refused'],
    ['Cosmos DB request rate too large', server(16500, 'RequestRateTooLarge'), 'refused'],
    ['the connection broke mid-request', new MongoNetworkError('connection reset'), 'lost'],
    ['the request timed out on the socket', new MongoNetworkTimeoutError('timed out'), 'lost'],
    ['the primary stepped down mid-write', server(11602, 'InterruptedDueToReplStateChange'), 'lost'],
    ['applied but not replicated', new MongoWriteConcernError({ writeConcernError: { code: 64, errmsg: 'waiting for replication timed out' } } as never), 'lost'],
    ['a driver error wrapped by the app', new Error('saving the ticket failed', { cause: new MongoServerSelectionError('down', {} as never) }), 'refused'],
  ])('%s: %s', (_what, err, kind) => {
    expect(storeTrouble(err)).toBe(kind);
    expect(storeRefusalText(err)).toMatch(kind === 'refused' ? /nothing was changed\. It cannot save anything right now \(its store refuses writes\)/ : /cannot tell whether your change was kept/);
  });

  it.each([
    ['a duplicate key (the app handles it)', server(11000, 'DuplicateKey')],
    ['a malformed update (a bug: 500)', server(9, 'FailedToParse')],
    ['the app\'s own StoreError about its data', new StoreError('ticket LGD-1 kept changing while it was being updated')],
    ['an ordinary error', new TypeError('x is undefined')],
    ['not an error at all', 'Mongo down'],
    ['an object pretending by name only, without a known code', { name: 'MongoSomething', code: 14031.5 }],
  ])('%s is not the store refusing', (_what, err) => {
    expect(storeTrouble(err)).toBeNull();
    expect(storeRefusalText(err)).toBeNull();
  });
});
