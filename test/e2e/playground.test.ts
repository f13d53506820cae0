import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, findFreePort, startPlayground, type RunningPlayground } from '../../bot/playground/start-playground.js';
import { botMessages, HAS_CHROMIUM, launchChromium, openConversation, openPlayground, sendMessage, CHROMIUM } from './playground-page.js';

/**
 * Smoke test of `npm run playground`'s pieces: the demo app and the Microsoft 365 Agents
 * Playground on free ports, the Playground's web UI in headless Chromium, one message and the
 * bot's reply as a person sees it. Screenshots go to test-results/playground/ for people to look at.
 */

const SCREENSHOTS = join(REPO_ROOT, 'test-results/playground');

let running: RunningPlayground | undefined;
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  await running?.stop();
});

describe('Agents Playground smoke', () => {
  const title = 'shows the bot\'s help card in answer to "hello" in the personal chat';
  const why = HAS_CHROMIUM ? '' : ` (skipped: ${CHROMIUM} is missing; install it with apt-get install -y chromium)`;

  it.skipIf(!HAS_CHROMIUM)(title + why, { timeout: 120_000 }, async () => {
    running = await startPlayground({
      appPort: await findFreePort(),
      playgroundPort: await findFreePort(),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), LOG_LEVEL: 'info' },
    });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    mkdirSync(SCREENSHOTS, { recursive: true });

    await openPlayground(page, running.playgroundUrl);
    await openConversation(page, 'Personal Chat');
    await page.screenshot({ path: join(SCREENSHOTS, '01-opened.png') });

    await sendMessage(page, 'hello');
    const reply = botMessages(page).filter({ hasText: /triage here/ });
    await reply.waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(SCREENSHOTS, '02-reply.png') });

    await expect(reply.textContent()).resolves.toContain('I post a triage card in the ops channel');
  });
});
