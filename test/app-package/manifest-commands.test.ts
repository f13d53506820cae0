import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_LIMITS } from '../../appPackage/package-app.js';
import { CHAT_COMMANDS } from '../../bot/teams/commands/registry.js';

interface CommandList {
  scopes: string[];
  commands: { title: string; description: string }[];
}
const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '../../appPackage/manifest.json'), 'utf8')) as {
  bots: { scopes: string[]; commandLists: CommandList[] }[];
};
const bot = manifest.bots[0]!;

describe('the bot commands the manifest offers', () => {
  it('cover every scope the bot is in, one list each, within Teams\' limits', () => {
    const scopes = bot.commandLists.flatMap((l) => l.scopes);
    expect(scopes.slice().sort()).toEqual(bot.scopes.slice().sort());
    expect(new Set(scopes).size).toBe(scopes.length);
    for (const list of bot.commandLists) {
      expect(list.commands.length).toBeLessThanOrEqual(COMMAND_LIMITS.perScope);
      for (const c of list.commands) {
        expect(c.title.length).toBeLessThanOrEqual(COMMAND_LIMITS.title);
        expect(c.description.length).toBeLessThanOrEqual(COMMAND_LIMITS.description);
      }
    }
  });

  it('are commands the bot knows: each title is a chat command\'s usage or the start of it', () => {
    const usages = CHAT_COMMANDS.map((c) => c.usage.toLowerCase());
    for (const c of bot.commandLists.flatMap((l) => l.commands)) {
      const known = usages.some((u) => u === c.title || u.startsWith(`${c.title} `));
      expect(known, `"${c.title}" is not a chat command (usages: ${usages.join(', ')})`).toBe(true);
    }
  });

  it('offer the everyday commands everywhere, and triage here only in a team', () => {
    for (const list of bot.commandLists) {
      const titles = list.commands.map((c) => c.title);
      expect(titles).toEqual(expect.arrayContaining(['queue', 'ticket', 'rota', 'backlog', 'help']));
      expect(titles.includes('triage here')).toBe(list.scopes.includes('team'));
    }
    expect(bot.commandLists.find((l) => l.scopes.includes('personal'))!.commands.map((c) => c.title)).toContain('my tickets');
  });
});
