/**
 * Compile-time proof that the driver's `Collection<T>` is a `DocCollection<T>`: if the port drifts
 * from the driver, `npm run typecheck` fails here. Nothing in this file runs.
 */
import type { Collection, Db, Document, ObjectId } from 'mongodb';
import type { DocCollection } from '../../bot/store/doc-collection.js';

interface TicketDoc {
  _id: string;
  summary: string;
  openedAt: Date;
  owner: string | null;
  notes: { at: Date; by: string; text: string }[];
  tags: string[];
  project?: { key: string; url?: string };
}

interface LeaseDoc {
  _id?: ObjectId;
  name: string;
  holder?: string;
  expiresAt: Date;
  attempts: number;
}

/** Holds for every document type, not only for the examples below. */
export function fitsForAnyDocument<T extends Document>(c: Collection<T>): DocCollection<T> {
  return c;
}

/** Holds for concrete document types with Dates, nested objects, arrays and optional fields. */
export function fitsForExamples(db: Db): [DocCollection<TicketDoc>, DocCollection<LeaseDoc>, DocCollection<Document>] {
  const tickets: DocCollection<TicketDoc> = db.collection<TicketDoc>('tickets');
  const leases: DocCollection<LeaseDoc> = db.collection<LeaseDoc>('leases');
  const loose: DocCollection<Document> = db.collection('loose');
  return [tickets, leases, loose];
}
