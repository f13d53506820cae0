import { existsSync } from 'node:fs';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/**
 * Driving the Microsoft 365 Agents Playground's web UI (0.2.28) with playwright-core. Selectors
 * were checked against the running UI; see bot/playground/README.md for what each one matches.
 */

/** Debian's Chromium; the tests never download a browser. */
export const CHROMIUM = '/usr/bin/chromium';
/** Whether the e2e tests that need a browser can run here. */
export const HAS_CHROMIUM = existsSync(CHROMIUM);

/** Headless Chromium with no network of its own beyond what the page asks for. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * Opens the Playground and waits until its conversation WebSocket is open and it has reached the
 * bot: messages the bot sends before that go to another client or are lost for this page.
 */
export async function openPlayground(page: Page, playgroundUrl: string): Promise<void> {
  const socket = page.waitForEvent('websocket', (ws) => ws.url().includes('/_ws_conversation/v1/conversations/stream'));
  await page.goto(playgroundUrl);
  await socket;
  await page.getByText('Connected.', { exact: true }).waitFor();
}

/** The message box of the open chat (in a channel: the first box, "Start a new post"). */
export function composer(page: Page): Locator {
  return page.locator('[data-lexical-editor="true"][role="textbox"]').first();
}

/** Opens a chat or channel from the left rail: "Personal Chat", a group chat's name, or "<team> - <channel>". */
export async function openConversation(page: Page, name: string): Promise<void> {
  await page.getByRole('treeitem', { name, exact: true }).click();
}

/** Types a message as the current user and sends it with Enter. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  const box = composer(page);
  await box.click();
  await box.pressSequentially(text);
  await page.keyboard.press('Enter');
}

/** The bot's messages in a personal or group chat (text replies and cards). */
export function botMessages(page: Page): Locator {
  return page.locator('.fai-OutputCard');
}

/** The rendered Adaptive Card that contains `text` (the newest if several do). */
export function adaptiveCard(page: Page, text: string | RegExp): Locator {
  return page.locator('.ac-adaptiveCard').filter({ hasText: text }).last();
}

/** Clicks an Action.Execute / Action.Submit button of a card by its title. */
export async function clickCardButton(card: Locator, title: string): Promise<void> {
  await card.getByRole('button', { name: title, exact: true }).click();
}

/** Fills an Input.Text of a card by its label (input ids are not in the DOM). */
export async function fillCardInput(card: Locator, label: string, value: string): Promise<void> {
  await card.getByRole('textbox', { name: label }).fill(value);
}

/** Picks an Input.ChoiceSet (compact) option by title; the option list opens outside the card. */
export async function chooseCardChoice(page: Page, card: Locator, label: string, choice: string): Promise<void> {
  await card.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: choice, exact: true }).click();
}

/**
 * Sends a message that @mentions the bot in a group chat (the bot hears only those there): types
 * `@<typed>`, picks `botName` from the mention menu, types `text`, sends with Enter. (A channel's
 * new post is sent with its Post button instead.)
 */
export async function sendMentionMessage(page: Page, typed: string, botName: string, text: string): Promise<void> {
  const box = composer(page);
  await box.click();
  await box.pressSequentially(`@${typed}`);
  await page.getByRole('menuitem', { name: botName }).click();
  await box.pressSequentially(` ${text}`);
  await page.keyboard.press('Enter');
}
