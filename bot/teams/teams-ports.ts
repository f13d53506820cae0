/**
 * The seams between the bot's action handlers and the Teams-side infrastructure. Handlers take
 * these ports (not a TurnContext), so they are testable and a later move off botbuilder is local.
 */
import type { ConversationReference } from 'botbuilder';
import type { AdaptiveCard } from './cards/card-model.js';
import type { Text } from './cards/markdown.js';

/** A Teams user as an activity names them. */
export interface TeamsUser {
  /** Bot Framework user id, e.g. "29:1abc...". */
  id: string;
  /** Entra object id. */
  aadObjectId?: string;
  name?: string;
}

/** A person the app knows, and the LGD analyst they act as (null while unmapped). */
export interface Person {
  /** Entra object id (the stable key), or the Teams id where no aad id is known. */
  _id: string;
  teamsUserId: string;
  name: string;
  email: string | null;
  upn: string | null;
  analyst: { key: string; name: string; title: string } | null;
  /** How the analyst was found: by e-mail, by login name, or set by a lead. */
  mappedBy: 'email' | 'login' | 'override' | null;
  updatedAt: Date;
}

/** Finds who someone is in LGD. */
export interface PeopleDirectory {
  /**
   * The person behind an activity's `from`, mapped to an analyst from the synced reference data
   * (manual overrides first, then e-mail, then login name). `lookup` fetches the member's e-mail /
   * UPN from Teams when the directory does not know them yet.
   */
  resolve(user: TeamsUser, lookup?: () => Promise<{ email?: string; userPrincipalName?: string; name?: string } | null>): Promise<Person>;
  /** Records roster members (e.g. from TeamsInfo.getPagedMembers at installation). */
  remember(members: { id: string; aadObjectId?: string; name?: string; email?: string; userPrincipalName?: string }[]): Promise<void>;
  /** A lead maps someone to an analyst by hand; returns the person, or null if either is unknown. */
  override(who: { email?: string; aadObjectId?: string }, analystName: string): Promise<Person | null>;
  /** People whose e-mail or UPN is one of these (case-insensitive). */
  byEmails(emails: readonly string[]): Promise<Person[]>;
  /** The person mapped to an analyst key. */
  byAnalystKey(key: string): Promise<Person | null>;
}

/** One day of the support rota. */
export interface RotaDay {
  /** ISO date in Europe/London, e.g. "2026-11-27". */
  _id: string;
  /** The Operations Lead: an e-mail / UPN, and a display name when known; null when only the support list is set. */
  lead: RotaPerson | null;
  /** The developers on support that day; absent or null when the support list was never set (the support rota is not in use that day). */
  support?: RotaPerson[] | null;
  setBy: string;
  updatedAt: Date;
}

/** Someone on the rota: an e-mail / UPN, and a display name when known. */
export interface RotaPerson {
  email: string;
  name: string | null;
}

export interface Rota {
  /** The day, when it has an Operations Lead. */
  leadOn(date: string): Promise<(RotaDay & { lead: RotaPerson }) | null>;
  /** Sets the lead for every date from..to inclusive, keeping each day's support list; returns the days written. */
  set(from: string, to: string, lead: RotaPerson, setBy: string): Promise<RotaDay[]>;
  /** Replaces the support list of every date from..to inclusive, keeping each day's lead; returns the days written. */
  setSupport(from: string, to: string, support: readonly RotaPerson[], setBy: string): Promise<RotaDay[]>;
  /** Writes each given day's lead and / or support list (left out: kept; null: cleared); returns the days as they are now. */
  apply(days: readonly { date: string; lead?: RotaPerson | null; support?: readonly RotaPerson[] | null }[], setBy: string): Promise<RotaDay[]>;
  /** The days stored between from and to inclusive (with a lead, a support list or both), in date order. */
  range(from: string, to: string): Promise<RotaDay[]>;
}

/** Who may triage today, and who leads the team. */
export interface Roles {
  /** True for the leads (in the store, seeded from LEADS). */
  isLead(person: Person): Promise<boolean>;
  /** True for today's rota'd Operations Lead and for every lead. */
  canTriage(person: Person, now: Date): Promise<boolean>;
  /** Today's Operations Lead (from the rota), as a person when known. */
  leadToday(now: Date): Promise<{ email: string; name: string | null; person: Person | null } | null>;
  /** Teams user ids of everyone who may triage today and is known (for card `refresh.userIds`). */
  triagerTeamsIds(now: Date): Promise<string[]>;
  /** Both of the above from one read of the rota, the leads and the people (what every card shows). */
  today(now: Date): Promise<{ lead: { email: string; name: string | null; person: Person | null } | null; triagerTeamsIds: string[] }>;
}

/** Where the bot can talk: stored references, never process memory. */
export interface ConversationRecord {
  /** Conversation id (for a channel: the channel's id without `;messageid=`). */
  _id: string;
  kind: 'channel' | 'groupChat' | 'personal';
  tenantId: string | null;
  /** For channels: the team's id (the General channel's id). */
  teamId: string | null;
  /** For personal chats: the user's aad object id and Teams id. */
  userAadObjectId: string | null;
  userTeamsId: string | null;
  reference: Partial<ConversationReference>;
  updatedAt: Date;
}

export interface TeamRecord {
  /** The team's id. */
  _id: string;
  name: string | null;
  /** The channel triage cards go to. */
  opsConversationId: string;
  installedAt: Date;
  /** Who moved triage to this channel, when someone did. */
  setBy: string | null;
  updatedAt: Date;
}

export interface Conversations {
  save(rec: Omit<ConversationRecord, 'updatedAt'>): Promise<void>;
  get(id: string): Promise<ConversationRecord | null>;
  personalOf(aadObjectId: string): Promise<ConversationRecord | null>;
  /** Records a team installation (first channel becomes the ops channel unless one is set). */
  installTeam(teamId: string, name: string | null, conversationId: string): Promise<TeamRecord>;
  setOpsChannel(teamId: string, conversationId: string, by: string): Promise<TeamRecord>;
  /** The team whose ops channel receives triage cards (the first installed one). */
  opsTeam(): Promise<TeamRecord | null>;
  /** Any stored conversation in the tenant (any tenant when null), most recent first: a service URL for creating 1:1 chats. */
  anyInTenant?(tenantId: string | null): Promise<ConversationRecord | null>;
}

/** Sends and updates messages outside a turn, within Teams' rate limits; a string text is shown as it is (escaped), Markdown as markdown. */
export interface ProactiveSender {
  /** Posts a card (and optional text) into a stored conversation; returns the new activity id. */
  sendCard(conversationId: string, card: AdaptiveCard, text?: Text): Promise<string>;
  /** Replaces a card the bot sent earlier. */
  updateCard(conversationId: string, activityId: string, card: AdaptiveCard): Promise<void>;
  /** Replies in the thread of a channel message (e.g. a ticket's card), mentioning people named in `text` with `mention(name)`. */
  replyInThread(channelId: string, parentActivityId: string, text: Text, mentions?: { id: string; name: string }[]): Promise<string>;
  /** Sends a text message into a stored conversation. */
  sendText(conversationId: string, text: Text): Promise<string>;
  /** Sends to a person's 1:1 chat, creating it from a stored reference in the same tenant if needed; null when they cannot be reached. */
  sendToPerson(person: { aadObjectId?: string; teamsUserId: string; tenantId?: string }, message: { text?: Text; card?: AdaptiveCard }): Promise<string | null>;
}
