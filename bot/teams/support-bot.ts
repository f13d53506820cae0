import { TeamsActivityHandler, type Activity } from 'botbuilder';
import type { Logger } from '../logger.js';

/** What a person typed, without the bot's own @mention (`<at>Bot</at>`) and extra spaces. */
export function stripMentions(activity: Pick<Activity, 'text' | 'entities' | 'recipient'>): string {
  let text = activity.text ?? '';
  for (const e of activity.entities ?? []) {
    const m = e as { type?: string; text?: string; mentioned?: { id?: string } };
    if (m.type === 'mention' && m.text && m.mentioned?.id === activity.recipient?.id) text = text.split(m.text).join(' ');
  }
  return text.replace(/\s+/g, ' ').trim();
}

/** The Teams bot: for now it answers messages with what it can do. */
export class SupportBot extends TeamsActivityHandler {
  constructor(private readonly logger: Logger) {
    super();
    this.onMessage(async (context, next) => {
      const text = stripMentions(context.activity);
      this.logger.debug({ chars: text.length }, 'message');
      const name = context.activity.from?.name;
      await context.sendActivity(
        `Hello${name ? ` ${name}` : ''}: I run the LGSS-IT-Digital support process on top of LGD. ` +
          `I read "${text.slice(0, 200)}", but I do not take commands yet: triage cards and commands come in a later release.`,
      );
      await next();
    });
  }
}
