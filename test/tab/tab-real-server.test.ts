import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimIncident } from '../../bot/lgd/simulator/sim-state.js';
import type { RotaResponse } from '../../tab/src/api/contract.js';
import { withWeekday } from '../../bot/domain/iso-date.js';
import { channelMessage, OTHER_CHANNEL, postActivity, testUser } from '../support/teams-activities.js';
import { startTeamsWorld, until, type TeamsWorld } from '../support/teams-world.js';
import { startTestApp } from '../support/test-app.js';
import { ensureTabBuilt, REPO_ROOT } from './built-tab.js';

/**
 * The built tab in headless Chromium against the REAL app (open mode: a demo person chosen in the
 * tab), served by the app itself under /tab/, with the LGD simulator and the recording connector
 * standing in for Teams: the queue shows the simulator's tickets; a triager approves one and a
 * developer takes it, and the tab, the ticket's card in Teams and LGD agree; a decision typed into
 * LGD shows without a reload; the theme switches; a triager edits the rota in the tab and the bot's
 * `rota` shows the edit. Every view must show the server's data (no error state passes).
 * Screenshots go to test/artifacts/tab-real/.
 */

// page.evaluate callbacks run in the browser: the few DOM names they use, declared for this file only.
declare const window: { location: { hash: string } };
declare const document: { documentElement: { scrollWidth: number } };

type Card = { type: string; body: unknown[] };

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
  // Fresh each run, so the check that every screenshot exists cannot pass on an old one.
  rmSync(SHOTS, { recursive: true, force: true });
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

/** The server's rota as the triager sees it (open mode: the demo person header). */
async function rotaOf(person: string): Promise<RotaResponse> {
  const res = await fetch(`${w!.app.url}/api/rota`, { headers: { 'X-Demo-Person': person } });
  expect(res.status).toBe(200);
  return (await res.json()) as RotaResponse;
}

/** The FactSet values of a card, by fact title. */
function factsOf(card: Card): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.type === 'FactSet') for (const f of o.facts as { title: string; value: string }[]) out.set(f.title, f.value);
      Object.values(o).forEach(walk);
    }
  };
  walk(card.body);
  return out;
}

/** Sends `text` to the bot through its real /api/messages endpoint as `from` in a channel; returns the card it replies with. */
async function ask(from: typeof ann, text: string): Promise<Card> {
  const world = w!;
  const message = channelMessage(world.connector.url, from, text, OTHER_CHANNEL);
  const conversation = String((message.conversation as { id: string }).id).split(';')[0]!;
  const before = world.connector.calls.length;
  expect((await postActivity(world.app.url, message)).status).toBe(200);
  let card: Card | undefined;
  await until(() => {
    const reply = world.connector.calls
      .slice(before)
      .find((c) => c.method === 'POST' && decodeURIComponent(c.path).includes(`/conversations/${conversation}`) && /\/activities(\/[^/]+)?$/.test(c.path));
    card = (reply?.body as { attachments?: { content: Card }[] } | undefined)?.attachments?.[0]?.content;
    return card !== undefined;
  }, `the bot's card in reply to "${text}"`);
  return card!;
}

/**
 * Each view, and what it must show from the server once loaded: no error state passes. The
 * expectations follow from what the earlier tests did (Ann is a lead; Dev One owns ticket A; the
 * rota edit below made Dev One today's Operations Lead).
 */
const VIEWS: Record<string, (page: Page) => Promise<void>> = {
  queue: async (page) => {
    await page.locator(`[data-ticket="${inc.C!.id}"]`).first().waitFor({ timeout: 15_000 });
    expect(await page.locator(`[data-ticket="${inc.C!.id}"]`).first().textContent()).toContain('Browser ticket C');
  },
  rota: async (page) => {
    const rota = await rotaOf(ann.email);
    const day = rota.today.working ? 'Today' : 'Next working day';
    const card = page.locator(`[aria-label^="${day}:"]`);
    await card.filter({ hasText: 'Operations Lead: Dev One' }).waitFor({ timeout: 15_000 });
    expect(await card.textContent()).toContain('On support: Ann Lead, Dev One');
  },
  people: async (page) => {
    const row = page.locator(`[data-person="${dev1.email}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toMatch(/1 of 3/);
    expect(await row.textContent()).toContain(`LGD ${inc.A!.id}`);
  },
  insights: async (page) => {
    await page.locator('figure[data-figure] svg').first().waitFor({ timeout: 15_000 });
    // This week's row of the decisions table: the approvals the first test made (in the tab and in LGD).
    const rows = page.getByRole('table', { name: 'Triage decisions by outcome: numbers' }).locator('tbody tr');
    const last = (await rows.last().locator('td').allTextContents()).map((t) => t.trim());
    expect(last[1], last.join(' | ')).toMatch(/^[1-9]\d*$/);
  },
  settings: async (page) => {
    await page.getByRole('tab', { name: 'Leads' }).click({ timeout: 15_000 });
    const leads = page.getByRole('table', { name: 'Leads' });
    await leads.locator('tbody tr').filter({ hasText: ann.email }).waitFor({ timeout: 15_000 });
    expect(await leads.locator('tbody tr').filter({ hasText: ann.email }).textContent()).toContain('Ann Lead');
  },
  config: async (page) => {
    await page.getByTestId('config-url').waitFor({ timeout: 15_000 });
  },
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

  it.skipIf(!HAS_CHROMIUM)("a triager edits the rota in the tab (a range: lead and support), and the bot's `rota` shows the edit", { timeout: 120_000 }, async () => {
    const { page, errors, close } = await openTab();
    const before = await rotaOf(ann.email);
    const first = before.today.working ? before.today.date : before.nextWorkingDay.date;
    const last = before.nextWorkingDay.date > first ? before.nextWorkingDay.date : first;
    expect(before.days.find((d) => d.date === first)?.lead?.email).not.toBe(dev1.email);

    await page.getByRole('button', { name: 'Act as Ann Lead' }).click({ timeout: 15_000 });
    // The shell first (it opens on the queue): a hash set before it listens would be replaced by the queue's.
    await page.locator('[data-ticket]').first().waitFor({ timeout: 15_000 });
    await page.evaluate(() => (window.location.hash = '#/rota'));
    await page.getByRole('button', { name: 'Edit the rota' }).click({ timeout: 15_000 });
    const dialog = page.getByRole('dialog', { name: 'Edit the rota' });
    await dialog.getByRole('radio', { name: 'A range', exact: true }).check();
    expect(await dialog.getByLabel(/^From/).inputValue()).toBe(first);
    await dialog.getByLabel(/^To/).fill(last);
    await dialog.getByRole('combobox', { name: 'Operations Lead' }).click();
    await page.getByRole('option', { name: `Dev One (${dev1.email})` }).click();
    await dialog.getByRole('radio', { name: 'Set to', exact: true }).check();
    await dialog.getByRole('combobox', { name: 'On support' }).click();
    // Fluent's multiselect options are checkable menu items.
    await page.getByRole('menuitemcheckbox', { name: 'Ann Lead' }).click();
    await page.getByRole('menuitemcheckbox', { name: 'Dev One' }).click();
    await dialog.getByRole('combobox', { name: 'On support' }).press('Escape');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('rota-notice').waitFor({ timeout: 15_000 });
    await dialog.waitFor({ state: 'detached' });

    // The tab shows the edit from the server's answer, and the server has stored it.
    const cell = page.locator(`td[data-date="${first}"]`);
    await cell.filter({ hasText: 'Lead: Dev One' }).waitFor();
    expect(await cell.textContent()).toContain('On support: Ann Lead, Dev One');
    const after = await rotaOf(dev1.email);
    for (const date of [first, last]) {
      const day = after.days.find((d) => d.date === date);
      expect(day, date).toMatchObject({ lead: { email: dev1.email }, support: [{ email: ann.email }, { email: dev1.email }], setBy: 'Ann Lead' });
    }

    // The bot's `rota` chat command, asked by a developer, shows the same.
    const facts = factsOf(await ask(dev1, 'rota'));
    const titles = [...facts.keys()].join(' / ');
    const lead = `Dev One (${dev1.email})`;
    if (before.today.working) expect(facts.get([...facts.keys()].find((k) => k.startsWith('Today,'))!), titles).toBe(lead);
    for (const date of [first, last]) {
      const line = [...facts.entries()].find(([title]) => title.startsWith(withWeekday(date)));
      expect(line?.[1], titles).toBe(`Lead: ${lead} · Support: Ann Lead, Dev One`);
    }
    expect(errors).toEqual([]);
    await close();
  });

  it.skipIf(!HAS_CHROMIUM)('screenshots of every view in light, dark and high contrast, each showing the server’s data, and the queue at 320 px wide', { timeout: 180_000 }, async () => {
    const { page, errors, close } = await openTab();
    await page.getByRole('button', { name: 'Act as Ann Lead' }).click({ timeout: 15_000 });
    await page.locator('[data-ticket]').first().waitFor({ timeout: 15_000 });
    const shots: string[] = [];
    for (const [theme, label] of [
      ['light', 'Light'],
      ['dark', 'Dark'],
      ['contrast', 'High contrast'],
    ] as const) {
      await page.getByRole('radio', { name: label, exact: true }).check();
      await page.locator(`[data-theme="${theme}"]`).waitFor();
      for (const [view, check] of Object.entries(VIEWS)) {
        await page.evaluate((v) => (window.location.hash = `#/${v}`), view);
        await check(page);
        await expect(page.getByText(/^Could not load/).count()).resolves.toBe(0);
        const path = join(SHOTS, `${view}-${theme}.png`);
        await page.screenshot({ path });
        shots.push(path);
      }
    }
    await page.getByRole('radio', { name: 'Light', exact: true }).check();
    await page.evaluate(() => (window.location.hash = '#/queue'));
    await page.setViewportSize({ width: 320, height: 800 });
    await page.locator('li[data-ticket]').first().waitFor({ timeout: 15_000 });
    const narrow = join(SHOTS, 'queue-320px.png');
    await page.screenshot({ path: narrow, fullPage: true });
    shots.push(narrow);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);

    expect(shots).toHaveLength(Object.keys(VIEWS).length * 3 + 1);
    for (const path of shots) expect(existsSync(path) ? statSync(path).size : 0, path).toBeGreaterThan(1000);
    expect(errors).toEqual([]);
    await close();
  });
});

describe(`the tab in Chromium against the demo (no LGD_URL: its own simulated LGD and rota)${why}`, () => {
  it.skipIf(!HAS_CHROMIUM)("the rota shows the demo rota's Operations Lead and support, people the demo team with their loads", { timeout: 120_000 }, async () => {
    const demo = await startTestApp({ DEMO_REPLAY_SPEED: '0' }, { startWorker: false });
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    try {
      await demo.worker.tick({ forceSync: true });
      const me = (await (await fetch(`${demo.url}/api/me`)).json()) as { demoPeople: { email: string; name: string; roles: string[] }[] };
      const lead = me.demoPeople.find((p) => p.roles.includes('Operations Lead today')) ?? me.demoPeople[0]!;
      const rota = (await (await fetch(`${demo.url}/api/rota`, { headers: { 'X-Demo-Person': lead.email } })).json()) as RotaResponse;
      const day = rota.today.working ? rota.today : rota.nextWorkingDay;
      expect(day.lead?.name, 'the demo seeds its rota').toBeTruthy();
      expect(day.support?.length, 'the demo seeds support lists').toBeGreaterThan(0);

      await context.route(/^(?!http:\/\/127\.0\.0\.1[:/])/, (route) => route.abort());
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${demo.url}/tab/`);
      await page.getByRole('button', { name: `Act as ${lead.name}` }).click({ timeout: 15_000 });
      await page.locator('[data-ticket]').first().waitFor({ timeout: 15_000 });

      await page.evaluate(() => (window.location.hash = '#/rota'));
      const card = page.locator(`[aria-label^="${rota.today.working ? 'Today' : 'Next working day'}:"]`);
      await card.filter({ hasText: `Operations Lead: ${day.lead!.name}` }).waitFor({ timeout: 15_000 });
      expect(await card.textContent()).toContain(`On support: ${day.support!.map((p) => p.name).join(', ')}`);

      await page.evaluate(() => (window.location.hash = '#/people'));
      const people = page.locator('[data-person]');
      await people.first().waitFor({ timeout: 15_000 });
      const others = me.demoPeople.filter((p) => p.email !== lead.email);
      expect(others.length).toBeGreaterThan(0);
      for (const p of others) expect(await page.locator(`[data-person="${p.email}"]`).textContent(), p.email).toMatch(/\d+ of 3/);
      await page.screenshot({ path: join(SHOTS, 'demo-people-light.png') });
      expect(statSync(join(SHOTS, 'demo-people-light.png')).size).toBeGreaterThan(1000);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await demo.close();
    }
  });
});
