import { helpCard } from '../cards/help-card.js';
import type { ChatCommand } from './chat-command.js';

/** The commands help lists; filled by the registry so help never goes out of date. */
export const helpEntries: { command: string; description: string }[] = [];

/** `help`: what the bot does and the commands it knows. */
export const help: ChatCommand = {
  name: 'help',
  usage: 'help',
  description: 'What I can do.',
  pattern: /^(help|\?|hi|hello)$/i,
  handle() {
    return Promise.resolve({
      card: helpCard(
        helpEntries,
        'I post a triage card in the ops channel for every ticket that reaches the team in LGD, and keep it up to date. Approve, Project, Reassign and Take ownership work from the card.',
      ),
    });
  },
};
