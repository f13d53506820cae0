import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTabApiStandIn, type RecordedRequest, type TabApiStandIn } from '../support/tab-api-stand-in.js';
import { ensureTabBuilt, REPO_ROOT } from './built-tab.js';

/**
 * The built tab in headless Chromium against the STAND-IN API (test/support/tab-api-stand-in.ts,
 * written from docs/tab-api.md): what a person sees and sends, in open (demo) mode, outside Teams
 * against a checked server, with polling instead of events, and while the API is down.
 * Screenshots of every view in the three themes, and the queue at 320 px, go to test-results/tab/.
 * The same tab against the real app: tab-real-server.test.ts.
 */

// page.evaluate callbacks run in the browser: the few DOM names they use, declared for this file only
// (the root tsconfig is Node's and has no DOM lib).
declare const window: { location: { hash: string } };
declare const document: { documentElement: { scrollWidth: number }; querySelectorAll(s: string): ArrayLike<{ className: unknown; getBoundingClientRect(): { right: number } }> };
declare function getComputedStyle(e: unknown): { backgroundColor: string };

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const SHOTS = join(REPO_ROOT, 'test-results/tab');
const why = HAS_CHROMIUM ? '' : ` (skipped: ${CHROMIUM} is missing; install it with apt-get install -y chromium)`;

let browser: Browser | undefined;
let dist = '';
const standIns: TabApiStandIn[] = [];

async function standIn(opts: { mode: 'open' | 'checked'; events?: boolean; pollSeconds?: number }): Promise<TabApiStandIn> {
  const s = await startTabApiStandIn({ ...opts, distDir: dist });
  standIns.push(s);
  return s;
}

/** A fresh browser context (its own local storage) with uncaught page errors collected. */
async function open(s: TabApiStandIn, viewport = { width: 1280, height: 800 }): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser!.newContext({ viewport, acceptDownloads: true, locale: 'en-GB', timezoneId: 'America/New_York' });
  // Nothing leaves this machine: teams-js asks a Microsoft CDN for its list of valid origins.
  await context.route(/^(?!http:\/\/127\.0\.0\.1[:/])/, (route) => route.abort());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${s.url}/tab/index.html`);
  return { context, page, errors };
}

const lastRequest = (s: TabApiStandIn, method: string, path: string): RecordedRequest | undefined => [...s.requests].reverse().find((r) => r.method === method && r.path === path);

beforeAll(async () => {
  if (!HAS_CHROMIUM) return;
  dist = await ensureTabBuilt();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  mkdirSync(SHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(standIns.map((s) => s.close()));
});

describe(`the tab in Chromium against the stand-in API${why}`, () => {
  it.skipIf(!HAS_CHROMIUM)('open mode: choose a demo person, see the queue, act, see a change from elsewhere live, switch theme and person', { timeout: 60_000 }, async () => {
    const s = await standIn({ mode: 'open' });
    const { context, page, errors } = await open(s);

    // Outside Teams teams-js rejects at once; the server says open: the demo chooser, with its banner.
    await expect(page.getByRole('heading', { name: 'Who are you in this demo?' }).textContent({ timeout: 10_000 })).resolves.toBeTruthy();
    expect(await page.getByTestId('demo-banner').textContent()).toContain('Demo mode');
    expect(s.requests.find((r) => r.path === '/me')?.headers.authorization).toBeUndefined();
    await page.getByRole('button', { name: 'Act as Ann Smith' }).click();

    // The queue, grouped by process state, with the stand-in's rows and their warnings.
    await page.locator('[data-ticket="40101"]').waitFor();
    expect(await page.getByTestId('demo-banner').textContent()).toContain('Ann Smith');
    const sections = await page.locator('section[data-section]').evaluateAll((els) => els.map((e) => e.getAttribute('data-section')));
    expect(sections).toEqual(['needs_triage', 'approved_unassigned', 'owned', 'owned', 'project', 'resolved']);
    const triage = await page.locator('section[data-section="needs_triage"] [data-ticket]').evaluateAll((els) => els.map((e) => e.getAttribute('data-ticket')));
    expect(triage).toEqual(['40101', '40112', '40120']);
    const owned = await page.locator('[data-ticket="40070"]').textContent();
    expect(owned).toContain('No user update today');
    expect(owned).toContain('Owned 7 working days');
    expect(await page.locator('[data-ticket="40112"]').textContent()).toContain('Assigned in LGD to Dana Evans, waiting for triage');
    expect(await page.locator('[data-ticket="40101"] a').getAttribute('href')).toContain('key=k-40101');

    // Approve: the request carries the demo person and the version the view showed; the row moves on.
    await page.getByRole('button', { name: 'Approve LGD 40101' }).click();
    await page.getByTestId('action-notice').filter({ hasText: 'Approved LGD 40101' }).waitFor();
    const approve = lastRequest(s, 'POST', '/tickets/k-40101/approve');
    expect(approve?.body).toEqual({ v: 1 });
    expect(approve?.headers['x-demo-person']).toBe('ann@example.org');
    await page.locator('section[data-section="approved_unassigned"] [data-ticket="40101"]').waitFor();

    // Project through its dialog: the body is what the contract says.
    await page.getByRole('button', { name: 'Project LGD 40120' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('combobox', { name: 'Area' }).waitFor();
    expect(await dialog.getByRole('textbox', { name: 'Message to the user' }).inputValue()).toContain('LGD 40120');
    await dialog.getByRole('combobox', { name: 'Area' }).click();
    await page.getByRole('option', { name: /^Waste/ }).click();
    await dialog.getByRole('textbox', { name: 'Also tell' }).fill('x@example.org, y@example.org');
    await dialog.getByRole('button', { name: 'Decide: project work' }).click();
    await page.getByTestId('action-notice').filter({ hasText: 'Project work' }).waitFor();
    expect(lastRequest(s, 'POST', '/tickets/k-40120/project')?.body).toEqual({
      v: 1,
      message: expect.stringContaining('LGD 40120'),
      area: 'Waste',
      otherArea: null,
      contacts: ['x@example.org', 'y@example.org'],
      backlogTitle: 'New starter needs access to the housing repairs dashboard',
    });
    await page.locator('section[data-section="project"] [data-ticket="40120"]').waitFor();

    // Reassign: the typeahead asks the API as you type; the chosen target and the reason are sent.
    await page.getByRole('button', { name: 'Reassign LGD 40112' }).click();
    const reassign = page.getByRole('dialog');
    await reassign.getByRole('combobox', { name: 'Group or person' }).pressSequentially('serv');
    await page.getByRole('option', { name: 'Group: Service Desk' }).click();
    await reassign.getByRole('textbox', { name: 'Why' }).fill('Hardware fault: the Service Desk handles it.');
    await reassign.getByRole('button', { name: 'Reassign', exact: true }).click();
    await page.getByTestId('action-notice').filter({ hasText: 'Reassigned to' }).waitFor();
    expect(s.requests.some((r) => r.path === '/targets' && r.query.q === 'serv')).toBe(true);
    expect(lastRequest(s, 'POST', '/tickets/k-40112/reassign')?.body).toEqual({ v: 1, target: 'group:g-sd', reason: 'Hardware fault: the Service Desk handles it.' });

    // A change made elsewhere (Teams, LGD) shows without a reload, through the event stream.
    expect(await page.locator('[data-live-mode]').getAttribute('data-live-mode')).toBe('events');
    s.addTicket({ number: 40131, title: 'Printer queue stuck in the Civic Centre', raisedAt: '2026-12-02T10:00:00.000Z' });
    await page.locator('section[data-section="needs_triage"] [data-ticket="40131"]').waitFor({ timeout: 5000 });

    // The demo's theme switch plays Teams' theme change.
    const bg = (): Promise<string> => page.locator('[data-theme]').first().evaluate((e) => getComputedStyle(e).backgroundColor);
    const light = await bg();
    await page.getByRole('radio', { name: 'Dark' }).check();
    await page.locator('[data-theme="dark"]').waitFor();
    expect(await bg()).not.toBe(light);
    await page.getByRole('radio', { name: 'High contrast' }).check();
    await page.locator('[data-theme="contrast"]').waitFor();
    await page.getByRole('radio', { name: 'Light' }).check();

    // Switch person: someone unmapped sees why they cannot act, and no action buttons.
    await page.getByRole('combobox', { name: 'Acting as' }).selectOption('sam@example.org');
    await page.getByText('You are not linked to an LGD analyst yet').waitFor();
    await page.locator('[data-ticket="40101"]').waitFor();
    expect(await page.getByRole('button', { name: /^Take ownership/ }).count()).toBe(0);
    expect(lastRequest(s, 'GET', '/queue')?.headers['x-demo-person']).toBe('sam@example.org');

    expect(errors).toEqual([]);
    await context.close();
  });

  it.skipIf(!HAS_CHROMIUM)('every view shows its data; the rota is edited; screenshots in light, dark and high contrast, and the queue at 320 px', { timeout: 60_000 }, async () => {
    const s = await standIn({ mode: 'open' });
    const { context, page, errors } = await open(s);
    await page.getByRole('button', { name: 'Act as Ann Smith' }).click();
    await page.locator('[data-ticket="40101"]').waitFor();

    // Rota: today and the next working day on top, bank holidays marked, gaps highlighted.
    await page.getByRole('tab', { name: 'Rota' }).click();
    const today = page.getByRole('group', { name: /^Today:/ }).or(page.locator('[aria-label^="Today:"]'));
    await today.first().waitFor();
    expect(await today.first().textContent()).toContain('Olu Okafor');
    expect(await page.locator('[aria-label^="Next working day:"]').textContent()).toMatch(/Thursday,? 3 December 2026/);
    expect(await page.locator('[data-date="2026-12-25"]').textContent()).toContain('Bank holiday: Christmas Day');
    expect(await page.locator('[data-date="2026-12-24"]').textContent()).toContain('Team day off');
    expect(await page.locator('[data-date="2026-12-09"]').getAttribute('data-gap')).toBe('yes');
    expect(await page.locator('[data-date="2026-12-03"]').getAttribute('data-gap')).toBeNull();

    // Edit one day: the PUT body, and the calendar shows it.
    await page.getByRole('button', { name: /^Edit Thursday,? 10 December 2026$/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('combobox', { name: 'Operations Lead' }).click();
    await page.getByRole('option', { name: /Dana Evans/ }).click();
    await dialog.getByRole('radio', { name: 'Set to' }).check();
    await dialog.getByRole('combobox', { name: 'On support' }).click();
    // A multiselect Dropdown's options are menuitemcheckboxes.
    await page.getByRole('menuitemcheckbox', { name: 'Olu Okafor' }).click();
    await dialog.getByRole('heading', { name: 'Edit the rota' }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('rota-notice').waitFor();
    expect(lastRequest(s, 'PUT', '/rota')?.body).toEqual({ from: '2026-12-10', to: '2026-12-10', lead: 'dana@example.org', support: ['olu@example.org'] });
    await page.locator('[data-date="2026-12-10"]', { hasText: 'Lead: Dana Evans' }).waitFor();

    // People, Insights (charts on demand, numbers as tables and CSV), Settings, Config.
    await page.getByRole('tab', { name: 'People' }).click();
    await page.locator('[data-person="olu@example.org"]').waitFor();
    expect(await page.locator('[data-person="olu@example.org"]').textContent()).toContain('1 of 3');
    expect(await page.locator('[data-person="dana@example.org"]').textContent()).toContain('Not on support Thu 3 Dec');

    await page.getByRole('tab', { name: 'Insights' }).click();
    await page.locator('figure[data-figure="over-limit"] svg').first().waitFor({ timeout: 15_000 });
    expect(await page.getByRole('button', { name: /^Export CSV/ }).count()).toBe(4);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV: Triage decisions by outcome' }).click();
    const file = await (await download).path();
    const csv = readFileSync(file, 'utf8').split('\r\n');
    expect(csv[0]).toBe('Week,Approved,Project,Reassigned');
    expect(csv).toHaveLength(14);

    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByRole('table', { name: 'Areas' }).waitFor();
    expect(await page.getByRole('table', { name: 'Areas' }).textContent()).toContain('dsa.waste@example.org');

    await page.evaluate(() => (window.location.hash = '#/config'));
    await page.getByTestId('config-url').waitFor();
    await page.getByRole('radio', { name: /^Rota:/ }).check();
    expect(await page.getByTestId('config-url').textContent()).toContain('/tab/index.html#/rota');

    // Screenshots of every view in the three themes.
    const ready: Record<string, string> = {
      queue: '[data-ticket="40101"]',
      rota: '[aria-label^="Next working day:"]',
      people: '[data-person="olu@example.org"]',
      insights: 'figure[data-figure="over-limit"] svg',
      settings: 'table[aria-label="Areas"]',
      config: '[data-testid="config-url"]',
    };
    for (const [theme, label] of [
      ['light', 'Light'],
      ['dark', 'Dark'],
      ['contrast', 'High contrast'],
    ] as const) {
      await page.getByRole('radio', { name: label, exact: true }).check();
      await page.locator(`[data-theme="${theme}"]`).waitFor();
      for (const [view, selector] of Object.entries(ready)) {
        await page.evaluate((v) => (window.location.hash = `#/${v}`), view);
        await page.locator(selector).first().waitFor({ timeout: 15_000 });
        await page.screenshot({ path: join(SHOTS, `${view}-${theme}.png`) });
      }
    }

    // The queue on a phone-sized screen: stacked cards instead of a table, nothing cut off sideways.
    await page.getByRole('radio', { name: 'Light', exact: true }).check();
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 320, height: 800 });
    await phone.goto(`${s.url}/tab/index.html#/queue`);
    await phone.locator('li[data-ticket="40101"]').waitFor();
    await phone.screenshot({ path: join(SHOTS, 'queue-320px.png'), fullPage: true });
    expect(await phone.locator('table').count()).toBe(0);
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    const wide = width <= 320 ? [] : await phone.evaluate(() => Array.from(document.querySelectorAll('body *')).filter((e) => e.getBoundingClientRect().right > 321).map((e) => String(e.className)).slice(0, 5));
    expect(width, `wider than the screen: ${wide.join(' | ')}`).toBeLessThanOrEqual(320);

    expect(errors).toEqual([]);
    await context.close();
  });

  it.skipIf(!HAS_CHROMIUM)('outside Teams against a checked server: says to open it in Teams, and offers no demo', { timeout: 30_000 }, async () => {
    const s = await standIn({ mode: 'checked' });
    const { context, page, errors } = await open(s);
    await page.getByRole('heading', { name: 'Open LGD Support in Microsoft Teams' }).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('demo-banner').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'open-in-teams.png') });
    expect(errors).toEqual([]);
    await context.close();
  });

  it.skipIf(!HAS_CHROMIUM)('without an event stream it polls; while the API is down it keeps the last data, says so and recovers by itself', { timeout: 45_000 }, async () => {
    const s = await standIn({ mode: 'open', events: false, pollSeconds: 2 });
    const { context, page, errors } = await open(s);
    await page.getByRole('button', { name: 'Act as Dana Evans' }).click();
    await page.locator('[data-ticket="40101"]').waitFor();
    expect(await page.locator('[data-live-mode]').getAttribute('data-live-mode')).toBe('polling');
    expect(await page.getByRole('button', { name: /^Approve/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Take ownership LGD 40088' }).count()).toBe(1);

    s.addTicket({ number: 40140, title: 'Seen by polling', raisedAt: '2026-12-02T10:10:00.000Z' });
    await page.locator('[data-ticket="40140"]').waitFor({ timeout: 6000 });
    const polled = s.requests.filter((r) => r.path === '/queue');
    expect(polled.length).toBeGreaterThanOrEqual(2);

    s.setDown(true);
    await page.getByText('Could not refresh the queue.').waitFor({ timeout: 6000 });
    expect(await page.locator('[data-ticket="40140"]').count()).toBe(1);
    expect(await page.getByRole('alert').filter({ hasText: 'Showing what the server last sent' }).count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'queue-api-down.png') });
    s.setDown(false);
    await page.getByText('Could not refresh the queue.').waitFor({ state: 'detached', timeout: 10_000 });
    expect(errors).toEqual([]);
    await context.close();
  });
});
