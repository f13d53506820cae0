import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';

/**
 * botbuilder's CloudAdapter configured from the app config. With no app id, CloudAdapter
 * accepts unauthenticated requests and sends none: config refuses that in production.
 */
export function createBotAdapter(bot: AppConfig['bot'], logger: Logger): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: bot.appId ?? '',
    MicrosoftAppPassword: bot.appPassword ?? '',
    MicrosoftAppType: bot.appType,
    MicrosoftAppTenantId: bot.tenantId ?? '',
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error({ err: error, activityType: context.activity.type }, 'bot turn failed');
    try {
      if (context.activity.type === 'message') {
        await context.sendActivity('Sorry, something went wrong on our side; it has been logged.');
      }
    } catch (sendErr) {
      logger.warn({ err: sendErr }, 'could not tell the user about a failed turn');
    }
  };
  return adapter;
}
