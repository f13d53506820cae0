import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, findFreePort, startPlayground, type RunningPlayground } from '../../bot/playground/start-playground.js';
import { adaptiveCard, CHROMIUM, clickCardButton, HAS_CHROMIUM, launchChromium, openConversation, openPlayground, sendMentionMessage } from './playground-page.js';

/**
 * The issue's end-to-end run in the Microsoft 365 Agents Playground: the triager (Resolver 31, the
 * Playground's current user) shows a ticket's card in the group chat and approves it in the web UI;
 * a developer (Resolver 57) takes it and resolves it through the Playground's invoke API, as Teams
 * would send it for them; the page must show the shared card moving on, and the app must see the
 * ticket resolved in LGD (the demo's simulator) once the worker has delivered the writes.
 * Screenshots go to test-results/playground/flow-NN-<step>.png for people to look at.
 */

const SCREENSHOTS = join(REPO_ROOT, 'test-results/playground');
const GROUP_CHAT_ID = '19:playground-group-chat@thread.v2';
const BOT_ID = '28:00000000-0000-4000-8000-00000000b001';
const DEVELOPER_ID = '29:playground-resolver-57';
const DEVELOPER_NAME = 'Resolver 57';
const RESOLUTION_CATEGORY = 'Fixed';

/** A ticket as GET /api/tickets shows it (the fields the test reads). */
interface ApiTicket {
  key: string;
  number: number;
  title: string;
  owner: string | null;
  status: string;
  state: string;
  queuedForLgd: number;
}

/** A message the Playground pushes to the page over its conversation WebSocket. */
interface StreamFrame {
  action: string;
  actionConversationId?: string;
  message?: { messageId: string; from?: { id?: string }; attachments?: { contentType: string; content: unknown }[] };
}

/** The part of an Adaptive Card the test looks into. */
interface CardJson {
  body?: unknown[];
  actions?: unknown[];
}

/** What POST /_conversation/v1/invoke answers: the bot's invoke body without its status. */
interface InvokeAnswer {
  type: string;
  value: unknown;
}

let running: RunningPlayground | undefined;
let browser: Browser | undefined;
const screenshots: string[] = [];

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  if (screenshots.length > 0) console.log(`Playground flow screenshots:\n${screenshots.map((s) => `  ${s}`).join('\n')}`);
});

const sleep = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));

/** Calls `probe` every 250 ms until it returns something other than undefined, or fails after `timeoutMs`. */
async function poll<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}

/** GET {appUrl}/api/tickets?state=… (first 200, newest change first). */
async function ticketsIn(appUrl: string, state: string): Promise<ApiTicket[]> {
  const res = await fetch(`${appUrl}/api/tickets?state=${state}&pageSize=200`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: ApiTicket[] }).items;
}

/** Every object nested anywhere in `value` (depth first), to find actions and inputs in a card. */
function* objectsIn(value: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(value)) {
    for (const v of value) yield* objectsIn(v);
  } else if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    yield o;
    for (const v of Object.values(o)) yield* objectsIn(v);
  }
}

/** The card's Action.Execute with `verb`, or undefined. */
function executeAction(card: CardJson, verb: string): { verb: string; data: { ticketKey: string; v: number } } | undefined {
  for (const o of objectsIn(card)) {
    if (o.type === 'Action.Execute' && o.verb === verb) return o as unknown as { verb: string; data: { ticketKey: string; v: number } };
  }
  return undefined;
}

/** All TextBlock texts of a card, one per line. */
function cardText(card: CardJson): string {
  const texts: string[] = [];
  for (const o of objectsIn(card)) if (o.type === 'TextBlock' && typeof o.text === 'string') texts.push(o.text);
  return texts.join('\n');
}

/** Acts on a card as someone else than the page's user: POST /_conversation/v1/invoke with their `from.id`. */
async function invokeAs(
  playgroundUrl: string,
  fromId: string,
  card: { conversationId: string; messageId: string },
  verb: string,
  data: Record<string, unknown>,
): Promise<CardJson> {
  const res = await fetch(`${playgroundUrl}/_conversation/v1/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb, data } },
      from: { id: fromId },
      conversation: { id: card.conversationId },
      replyToId: card.messageId,
    }),
  });
  const text = await res.text();
  expect(res.status, `invoke ${verb}: ${text}`).toBe(200);
  const answer = JSON.parse(text) as InvokeAnswer;
  expect(answer.type, `invoke ${verb}: ${text}`).toBe('application/vnd.microsoft.card.adaptive');
  return answer.value as CardJson;
}

/** Collects what the page's conversation WebSocket receives; must be set up before the page loads. */
function recordStream(page: Page): StreamFrame[] {
  const frames: StreamFrame[] = [];
  page.on('websocket', (ws) => {
    if (!ws.url().includes('/_ws_conversation/v1/conversations/stream')) return;
    ws.on('framereceived', ({ payload }) => {
      if (typeof payload !== 'string') return;
      try {
        frames.push(JSON.parse(payload) as StreamFrame);
      } catch (err) {
        if (!(err instanceof SyntaxError)) throw err;
        // Not JSON (a keep-alive): nothing to record.
      }
    });
  });
  return frames;
}

describe('Agents Playground: approve → take ownership → resolve', () => {
  const title = 'a triager approves a ticket in the web UI, a developer takes and resolves it, and the page shows each step';
  const why = HAS_CHROMIUM ? '' : ` (skipped: ${CHROMIUM} is missing; install it with apt-get install -y chromium)`;

  it.skipIf(!HAS_CHROMIUM)(title + why, { timeout: 180_000 }, async () => {
    running = await startPlayground({
      appPort: await findFreePort(),
      playgroundPort: await findFreePort(),
      // DEMO_REPLAY_SPEED=0 freezes the replay, so its future does not move the ticket under the test.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), LOG_LEVEL: 'info', DEMO_REPLAY_SPEED: '0' },
    });
    const { appUrl, playgroundUrl } = running;
    mkdirSync(SCREENSHOTS, { recursive: true });
    const shot = async (page: Page, name: string): Promise<void> => {
      const path = join(SCREENSHOTS, `flow-${String(screenshots.length + 1).padStart(2, '0')}-${name}.png`);
      await page.screenshot({ path });
      screenshots.push(path);
    };

    // 1. The app has synced the demo's tickets.
    const waiting = await poll('tickets that need triage in /api/tickets', 60_000, async () => {
      // One nobody is on yet (a ticket that arrived assigned waits for triage too, but Approve makes it owned).
      const items = (await ticketsIn(appUrl, 'needs_triage')).filter((t) => t.owner === null);
      return items.length > 0 ? items : undefined;
    });
    const ticket = waiting[0] as ApiTicket;

    // 2. The triager shows the ticket's card in the group chat and approves it in the web UI.
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const frames = recordStream(page);
    await openPlayground(page, playgroundUrl);
    await openConversation(page, 'LGD Support group chat');
    await sendMentionMessage(page, 'LGD', 'LGD Support', `ticket ${ticket.number}`);

    const posted = await poll(`the bot's card for LGD ${ticket.number} on the page's socket`, 30_000, async () =>
      frames.find(
        (f) =>
          f.action === 'createMessage' &&
          f.actionConversationId === GROUP_CHAT_ID &&
          f.message?.from?.id === BOT_ID &&
          (f.message.attachments ?? []).some((a) => cardText(a.content as CardJson).includes(`LGD ${ticket.number}`)),
      ),
    );
    const cardRef = { conversationId: GROUP_CHAT_ID, messageId: posted.message?.messageId ?? '' };
    expect(cardRef.messageId).not.toBe('');

    const card = adaptiveCard(page, `LGD ${ticket.number}`);
    await card.getByText('Needs triage', { exact: true }).waitFor({ timeout: 30_000 });
    for (const button of ['Approve', 'Project', 'Reassign']) await expect(card.getByRole('button', { name: button, exact: true }).isVisible()).resolves.toBe(true);
    await shot(page, 'ticket-card');

    const approved = page.waitForResponse((r) => r.url().includes('/_conversation/v1/invoke') && r.request().method() === 'POST');
    await clickCardButton(card, 'Approve');
    const approveAnswer = (await (await approved).json()) as InvokeAnswer;
    await card.getByText('Approved — waiting for an owner', { exact: true }).waitFor({ timeout: 30_000 });
    await card.getByRole('button', { name: 'Take ownership', exact: true }).waitFor({ timeout: 30_000 });
    await shot(page, 'approved');
    const take = executeAction(approveAnswer.value as CardJson, 'takeOwnership');
    expect(take, 'the approved card offers Take ownership').toBeDefined();

    // 3. The developer takes ownership (an invoke as Resolver 57 on the same card message).
    const owned = await invokeAs(playgroundUrl, DEVELOPER_ID, cardRef, 'takeOwnership', { ...take?.data });
    // "You own LGD <n> now", or, as the replay's developers already own many tickets, the guideline warning.
    expect(cardText(owned)).toMatch(new RegExp(`You own LGD ${ticket.number} now|You now own \\d+ tickets`));
    expect(cardText(owned)).toContain(`Owned by ${DEVELOPER_NAME}`);
    await card.getByText(`Owned by ${DEVELOPER_NAME}`, { exact: true }).waitFor({ timeout: 30_000 });
    await shot(page, 'owned');

    // 4. The developer resolves it: the form, then Resolve with a category and a resolution.
    const form = await invokeAs(playgroundUrl, DEVELOPER_ID, cardRef, 'resolveForm', { ...take?.data });
    const choiceSet = [...objectsIn(form)].find((o) => o.type === 'Input.ChoiceSet' && o.id === 'category') as { choices: { title: string; value: string }[] } | undefined;
    const category = choiceSet?.choices.find((c) => c.title === RESOLUTION_CATEGORY);
    expect(category, `the resolve form offers "${RESOLUTION_CATEGORY}": ${JSON.stringify(choiceSet?.choices)}`).toBeDefined();
    const resolveAction = executeAction(form, 'resolve');
    expect(resolveAction).toBeDefined();
    const done = await invokeAs(playgroundUrl, DEVELOPER_ID, cardRef, 'resolve', {
      ...resolveAction?.data,
      category: category?.value,
      description: 'Fixed in the e2e run',
    });
    expect(cardText(done)).toContain(`Resolved as "${RESOLUTION_CATEGORY}"`);
    // The worker, kicked by the action, may have delivered the resolve already: LGD's status then says Resolved too.
    await card.getByText('Resolved', { exact: true }).first().waitFor({ timeout: 30_000 });
    await shot(page, 'resolved');

    // 5. LGD has it: the worker delivered the writes (nothing queued), the app reads the ticket back
    // resolved and owned by the developer, and the page's card drops its "Queued for LGD" line.
    const final = await poll(`LGD ${ticket.number} resolved in LGD with nothing queued`, 60_000, async () => {
      const t = (await ticketsIn(appUrl, 'resolved')).find((x) => x.number === ticket.number);
      return t && t.queuedForLgd === 0 && t.status === 'Resolved' ? t : undefined;
    });
    expect(final).toMatchObject({ key: ticket.key, state: 'resolved', status: 'Resolved', owner: DEVELOPER_NAME });
    await card.getByText('Queued for LGD', { exact: false }).waitFor({ state: 'hidden', timeout: 30_000 });
    await expect(card.getByText('Resolved', { exact: true }).count()).resolves.toBe(2); // the state line and "LGD status"
    await shot(page, 'confirmed-by-lgd');
  });
});
