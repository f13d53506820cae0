import { describe, expect, it } from 'vitest';
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { openMongoStore } from '../../bot/store/mongo-store.js';
import { openStore } from '../../bot/store/open-store.js';
import { defineStoreContract } from './store-contract.js';

const uri = process.env.MONGODB_URI;
const dbName = `store_contract_${Date.now()}_${process.pid}`;

describe.skipIf(!uri)(uri ? 'MongoDB store contract (MONGODB_URI)' : 'MongoDB store contract (skipped: set MONGODB_URI to run it against a MongoDB server)', () => {
  defineStoreContract('mongodb', {
    open: () => openMongoStore({ uri: uri ?? '', dbName }),
    destroy: async () => {
      const client = await MongoClient.connect(uri ?? '');
      try {
        await client.db(dbName).dropDatabase();
      } finally {
        await client.close();
      }
    },
  });

  it('is what openStore picks when a URI is set', async () => {
    const store = await openStore({ mongodbUri: uri, dataDir: '/nonexistent', logger: pino({ level: 'silent' }) });
    expect(store.kind).toBe('mongodb');
    expect((await store.ping()).ok).toBe(true);
    await store.close();
  });
});
