import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { AppConfig } from '../config.js';
import { StoreError, storeTrouble } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * botbuilder's CloudAdapter, taking an activity the HTTP layer has already read, bounded and
 * checked (botbuilder's own `process` would read `req.body` from a body parser that runs before
 * any token check). `processActivity` still authenticates the request itself, including the
 * token's `serviceurl` claim against the activity's.
 */
export class BotCloudAdapter extends CloudAdapter {
  /** Runs `logic` for an activity; throws botbuilder's authentication errors; resolves with an invoke's answer. */
  async handle(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    // What botbuilder's `process` does to a parsed body before it processes it: dates as Dates.
    const a = activity as Activity & Record<string, unknown>;
    for (const [field, raw] of [['timestamp', 'rawTimestamp'], ['localTimestamp', 'rawLocalTimestamp'], ['expiration', 'rawExpiration']] as const) {
      const value = a[field];
      if (typeof value === 'string') {
        a[raw] = value;
        a[field] = new Date(value);
      }
    }
    return this.processActivity(authHeader, activity, logic);
  }
}

/** What a person is told when their chat turn failed in the store (see `storeTrouble`). */
const TURN_STORE_TROUBLE = {
  lost: 'Sorry: the app lost contact with its store while saving, so what you asked may or may not have been done. Please check in a few minutes and say it again if it was not; the log has the details.',
  refused:
    'Sorry: the app cannot save its data right now (its store refuses writes), so what you asked may not have been done in full. Please say it again in a few minutes; the log has the details.',
} as const;

/**
 * The adapter configured from the app config. With no app id, CloudAdapter accepts
 * unauthenticated requests and sends none: config refuses that in production. The whole Bot
 * Framework channel group (OpenID metadata, issuer, login URL, scope, OAuth URL, caller id) is
 * passed, so botbuilder takes all of it from configuration (public cloud values by default).
 */
export function createBotAdapter(bot: AppConfig['bot'], logger: Logger): BotCloudAdapter {
  const c = bot.channelAuth;
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: bot.appId ?? '',
    MicrosoftAppPassword: bot.appPassword ?? '',
    MicrosoftAppType: bot.appType,
    MicrosoftAppTenantId: bot.tenantId ?? '',
    ToBotFromChannelOpenIdMetadataUrl: c.openIdMetadataUrl,
    ToBotFromChannelTokenIssuer: c.tokenIssuer,
    ToBotFromEmulatorOpenIdMetadataUrl: c.emulatorOpenIdMetadataUrl,
    ToChannelFromBotLoginUrl: c.loginUrl,
    ToChannelFromBotOAuthScope: c.oAuthScope,
    OAuthUrl: c.oAuthUrl,
    CallerId: c.callerId,
  });
  const adapter = new BotCloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error({ err: error, activityType: context.activity.type }, 'bot turn failed');
    try {
      if (context.activity.type === 'message') {
        // A store that refuses writes is said as such: the person learns to try again, not that the app is broken.
        const trouble = storeTrouble(error) ?? (error instanceof StoreError ? 'refused' : null);
        await context.sendActivity(trouble ? TURN_STORE_TROUBLE[trouble] : 'Sorry, something went wrong on our side; it has been logged.');
      }
    } catch (sendErr) {
      logger.warn({ err: sendErr }, 'could not tell the user about a failed turn');
    }
  };
  return adapter;
}
