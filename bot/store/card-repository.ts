import type { Filter } from 'mongodb';
import type { DocCollection, Store } from './doc-collection.js';
import { COLLECTIONS } from './collections.js';
import { isDuplicateKeyError } from './duplicate-key.js';

/** A card the bot posted for a ticket, so it can be updated in place (never re-posted). */
export interface PostedCard {
  /** `${ticketKey}|${conversationId}` */
  _id: string;
  ticketKey: string;
  conversationId: string;
  activityId: string;
  /** ops: the triage card in the ops channel; owner: the copy in the owner's personal chat; view: a card someone asked for in a chat. */
  kind: 'ops' | 'owner' | 'view';
  /** What the shared card showed when last sent. */
  hash: string;
  /** The ticket was resolved, reassigned away or made project work when last shown: full passes skip it. */
  final: boolean;
  /** When someone first opened a discussion in this card's thread. */
  discussStartedAt?: Date;
  /** For an owner's copy: the analyst whose personal chat it is in. */
  ownerKey?: string;
  /** For an owner's copy: Teams could not reach the owner (app not installed for them, or blocked); not retried. */
  unreachable?: boolean;
  postedAt: Date;
  updatedAt: Date;
}

/** A claim on a card about to be sent: no activity yet, so two instances never both send it. */
export type CardClaim = Pick<PostedCard, '_id' | 'ticketKey' | 'conversationId' | 'kind' | 'postedAt'> & Pick<Partial<PostedCard>, 'ownerKey'>;

/**
 * The cards the bot posted (collection `cards`). A card is claimed (inserted with an empty
 * activity id) before it is sent, then completed with the activity Teams gave it; a claim whose
 * send never completed is released so the card is sent again.
 */
export class CardRepository {
  private readonly col: DocCollection<PostedCard>;

  constructor(store: Store) {
    this.col = store.collection<PostedCard>(COLLECTIONS.cards);
  }

  async init(): Promise<void> {
    await this.col.createIndex({ ticketKey: 1 });
  }

  /** One card by id, or null. */
  get(id: string): Promise<PostedCard | null> {
    return this.col.findOne({ _id: id });
  }

  /** The cards of these tickets; without tickets, every card not final yet. */
  current(ticketKeys?: readonly string[]): Promise<PostedCard[]> {
    const filter = (ticketKeys ? { ticketKey: { $in: [...ticketKeys] } } : { final: { $ne: true } }) as Filter<PostedCard>;
    return this.col.find(filter).toArray();
  }

  /** Which of these tickets have an ops card (posted or claimed). */
  async withOpsCard(ticketKeys: readonly string[]): Promise<Set<string>> {
    const cards = await this.col.find({ kind: 'ops', ticketKey: { $in: [...ticketKeys] } }).toArray();
    return new Set(cards.map((c) => c.ticketKey));
  }

  /** The ticket's posted ops card, or null. */
  opsCardOf(ticketKey: string): Promise<PostedCard | null> {
    return this.col.findOne({ ticketKey, kind: 'ops', activityId: { $ne: '' } });
  }

  /** Claims a card before it is sent; false when it is claimed (or posted) already. */
  async claim(c: CardClaim): Promise<boolean> {
    try {
      await this.col.insertOne({ ...c, activityId: '', hash: '', final: false, updatedAt: c.postedAt });
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  /** Teams took the card: records its activity (and, for an owner's copy, the chat it went to). */
  async posted(id: string, fields: { activityId: string; hash: string; final?: boolean; conversationId?: string }, at: Date): Promise<void> {
    await this.col.updateOne({ _id: id }, { $set: { ...fields, updatedAt: at } });
  }

  /** Drops a claim whose send failed, so that the next pass sends the card again. */
  async release(id: string): Promise<void> {
    await this.col.deleteOne({ _id: id });
  }

  /** Drops a claim that is still unsent (its process died, or Teams failed), so the card is sent again. */
  async releaseStaleClaim(id: string): Promise<void> {
    await this.col.deleteOne({ _id: id, activityId: '' });
  }

  /** The card was updated to show `hash`. */
  async shown(id: string, hash: string, final: boolean, at: Date): Promise<void> {
    await this.col.updateOne({ _id: id }, { $set: { hash, final, updatedAt: at } });
  }

  /** An owner's copy Teams cannot deliver: final, and not retried. */
  async unreachable(id: string, at: Date): Promise<void> {
    await this.col.updateOne({ _id: id }, { $set: { final: true, unreachable: true, updatedAt: at } });
  }

  /** Keeps a card sent in a chat (e.g. for `ticket 123`) up to date from now on. */
  async track(card: Omit<PostedCard, '_id'>): Promise<void> {
    await this.col.replaceOne({ _id: `${card.ticketKey}|${card.conversationId}|${card.activityId}` }, card, { upsert: true });
  }

  /** Records that a discussion was opened in the card's thread; false when one was already. */
  async startDiscussion(id: string, at: Date): Promise<boolean> {
    const r = await this.col.updateOne({ _id: id, discussStartedAt: { $exists: false } }, { $set: { discussStartedAt: at } });
    return r.modifiedCount > 0;
  }
}
