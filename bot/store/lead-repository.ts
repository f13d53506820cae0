import type { DocCollection, Store } from './doc-collection.js';
import { COLLECTIONS } from './collections.js';
import { isDuplicateKeyError } from './duplicate-key.js';

/** A lead developer or scrum master: may triage any day and manage the team's settings. */
export interface Lead {
  /** E-mail / UPN, lower case. */
  email: string;
  /** Who added them ("LEADS configuration", "installation", or a lead's name). */
  addedBy: string;
  addedAt: Date;
}

/**
 * The leads, as one document (collection `leads`, `_id: 'leads'`), so that "never remove the last
 * lead" and "the installer becomes the first lead only when there is none" are single atomic
 * conditional updates, safe with several instances.
 */
interface LeadsDoc {
  _id: 'leads';
  members: Lead[];
  updatedAt: Date;
}

const ID = 'leads' as const;

/** Leads in the store: seeded from `LEADS`, managed by leads from chat. */
export class LeadRepository {
  private readonly col: DocCollection<LeadsDoc>;

  constructor(
    store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.col = store.collection<LeadsDoc>(COLLECTIONS.leads);
  }

  /** Every lead, in the order they were added. */
  async list(): Promise<Lead[]> {
    return (await this.col.findOne({ _id: ID }))?.members ?? [];
  }

  /** The leads' e-mails, lower case. */
  async emails(): Promise<string[]> {
    return (await this.list()).map((l) => l.email);
  }

  /** Writes `emails` as the leads when the store has never had any; returns how many were written. */
  async seed(emails: readonly string[], addedBy: string): Promise<number> {
    const members = [...new Set(emails.map((e) => e.trim().toLowerCase()).filter(Boolean))].map((email) => ({ email, addedBy, addedAt: this.clock() }));
    if (members.length === 0) return 0;
    try {
      // $setOnInsert: an existing document (leads managed from chat, even none left by a bug) is never overwritten.
      const r = await this.col.updateOne({ _id: ID }, { $setOnInsert: { members, updatedAt: this.clock() } }, { upsert: true });
      return r.upsertedCount > 0 ? members.length : 0;
    } catch (err) {
      if (isDuplicateKeyError(err)) return 0;
      throw err;
    }
  }

  /** Adds a lead; false when they already are one. */
  async add(email: string, addedBy: string): Promise<boolean> {
    const lead: Lead = { email, addedBy, addedAt: this.clock() };
    try {
      const r = await this.col.updateOne(
        { _id: ID, 'members.email': { $ne: email } },
        { $push: { members: lead }, $set: { updatedAt: lead.addedAt } },
        { upsert: true },
      );
      return r.modifiedCount + r.upsertedCount > 0;
    } catch (err) {
      // The upsert met the existing document, which already holds this lead.
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  /** Makes `email` the first lead, only while there is no lead at all; true when it did. */
  async addFirst(email: string, addedBy: string): Promise<boolean> {
    const lead: Lead = { email, addedBy, addedAt: this.clock() };
    try {
      const r = await this.col.updateOne(
        { _id: ID, 'members.0': { $exists: false } },
        { $push: { members: lead }, $set: { updatedAt: lead.addedAt } },
        { upsert: true },
      );
      return r.modifiedCount + r.upsertedCount > 0;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  /** Removes a lead unless they are the last one: one conditional update, so two removals at once cannot empty the list. */
  async remove(email: string): Promise<'removed' | 'not_a_lead' | 'last_lead'> {
    const r = await this.col.updateOne(
      { _id: ID, 'members.email': email, 'members.1': { $exists: true } },
      { $pull: { members: { email } }, $set: { updatedAt: this.clock() } },
    );
    if (r.modifiedCount > 0) return 'removed';
    return (await this.emails()).includes(email) ? 'last_lead' : 'not_a_lead';
  }
}
