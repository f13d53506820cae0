/**
 * The world the store-refusal tests share (the embedded store's disk full, MongoDB refusing or
 * losing writes): the app over real HTTP with Ann (lead) and two developers, two active tickets in
 * the team's group, and the doors a person would knock on while the store refuses: a card action,
 * the tab's Take ownership, a settings write, a chat command, /healthz.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { expect } from 'vitest';
import type { Ticket } from '../../bot/domain/ticket.js';
import type { Store } from '../../bot/store/doc-collection.js';
import { cardAction, personalMessage, postActivity, testUser, type TestUser } from './teams-activities.js';
import { startTeamsWorld, type TeamsWorld } from './teams-world.js';

export const ann = testUser(1, 'Ann Lead', 'ann.lead@lgd.example');
export const dev1 = testUser(2, 'Dev One', 'dev.one@lgd.example');
export const dev2 = testUser(3, 'Dev Two', 'dev.two@lgd.example');

/** The running world and its doors; `close` stops the app and removes its data folder. */
export interface RefusalRig {
  w: TeamsWorld;
  /** The two tickets' keys. */
  keys: string[];
  ticket: (key: string) => Promise<Ticket>;
  /** Clicks a card verb on a ticket (its current version): the card the bot answered with, as JSON text. */
  click: (who: TestUser, verb: string, key: string) => Promise<string>;
  /** The tab's Take ownership. */
  apiTake: (who: TestUser, key: string) => Promise<{ status: number; retryAfter: string | null; body: { code?: string; message?: string } }>;
  /** A settings write (an area's contacts). */
  putArea: (who: TestUser, contacts: string[]) => Promise<{ status: number; retryAfter: string | null; body: { code?: string; message?: string } }>;
  /** Sends a chat message and returns the bot's last reply to the sender. */
  chat: (who: TestUser, text: string) => Promise<string>;
  health: () => Promise<{ status: number; body: { status: string; degraded: { part: string; code: string; message: string }[] } }>;
  close: () => Promise<void>;
}

/** Starts the world over the store `open` makes in a fresh data folder. */
export async function startRefusalRig(open: (dataDir: string) => Promise<Store>, logger?: Logger): Promise<RefusalRig> {
  const dir = mkdtempSync(join(tmpdir(), 'lgd-refusal-'));
  const keys: string[] = [];
  const w = await startTeamsWorld({
    users: [ann, dev1, dev2],
    analysts: [ann, dev1, dev2],
    leads: [ann.email],
    store: await open(dir),
    ...(logger ? { logger } : {}),
    seed: (sim, team) => {
      for (let i = 0; i < 2; i++) keys.push(sim.state.raiseIncident({ title: `Ticket ${i}`, groupKey: team.guid, status: 'Active', raiseUser: 'Pat User' }).key);
    },
  });
  await w.install(ann);
  const ticket = async (k: string) => {
    const t = await w.app.tickets.get(k);
    if (!t) throw new Error(`no ticket ${k}`);
    return t;
  };
  const answer = async (res: Response) => ({ status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { code?: string; message?: string } });
  const lastReply = (to: TestUser): string => {
    const sent = w.connector.calls.filter((c) => c.method === 'POST' && c.path.includes(encodeURIComponent(`a:personal-${to.id}`)));
    const text = (sent.at(-1)?.body as { text?: unknown } | undefined)?.text;
    return typeof text === 'string' ? text : '';
  };
  return {
    w,
    keys,
    ticket,
    click: async (who, verb, key) => {
      const r = await postActivity(w.app.url, cardAction(w.connector.url, who, verb, { ticketKey: key, v: (await ticket(key)).version }));
      const body = r.body as { type?: string; value?: unknown };
      expect(r.status).toBe(200);
      expect(body.type, JSON.stringify(body)).toBe('application/vnd.microsoft.card.adaptive');
      return JSON.stringify(body.value);
    },
    apiTake: async (who, key) =>
      answer(
        await fetch(`${w.app.url}/api/tickets/${key}/take`, {
          method: 'POST',
          headers: { 'x-demo-person': who.email, 'content-type': 'application/json' },
          body: JSON.stringify({ v: (await ticket(key)).version }),
        }),
      ),
    putArea: async (who, contacts) =>
      answer(
        await fetch(`${w.app.url}/api/settings/areas/Finance`, {
          method: 'PUT',
          headers: { 'x-demo-person': who.email, 'content-type': 'application/json' },
          body: JSON.stringify({ contacts }),
        }),
      ),
    chat: async (who, text) => {
      await postActivity(w.app.url, personalMessage(w.connector.url, who, text));
      return lastReply(who);
    },
    health: async () => {
      const res = await fetch(`${w.app.url}/healthz`);
      return { status: res.status, body: (await res.json()) as { status: string; degraded: { part: string; code: string; message: string }[] } };
    },
    close: async () => {
      await w.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
