/**
 * The MongoDB store's face of a driver collection: the driver's `Collection<T>` as it is, except
 * that a write's `writeConcern` (RELAXED_WRITE's `journal: false`) is not passed on. The server's
 * write concern (the connection string's, else the deployment's default) stays in force for every
 * write, for two reasons:
 * - the driver does not merge an operation's write concern into the connection's, it replaces it
 *   (WriteConcern.fromOptions): `{ journal: false }` would silently drop an operator's `w=majority`
 *   or `wtimeoutMS` from the URI, and with it the durability production was set up with;
 * - what relaxing buys on the embedded store is an fsync of a local file per commit; on MongoDB the
 *   sync's writes cost network round trips, and the server groups journal commits itself (on a
 *   standalone with the default `w: 1` it does not wait for the journal at all).
 */
import type { Collection, Document } from 'mongodb';
import type { DocCollection, DocWriteOptions } from './doc-collection.js';

/** `options` without their write concern (the same object when they have none). */
function serverDefault<O extends DocWriteOptions>(options: O | undefined): Omit<O, 'writeConcern'> | undefined {
  if (options?.writeConcern === undefined) return options;
  const { writeConcern: _ignored, ...rest } = options;
  return rest;
}

/** `col` as the store port, every write under the server's write concern (see above). */
export function mongoCollection<T extends Document>(col: Collection<T>): DocCollection<T> {
  return {
    insertOne: (doc, options) => col.insertOne(doc, serverDefault(options)),
    insertMany: (docs, options) => col.insertMany(docs, serverDefault(options)),
    findOne: (filter, options) => col.findOne(filter, options),
    find: (filter, options) => col.find(filter, options),
    countDocuments: (filter) => col.countDocuments(filter),
    updateOne: (filter, update, options) => col.updateOne(filter, update, serverDefault(options)),
    updateMany: (filter, update, options) => col.updateMany(filter, update, serverDefault(options)),
    findOneAndUpdate: (filter, update, options) => col.findOneAndUpdate(filter, update, serverDefault(options) ?? {}),
    replaceOne: (filter, replacement, options) => col.replaceOne(filter, replacement, serverDefault(options)),
    deleteOne: (filter, options) => col.deleteOne(filter, serverDefault(options)),
    deleteMany: (filter, options) => col.deleteMany(filter, serverDefault(options)),
    bulkWrite: (operations, options) => col.bulkWrite(operations, serverDefault(options)),
    createIndex: (keys, options) => col.createIndex(keys, options),
    aggregate: <R extends Document = Document>(pipeline: Document[]) => col.aggregate<R>(pipeline),
  };
}
