import type { Activity, ChannelAccount, CloudAdapter, ConversationParameters, TurnContext } from 'botbuilder';
import { NotInConversation, TeamsSendFailed } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AdaptiveCard } from './cards/card-model.js';
import { mention, messageText, type Text } from './cards/markdown.js';
import { normaliseConversationId } from '../store/conversation-repository.js';
import { SendThrottle, type RateWindow } from './send-throttle.js';
import type { ConversationRecord, Conversations, ProactiveSender } from './teams-ports.js';

/** The content type Teams expects for an Adaptive Card attachment. */
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** Attempts per send (the first and four retries). */
export const MAX_SEND_ATTEMPTS = 5;

/** Statuses worth another try, per Teams' guidance. */
const RETRIED_STATUSES = new Set([412, 429, 502, 503, 504]);

/** Error codes Teams gives with 403 when the bot may not write to a conversation. */
const NOT_IN_CONVERSATION_CODES = new Set(['BotNotInConversationRoster', 'MessageWritesBlocked', 'ConversationBlockedByUser']);

/** Network failures worth another try (the pipeline's code and Node's). */
const RETRIED_NETWORK_CODES = new Set(['REQUEST_SEND_ERROR', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EPIPE']);

/** Longest wait for one retry, even when Retry-After asks for more. */
const MAX_RETRY_DELAY_MS = 60_000;

/**
 * How a connector call fails in botbuilder 4.23: a `RestError` from `@azure/core-rest-pipeline` with
 * `statusCode`, `code` (the body's `error.code`, e.g. "BotNotInConversationRoster") and `response`
 * (`headers.get('retry-after')`, `bodyAsText`). Network failures have no status and a `code`.
 */
interface ConnectorFailure {
  statusCode?: unknown;
  code?: unknown;
  response?: { headers?: { get?: (name: string) => string | undefined | null }; bodyAsText?: string | null };
}

/** What the sender can tell about a failed connector call. */
export interface FailureInfo {
  status: number | null;
  code: string | null;
  retryAfterMs: number | null;
}

/** Reads status, error code and Retry-After (seconds or an HTTP date) from a connector failure. */
export function failureInfo(err: unknown, now: number = Date.now()): FailureInfo {
  const f = (typeof err === 'object' && err !== null ? err : {}) as ConnectorFailure;
  const status = typeof f.statusCode === 'number' ? f.statusCode : null;
  let code = typeof f.code === 'string' ? f.code : null;
  const body = f.response?.bodyAsText;
  if (!code && body) code = /"code"\s*:\s*"([^"]+)"/.exec(body)?.[1] ?? null;
  const header = f.response?.headers?.get?.('retry-after') ?? null;
  let retryAfterMs: number | null = null;
  if (header) {
    const seconds = Number(header);
    const date = Date.parse(header);
    if (Number.isFinite(seconds)) retryAfterMs = Math.max(0, seconds * 1000);
    else if (Number.isFinite(date)) retryAfterMs = Math.max(0, date - now);
  }
  return { status, code, retryAfterMs };
}

/** Options of the proactive sender; clock, sleep and randomness are injectable for tests. */
export interface ProactiveSenderOptions {
  adapter: CloudAdapter;
  /** The bot's Microsoft App id ('' when authentication is off). */
  appId: string;
  conversations: Conversations;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** In [0, 1): jitter of the exponential backoff. */
  random?: () => number;
  /** First backoff delay when Teams gives no Retry-After; doubles each attempt. */
  backoffBaseMs?: number;
  conversationWindows?: readonly RateWindow[];
  globalWindows?: readonly RateWindow[];
}

type Outgoing = Partial<Activity>;

/** A card as a message attachment, with optional text (escaped unless Markdown). */
function cardActivity(card: AdaptiveCard, text?: Text): Outgoing {
  return { type: 'message', ...(text ? { text: messageText(text) } : {}), attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card }] };
}

/**
 * Turns off the connector client's own retry policy (core-rest-pipeline's `defaultRetryPolicy`,
 * three retries honouring Retry-After on 429/503 and backing off on 5xx), so this sender alone
 * decides how often and how long to retry. botbuilder is frozen at 4.23; if the shape ever differs,
 * nothing is removed and both layers retry.
 */
function withoutSdkRetries(ctx: TurnContext): boolean {
  const connector: unknown = ctx.turnState.get(ctx.adapter.ConnectorClientKey);
  const client = (connector as { client?: { pipeline?: { removePolicy?: (o: { name: string }) => unknown } } } | undefined)?.client;
  if (typeof client?.pipeline?.removePolicy !== 'function') return false;
  client.pipeline.removePolicy({ name: 'defaultRetryPolicy' });
  return true;
}

/** Sends and updates cards through botbuilder's CloudAdapter, paced and retried within Teams' limits. */
export class BotProactiveSender implements ProactiveSender {
  private readonly log: Logger;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly throttle: SendThrottle;
  private warnedSdkRetries = false;

  constructor(private readonly opts: ProactiveSenderOptions) {
    this.log = opts.logger.child({ component: 'proactive-sender' });
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.throttle = new SendThrottle({
      now: this.now,
      sleep: this.sleep,
      conversationWindows: opts.conversationWindows,
      globalWindows: opts.globalWindows,
    });
  }

  /** Posts a card (and optional text) into a stored conversation; returns the new activity id. */
  async sendCard(conversationId: string, card: AdaptiveCard, text?: Text): Promise<string> {
    return this.post(conversationId, cardActivity(card, text));
  }

  /** Replaces a card the bot sent earlier. */
  async updateCard(conversationId: string, activityId: string, card: AdaptiveCard): Promise<void> {
    const rec = await this.stored(conversationId);
    await this.attempt(rec._id, 'update', async () => {
      await this.inConversation(rec, async (ctx) => {
        await ctx.updateActivity({ ...cardActivity(card), id: activityId });
      });
    });
  }

  /** Sends a text message into a stored conversation: a string is shown as it is, Markdown as markdown. */
  async sendText(conversationId: string, text: Text): Promise<string> {
    return this.post(conversationId, { type: 'message', text: messageText(text), textFormat: 'markdown' });
  }

  /**
   * Sends to the person's 1:1 chat, creating it from a stored conversation in their tenant when there
   * is none. Null when the person cannot be reached: no conversation to create it from, or the app
   * is not installed for them (or they blocked it).
   */
  async sendToPerson(
    person: { aadObjectId?: string; teamsUserId: string; tenantId?: string },
    message: { text?: Text; card?: AdaptiveCard },
  ): Promise<string | null> {
    const activity: Outgoing = message.card
      ? cardActivity(message.card, message.text)
      : { type: 'message', text: messageText(message.text ?? ''), textFormat: 'markdown' };
    try {
      const existing = person.aadObjectId ? await this.opts.conversations.personalOf(person.aadObjectId) : null;
      const rec = existing ?? (await this.createPersonal(person));
      if (!rec) {
        this.log.info({ teamsUserId: person.teamsUserId }, 'no stored conversation to open a 1:1 chat from; message not sent');
        return null;
      }
      return await this.post(rec._id, activity);
    } catch (err) {
      if (!(err instanceof NotInConversation)) throw err;
      this.log.info({ teamsUserId: person.teamsUserId, reason: err.reason }, 'cannot message this person: app not installed for them or blocked');
      return null;
    }
  }

  /**
   * Replies in the thread of a channel message; `text` names each mentioned person with
   * `mention(name)`, and the mention entities carry that very text.
   */
  async replyInThread(channelId: string, parentActivityId: string, text: Text, mentions: { id: string; name: string }[] = []): Promise<string> {
    const rec = await this.stored(channelId);
    const thread: ConversationRecord = {
      ...rec,
      reference: { ...rec.reference, conversation: { ...rec.reference.conversation, id: `${rec._id};messageid=${parentActivityId}` } as ConversationRecord['reference']['conversation'] },
    };
    const activity: Outgoing = {
      type: 'message',
      text: messageText(text),
      textFormat: 'markdown',
      entities: mentions.map((m) => ({ type: 'mention', text: mention(m.name).source, mentioned: { id: m.id, name: m.name } })),
    };
    return this.attempt(rec._id, 'reply', async () => {
      let id: string | undefined;
      await this.inConversation(thread, async (ctx) => {
        id = (await ctx.sendActivity(activity))?.id;
      });
      if (!id) throw new TeamsSendFailed(null, `Teams returned no activity id for a reply in ${rec._id}`);
      return id;
    });
  }

  /** Sends an activity into a stored conversation; returns its id. */
  private async post(conversationId: string, activity: Outgoing): Promise<string> {
    const rec = await this.stored(conversationId);
    return this.attempt(rec._id, 'send', async () => {
      let id: string | undefined;
      await this.inConversation(rec, async (ctx) => {
        id = (await ctx.sendActivity(activity))?.id;
      });
      if (!id) throw new TeamsSendFailed(null, `Teams returned no activity id for a send to ${rec._id}`);
      return id;
    });
  }

  /** Opens a 1:1 chat with the person from any stored conversation in their tenant, and stores it. */
  private async createPersonal(person: { aadObjectId?: string; teamsUserId: string; tenantId?: string }): Promise<ConversationRecord | null> {
    const base = await this.baseConversation(person.tenantId ?? null);
    const serviceUrl = base?.reference.serviceUrl;
    if (!base || !serviceUrl) return null;
    const tenantId = person.tenantId ?? base.tenantId ?? base.reference.conversation?.tenantId;
    const bot: ChannelAccount = base.reference.bot ?? { id: this.opts.appId, name: '' };
    const params: ConversationParameters = {
      isGroup: false,
      bot,
      members: [{ id: person.teamsUserId } as ChannelAccount],
      ...(tenantId ? { tenantId } : {}),
      channelData: tenantId ? { tenant: { id: tenantId } } : {},
    };
    const created = await this.attempt(`create:${person.teamsUserId}`, 'create', async () => {
      let id: string | undefined;
      await this.opts.adapter.createConversationAsync(this.opts.appId, 'msteams', serviceUrl, '', params, (ctx) => {
        id = ctx.activity.conversation?.id;
        return Promise.resolve();
      });
      if (!id) throw new TeamsSendFailed(null, `Teams returned no conversation id for a 1:1 chat with ${person.teamsUserId}`);
      return id;
    });
    const rec: Omit<ConversationRecord, 'updatedAt'> = {
      _id: created,
      kind: 'personal',
      tenantId: tenantId ?? null,
      teamId: null,
      userAadObjectId: person.aadObjectId ?? null,
      userTeamsId: person.teamsUserId,
      reference: {
        channelId: 'msteams',
        serviceUrl,
        bot,
        user: { id: person.teamsUserId, name: '', ...(person.aadObjectId ? { aadObjectId: person.aadObjectId } : {}) },
        conversation: { id: created, conversationType: 'personal', isGroup: false, name: '', ...(tenantId ? { tenantId } : {}) },
      },
    };
    await this.opts.conversations.save(rec);
    this.log.info({ conversationId: created, teamsUserId: person.teamsUserId }, 'opened a 1:1 chat');
    return { ...rec, updatedAt: new Date(this.now()) };
  }

  /** A stored conversation with a service URL in the tenant: any, else the ops channel. */
  private async baseConversation(tenantId: string | null): Promise<ConversationRecord | null> {
    const any = await this.opts.conversations.anyInTenant?.(tenantId);
    if (any) return any;
    const team = await this.opts.conversations.opsTeam();
    return team ? this.opts.conversations.get(team.opsConversationId) : null;
  }

  /** The stored conversation, or TeamsSendFailed when the bot has never been there. */
  private async stored(conversationId: string): Promise<ConversationRecord> {
    const rec = await this.opts.conversations.get(normaliseConversationId(conversationId));
    if (!rec) throw new TeamsSendFailed(null, `no stored conversation ${conversationId}`);
    return rec;
  }

  /**
   * Runs `logic` in a proactive turn of the stored conversation, with the connector's own retries
   * off. A failure inside the turn is carried out of it: the adapter would otherwise hand it to
   * `onTurnError`, which logs and swallows it.
   */
  private async inConversation(rec: ConversationRecord, logic: (ctx: TurnContext) => Promise<void>): Promise<void> {
    const outcome: { failed: boolean; error?: unknown } = { failed: false };
    await this.opts.adapter.continueConversationAsync(this.opts.appId, rec.reference, async (ctx) => {
      if (!withoutSdkRetries(ctx) && !this.warnedSdkRetries) {
        this.warnedSdkRetries = true;
        this.log.warn('could not turn off the connector client\'s own retries; sends may be retried twice over');
      }
      // A proactive post is a new message: not a reply to the continuation event's made-up id.
      ctx.onSendActivities(async (_ctx, activities, next) => {
        for (const a of activities) delete a.replyToId;
        return next();
      });
      try {
        await logic(ctx);
      } catch (err) {
        outcome.failed = true;
        outcome.error = err;
      }
    });
    if (outcome.failed) throw outcome.error;
  }

  /**
   * Runs `call` in the conversation's queue, paced, up to MAX_SEND_ATTEMPTS times: retries 412, 429,
   * 502, 503, 504 and network failures, waiting Retry-After when given, else backing off exponentially
   * with jitter. A 403 saying the bot is not in the conversation (or blocked) is NotInConversation.
   */
  private attempt<T>(queue: string, what: string, call: () => Promise<T>): Promise<T> {
    return this.throttle.serial(queue, async () => {
      for (let attempt = 1; ; attempt++) {
        await this.throttle.slot(queue);
        try {
          return await call();
        } catch (err) {
          if (err instanceof TeamsSendFailed) throw err;
          const info = failureInfo(err, this.now());
          if (info.status === 403 && info.code && NOT_IN_CONVERSATION_CODES.has(info.code)) {
            throw new NotInConversation(queue, info.code, { cause: err });
          }
          const retryable = info.status !== null ? RETRIED_STATUSES.has(info.status) : info.code !== null && RETRIED_NETWORK_CODES.has(info.code);
          if (!retryable || attempt >= MAX_SEND_ATTEMPTS) {
            throw new TeamsSendFailed(info.status, `${what} in ${queue} failed after ${attempt} attempt(s): ${info.status ?? info.code ?? 'error'}`, {
              cause: err,
            });
          }
          const delay = Math.min(MAX_RETRY_DELAY_MS, info.retryAfterMs ?? this.backoff(attempt));
          this.log.debug({ queue, what, attempt, status: info.status, code: info.code, delayMs: delay }, 'Teams send failed; retrying');
          await this.sleep(delay);
        }
      }
    });
  }

  /** Exponential backoff with jitter: base·2^(attempt-1), scaled by 0.5–1. */
  private backoff(attempt: number): number {
    const base = (this.opts.backoffBaseMs ?? 1_000) * 2 ** (attempt - 1);
    return Math.round(base * (0.5 + this.random() / 2));
  }
}
