import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimIncident } from '../../bot/lgd/simulator/sim-state.js';
import { testUser } from '../support/teams-activities.js';
import { startTeamsWorld, until, type TeamsWorld } from '../support/teams-world.js';
import { ensureTabBuilt, REPO_ROOT } from './built-tab.js';

/**
 * The built tab in headless Chromium against the REAL app (open mode: a demo person chosen in the
 * tab), served by the app itself under /tab/, with the LGD simulator and the recording connector
 * standing in for Teams: the queue shows the simulator's tickets; a triager approves one and a
 * developer takes it, and the tab, the ticket's card in Teams and LGD agree; a decision typed into
 * LGD shows without a reload; the theme switches. Screenshots go to test/artifacts/tab-real/.
 */

// page.evaluate callbacks run in the browser: the few DOM names they use, declared for this file only.
declare const window: { location: { hash: string } };
declare const document: { documentElement: { scrollWidth: number } };

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const SHOTS = join(REPO_ROOT, 'test/artifacts/tab-real');
const why = HAS_CHROMIUM ? '' : ` (skipped: ${CHROMIUM} is missing; install it with apt-get install -y chromium)`;

const ann = testUser(41, 'Ann Lead', 'ann.lead@lgd.example');
const dev1 = testUser(42, 'Dev One', 'dev.one@lgd.example');
const inc: Record<string, SimIncident> = {};

let browser: Browser | undefined;
let w: TeamsWorld | undefined;

beforeAll(async () => {
  if (!HAS_CHROMIUM) return;
  await ensureTabBuilt();
  w = await startTeamsWorld({
    users: [ann, dev1],
    analysts: [ann, dev1],
    leads: [ann.email],
    seed: (sim, team) => {
      for (const k of ['A', 'B', 'C']) inc[k] = sim.state.raiseIncident({ title: `Browser ticket ${k}`, description: k, groupKey: team.guid, status: 'Active', raiseUser: 'Pat User' });
    },
  });
  await w.install(ann);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  mkdirSync(SHOTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await w?.close();
});

async function openTab(viewport = { width: 1280, height: 800 }): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await browser!.newContext({ viewport, locale: 'en-GB' });
  // Nothing leaves this machine: teams-js asks a Microsoft CDN for its list of valid origins.
  await context.route(/^(?!http:\/\/127\.0\.0\.1[:/])/, (route) => route.abort());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${w!.app.url}/tab/`);
  return { page, errors, close: () => context.close() };
}

/** What each view shows once it has its data (rota, people, insights and settings have their own routes, from another branch). */
const READY: Record<string, string> = {
  queue: '[data-ticket]',
  rota: '[aria-label^="Next working day:"]',
  people: '[data-person]',
  insights: 'figure[data-figure] svg',
  settings: 'table[aria-label="Areas"]',
  config: '[data-testid="config-url"]',
};

const section = (page: Page, state: string, number: number) => page.locator(`section[data-section="${state}"] [data-ticket="${number}"]`);

describe(`the tab in Chromium against the real app${why}`, () => {
  it.skipIf(!HAS_CHROMIUM)('a triager approves, a developer takes it; the tab, the card in Teams and LGD agree; LGD’s own decision shows live; the theme switches', { timeout: 120_000 }, async () => {
    const world = w!;
    const { page, errors, close } = await openTab();
    const [a, b, c] = [inc.A!, inc.B!, inc.C!];

    await page.getByRole('button', { name: 'Act as Ann Lead' }).click({ timeout: 15_000 });
    for (const x of [a, b, c]) await section(page, 'needs_triage', x.id).waitFor({ timeout: 15_000 });
    expect(await page.locator(`[data-ticket="${a.id}"]`).textContent()).toContain('Browser ticket A');

    // The triager approves in the tab: the row moves on at once, from the server's answer.
    await page.getByRole('button', { name: `Approve LGD ${a.id}` }).click();
    await page.getByTestId('action-notice').filter({ hasText: 'Approved. Anyone on support can take ownership now.' }).waitFor();
    await section(page, 'approved_unassigned', a.id).waitFor();

    // A developer takes it.
    await page.getByRole('combobox', { name: 'Acting as' }).selectOption(dev1.email);
    await page.getByRole('button', { name: `Take ownership LGD ${a.id}` }).click({ timeout: 15_000 });
    await page.getByTestId('action-notice').filter({ hasText: `You own LGD ${a.id} now.` }).waitFor();
    await section(page, 'owned', a.id).waitFor();
    expect(await page.locator(`[data-ticket="${a.id}"]`).textContent()).toContain('Dev One');

    // The worker writes to LGD and brings the card in Teams up to date.
    await world.app.worker.tick({ forceSync: true });
    await world.app.teams.processor.processNew();
    await until(() => world.sim.state.incident(a.key)!.userKey === world.sim.state.analystByTitle('Dev One')!.guid, 'the assignment in LGD');
    expect(world.sim.state.notesOf(a.key).map((n) => n.text)).toEqual([expect.stringMatching(/^Approved — Ann Lead via Teams/)]);
    await until(
      () => world.connector.calls.some((call) => call.method === 'PUT' && JSON.stringify(call.body).includes('Browser ticket A') && JSON.stringify(call.body).includes('Owned by Dev One')),
      'the ticket card updated to show its owner',
    );
    const stored = (await world.app.tickets.get(a.key))!;
    expect(stored).toMatchObject({ state: 'owned', owner: { title: 'Dev One' } });

    // A decision typed into LGD shows in the tab without a reload (the event stream).
    expect(await page.locator('[data-live-mode]').getAttribute('data-live-mode')).toBe('events');
    world.sim.state.addNote(b.key, { text: 'Approved: typed in LGD', by: 'Ann Lead' });
    await world.sync();
    await section(page, 'approved_unassigned', b.id).waitFor({ timeout: 15_000 });

    // The demo's theme switch plays Teams' theme change.
    await page.getByRole('radio', { name: 'Dark' }).check();
    await page.locator('[data-theme="dark"]').waitFor();
    await page.getByRole('radio', { name: 'Light' }).check();
    await page.locator('[data-theme="light"]').waitFor();

    expect(errors).toEqual([]);
    await close();
  });

  it.skipIf(!HAS_CHROMIUM)('screenshots of every view in light, dark and high contrast, and the queue at 320 px wide', { timeout: 120_000 }, async () => {
    const { page, errors, close } = await openTab();
    await page.getByRole('button', { name: 'Act as Ann Lead' }).click({ timeout: 15_000 });
    await page.locator('[data-ticket]').first().waitFor({ timeout: 15_000 });
    for (const [theme, label] of [
      ['light', 'Light'],
      ['dark', 'Dark'],
      ['contrast', 'High contrast'],
    ] as const) {
      await page.getByRole('radio', { name: label, exact: true }).check();
      await page.locator(`[data-theme="${theme}"]`).waitFor();
      for (const [view, selector] of Object.entries(READY)) {
        await page.evaluate((v) => (window.location.hash = `#/${v}`), view);
        // Each view ends in its data or in an error state saying what failed; never a blank page.
        await page.locator(selector).or(page.getByText(/^Could not load/)).first().waitFor({ timeout: 15_000 });
        await page.screenshot({ path: join(SHOTS, `${view}-${theme}.png`) });
      }
    }
    await page.getByRole('radio', { name: 'Light', exact: true }).check();
    await page.evaluate(() => (window.location.hash = '#/queue'));
    await page.setViewportSize({ width: 320, height: 800 });
    await page.locator('li[data-ticket]').first().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(SHOTS, 'queue-320px.png'), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    expect(errors).toEqual([]);
    await close();
  });
});
