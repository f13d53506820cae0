import { TeamsActivityHandler, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { Logger } from '../logger.js';
import type { CommandService } from '../sync/command-service.js';
import type { ActionHandler, Actor } from './actions/action-handler.js';
import { dispatchAction } from './actions/dispatch-action.js';
import { searchTargets } from './actions/search-targets.js';
import type { ChatCommand, CommandPlace, CommandPorts } from './commands/chat-command.js';
import { shorten } from './cards/card-elements.js';
import { md, messageText } from './cards/markdown.js';
import { becomesFirstLead } from '../domain/permissions.js';
import { help } from './commands/help.js';
import { conversationRecordFrom } from './conversation-record.js';
import { lookupMember, rosterOf } from './member-lookup.js';
import type { TeamsUser } from './teams-ports.js';

/** The longest chat message the bot reads as a command; longer ones are answered without running any pattern. */
export const MAX_COMMAND_CHARS = 2000;

/** What a person typed, without the bot's own @mention (`<at>Bot</at>`) and extra spaces; linear in the text's length. */
export function stripMentions(activity: Pick<Activity, 'text' | 'entities' | 'recipient'>): string {
  let text = typeof activity.text === 'string' ? activity.text : '';
  const own = new Set<string>();
  for (const e of activity.entities ?? []) {
    const m = e as { type?: string; text?: unknown; mentioned?: { id?: string } };
    if (m.type === 'mention' && typeof m.text === 'string' && m.text && m.mentioned?.id === activity.recipient?.id) own.add(m.text);
  }
  for (const mention of own) text = text.replaceAll(mention, ' ');
  return text.replace(/<at>[^<]*<\/at>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim();
}

export interface SupportBotDeps {
  ports: CommandPorts;
  /** Applies card actions' commands; the dispatcher adds each action's audit record to what it commits. */
  commands: Pick<CommandService, 'run' | 'record'>;
  actions: readonly ActionHandler<never>[];
  chatCommands: readonly ChatCommand[];
  logger: Logger;
}

const userOf = (a: Activity): TeamsUser => ({ id: a.from?.id ?? '', aadObjectId: a.from?.aadObjectId, name: a.from?.name });

/**
 * The Teams bot. It keeps every conversation it is in (store, never memory), records a team's
 * installation (the installing channel becomes the ops channel), answers card actions through the
 * dispatcher, the Reassign typeahead through the search handler, and chat commands.
 */
export class SupportBot extends TeamsActivityHandler {
  constructor(private readonly d: SupportBotDeps) {
    super();
    this.onTurn(async (context, next) => {
      await this.remember(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.installed(context);
      await this.firstLead(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      if ((context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient?.id)) await this.installed(context);
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.chat(context);
      await next();
    });
  }

  /** Invokes answer HTTP 200 with their own status inside the body (Teams shows a generic failure otherwise). */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const a = context.activity;
    if (a.name === 'adaptiveCard/action') {
      const body = await dispatchAction(a.value, userOf(a), this.d.actions, this.d.ports, this.d.commands, () => lookupMember(context, a.from.id, this.d.logger), this.d.logger);
      return { status: 200, body };
    }
    if (a.name === 'application/search') {
      return { status: 200, body: await searchTargets(a.value, this.d.ports.reference) };
    }
    const answer = await super.onInvokeActivity(context);
    // botbuilder answers an invoke nobody handles with 501: the sender's request is what is wrong, not the server.
    if (answer.status === 501) {
      this.d.logger.info({ invoke: shorten(typeof a.name === 'string' ? a.name : '', 100) }, 'an invoke the bot does not handle');
      return { status: 400, body: { code: 'UnknownInvoke', message: `This bot does not handle "${shorten(typeof a.name === 'string' ? a.name : '', 100)}" invokes; nothing was done.` } };
    }
    return answer;
  }

  private async remember(context: TurnContext): Promise<void> {
    try {
      const rec = conversationRecordFrom(context.activity);
      // Most turns come from a conversation already stored as it is: skip the write (a disk flush).
      const known = await this.d.ports.conversations.get(rec._id);
      const same = known && known.reference.serviceUrl === rec.reference.serviceUrl && known.userTeamsId === rec.userTeamsId && known.teamId === rec.teamId;
      if (!same) await this.d.ports.conversations.save(rec);
    } catch (err) {
      this.d.logger.warn({ err }, 'could not store the conversation reference');
    }
  }

  private async installed(context: TurnContext): Promise<void> {
    const a = context.activity;
    const team = (a.channelData as { team?: { id?: string; name?: string } } | undefined)?.team;
    if (a.conversation?.conversationType === 'channel' && team?.id) {
      const rec = await this.d.ports.conversations.installTeam(team.id, team.name ?? null, a.conversation.id.split(';')[0] as string);
      this.d.logger.info({ team: team.id, ops: rec.opsConversationId }, 'installed in a team');
      const roster = await rosterOf(context, this.d.logger);
      if (roster.length > 0) await this.d.ports.people.remember(roster);
      if (rec.opsConversationId === a.conversation.id.split(';')[0]) {
        await context.sendActivity(
          "Hello, I'm LGD Support. I'll post a triage card here for each ticket that reaches the team in LGD and keep it up to date. A lead can move them with \"@LGD Support triage here\" in another channel.",
        );
      }
      // The worker posts the triage cards: this turn does not wait on them.
      this.d.ports.kick();
    }
  }

  /**
   * With no lead at all (LEADS empty, none added since), the person who installed the app in the
   * team becomes the first lead, so the team is never locked out; the channel is told.
   */
  private async firstLead(context: TurnContext): Promise<void> {
    const a = context.activity;
    const teamId = (a.channelData as { team?: { id?: unknown } } | undefined)?.team?.id;
    if (a.conversation?.conversationType !== 'channel' || typeof teamId !== 'string' || !a.from?.id) return;
    if (!becomesFirstLead((await this.d.ports.leads.emails()).length)) return;
    const person = await this.d.ports.people.resolve(userOf(a), () => lookupMember(context, a.from.id, this.d.logger));
    const email = person.email ?? person.upn;
    if (!email) {
      this.d.logger.warn({ user: a.from.id }, 'no lead yet, and Teams did not say who installed the app: set LEADS');
      await context.sendActivity('There is no lead yet, and Teams did not tell me who installed me. Ask your administrator to set LEADS and restart the app.');
      return;
    }
    if (!(await this.d.ports.leads.addFirst(email, 'installation'))) return;
    this.d.logger.info({ lead: email }, 'the installer is the first lead');
    await this.d.ports.audit.record({
      actor: { name: person.name, aadObjectId: person._id, email },
      action: 'lead add',
      ticketKey: null,
      ticketNumber: null,
      outcome: 'done',
      source: 'teams',
      detail: `${email}: first lead, installed the app in team ${teamId.slice(0, 200)}`,
    });
    await context.sendActivity(
      messageText(
        `${person.name || email} installed me and is the team's first lead: they may triage any day, set the rota, link people to LGD and manage leads and areas. ` +
          'A lead adds others with "lead add" and their e-mail; "leads" lists them.',
      ),
    );
    this.d.ports.kick();
  }

  private async chat(context: TurnContext): Promise<void> {
    const a = context.activity;
    const length = typeof a.text === 'string' ? a.text.length : 0;
    if (length > MAX_COMMAND_CHARS) {
      await context.sendActivity(
        `That message is ${length.toLocaleString('en-GB')} characters long; I read commands of at most ${MAX_COMMAND_CHARS.toLocaleString('en-GB')} characters. Nothing was done. Say "help" for the commands I know.`,
      );
      return;
    }
    const text = stripMentions(a);
    const person = await this.d.ports.people.resolve(userOf(a), () => lookupMember(context, a.from.id, this.d.logger));
    const actor: Actor = { user: userOf(a), person, canTriage: await this.d.ports.roles.canTriage(person, this.d.ports.now()) };
    const type = a.conversation?.conversationType;
    const place: CommandPlace = {
      kind: type === 'channel' ? 'channel' : type === 'groupChat' ? 'groupChat' : 'personal',
      conversationId: (a.conversation?.id ?? '').split(';')[0] as string,
      teamId: (a.channelData as { team?: { id?: string } } | undefined)?.team?.id ?? null,
    };
    let match: RegExpExecArray | null = null;
    const command = this.d.chatCommands.find((c) => (match = c.pattern.exec(text)) !== null);
    const helpMatch = help.pattern.exec('help') as RegExpExecArray;
    let reply = await (command ?? help).handle(match ?? helpMatch, actor, place, this.d.ports);
    // Text no command knows gets the help card, saying what was not understood (never silence).
    if (!command && text) reply = { ...reply, text: md`I didn't understand "${shorten(text, 100)}".` };
    if ('card' in reply) {
      const sent = await context.sendActivity({
        ...(reply.text ? { text: messageText(reply.text) } : {}),
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: reply.card }],
      });
      if (reply.track && sent?.id) await this.d.ports.poster.track(reply.track.ticketKey, place.conversationId, sent.id);
    } else {
      await context.sendActivity(messageText(reply.text));
    }
  }
}
