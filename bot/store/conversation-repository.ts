import { StoreError } from '../errors.js';
import type { ConversationRecord, Conversations, TeamRecord } from '../teams/teams-ports.js';
import type { DocCollection, Store } from './doc-collection.js';
import { COLLECTIONS } from './collections.js';

/** A channel conversation id without the `;messageid=...` of the thread it came from. */
export function normaliseConversationId(id: string): string {
  const i = id.indexOf(';messageid=');
  return i < 0 ? id : id.slice(0, i);
}

/** Conversation references and team installations, in the store (`conversations`, `teams`). */
export class ConversationRepository implements Conversations {
  private readonly conversations: DocCollection<ConversationRecord>;
  private readonly teams: DocCollection<TeamRecord>;

  constructor(
    store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.conversations = store.collection<ConversationRecord>(COLLECTIONS.conversations);
    this.teams = store.collection<TeamRecord>(COLLECTIONS.teams);
  }

  /** Creates the indexes the lookups use. */
  async init(): Promise<void> {
    await this.conversations.createIndex({ userAadObjectId: 1 });
    await this.conversations.createIndex({ tenantId: 1 });
    await this.teams.createIndex({ installedAt: 1 });
  }

  /** Upserts a conversation by its (normalised) id. */
  async save(rec: Omit<ConversationRecord, 'updatedAt'>): Promise<void> {
    const id = normaliseConversationId(rec._id);
    const { _id: _ignored, ...rest } = rec;
    const conversation = rec.reference.conversation ? { ...rec.reference.conversation, id } : undefined;
    const reference = conversation ? { ...rec.reference, conversation } : rec.reference;
    await this.conversations.replaceOne({ _id: id }, { ...rest, reference, updatedAt: this.now() }, { upsert: true });
  }

  async get(id: string): Promise<ConversationRecord | null> {
    return this.conversations.findOne({ _id: normaliseConversationId(id) });
  }

  /** The user's most recently seen 1:1 chat with the bot. */
  async personalOf(aadObjectId: string): Promise<ConversationRecord | null> {
    return this.conversations.findOne({ kind: 'personal', userAadObjectId: aadObjectId }, { sort: { updatedAt: -1 } });
  }

  /** Any stored conversation in the tenant (most recent first), for its service URL; null when there is none. */
  async anyInTenant(tenantId: string | null): Promise<ConversationRecord | null> {
    const filter = tenantId ? { tenantId } : {};
    return this.conversations.findOne(filter, { sort: { updatedAt: -1 } });
  }

  /** Records an installation; an ops channel already chosen for the team is kept. */
  async installTeam(teamId: string, name: string | null, conversationId: string): Promise<TeamRecord> {
    const now = this.now();
    const team = await this.teams.findOneAndUpdate(
      { _id: teamId },
      {
        $set: { updatedAt: now, ...(name !== null ? { name } : {}) },
        $setOnInsert: { opsConversationId: normaliseConversationId(conversationId), installedAt: now, setBy: null, ...(name === null ? { name: null } : {}) },
      },
      { upsert: true, returnDocument: 'after' },
    );
    if (!team) throw new StoreError(`team ${teamId} was not stored`);
    return team;
  }

  /** Moves the team's triage cards to another channel. */
  async setOpsChannel(teamId: string, conversationId: string, by: string): Promise<TeamRecord> {
    const now = this.now();
    const team = await this.teams.findOneAndUpdate(
      { _id: teamId },
      {
        $set: { opsConversationId: normaliseConversationId(conversationId), setBy: by, updatedAt: now },
        $setOnInsert: { name: null, installedAt: now },
      },
      { upsert: true, returnDocument: 'after' },
    );
    if (!team) throw new StoreError(`team ${teamId} was not stored`);
    return team;
  }

  /** The earliest installed team. */
  async opsTeam(): Promise<TeamRecord | null> {
    return this.teams.findOne({}, { sort: { installedAt: 1, _id: 1 } });
  }
}
