/**
 * No request can hold the CPU: every pattern applied to text from outside (the chat commands,
 * the rota parser, stripMentions, the typeahead search) finishes quickly on 100,000 characters of
 * its worst repeating shape, and an over-long chat message is answered before any pattern runs,
 * without blocking other requests. The bounds are generous (a second for a whole family of inputs):
 * they prove "no longer pathological", not a speed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LgdAnalyst, LgdGroup } from '../../bot/lgd/lgd-types.js';
import type { Store } from '../../bot/store/doc-collection.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import { ReferenceRepository } from '../../bot/store/reference-repository.js';
import { searchTargets } from '../../bot/teams/actions/search-targets.js';
import { CHAT_COMMANDS } from '../../bot/teams/commands/registry.js';
import { parseRotaCommand } from '../../bot/domain/rota-command.js';
import { MAX_COMMAND_CHARS, stripMentions } from '../../bot/teams/support-bot.js';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.js';
import { personalMessage, testUser } from '../support/teams-activities.js';
import { startTestApp } from '../support/test-app.js';

const N = 100_000;
const BOUND_MS = 1_000;

/** The worst repeating shapes of text for backtracking patterns, each about N characters, after `prefix`. */
function adversarial(prefix: string): string[] {
  const fill = (unit: string): string => unit.repeat(Math.ceil(N / unit.length)).slice(0, N);
  return [
    `${prefix}${fill('@')}`,
    `${prefix}${fill('@')} to`,
    `${prefix}${fill(' ')}x`,
    `${prefix}${fill(' \t')}!`,
    `${prefix}${fill('a ')}!`,
    `${prefix}${fill('to ')}@`,
    `${prefix}${fill('lead ')}x y`,
    `${prefix}${fill(' lead')}`,
    `${prefix}${fill('#')}x`,
    `${prefix}${fill('1')}x`,
    `${prefix}${fill('.')}`,
    `${prefix}${fill('a.')}`,
    `${prefix}${fill('here ')}`,
    `${prefix}${fill('\n')}x`,
    `${prefix}${fill('<at>')}`,
    `${prefix}<at>${fill('a')}`,
  ];
}

/** Milliseconds `run` takes over every input. */
function timeAll(inputs: readonly string[], run: (s: string) => unknown): number {
  const t0 = performance.now();
  for (const s of inputs) run(s);
  return performance.now() - t0;
}

describe('chat command patterns', () => {
  it.each(CHAT_COMMANDS.map((c) => [c.name, c] as const))('"%s" matches 100k characters of its worst shapes in linear time', (_name, command) => {
    const words = command.usage.split(' ');
    const prefixes = new Set(['', `${words[0]} `, `${words.slice(0, 2).join(' ')} `, `${words.slice(0, 3).join(' ')} `, command.usage]);
    const inputs = [...prefixes].flatMap(adversarial);
    const ms = timeAll(inputs, (s) => command.pattern.exec(s));
    expect(ms, `${command.name} took ${Math.round(ms)} ms over ${inputs.length} inputs`).toBeLessThan(BOUND_MS);
  });

  it('"map …" with 100,000 @ signs is no longer the 6-second pattern', () => {
    const map = CHAT_COMMANDS.find((c) => c.name === 'map')!;
    const ms = timeAll([`map ${'@'.repeat(N)}`, `map ${'@'.repeat(N)} to x y`], (s) => map.pattern.exec(s));
    expect(ms).toBeLessThan(BOUND_MS);
  });
});

describe('the rota command parser', () => {
  it('parses 100k characters of its worst shapes in linear time, and still reads what it read before', () => {
    const inputs = ['', 'rota set ', 'rota set today ', 'rota set 2026-12-01..'].flatMap(adversarial);
    inputs.push(' '.repeat(N), `rota set ${'lead '.repeat(N / 5)}`, `${'..'.repeat(N / 2)} lead a@b`, `rota set ${'1..'.repeat(N / 3)} lead a@b`);
    const ms = timeAll(inputs, (s) => parseRotaCommand(s, '2026-12-02'));
    expect(ms).toBeLessThan(BOUND_MS);

    expect(parseRotaCommand('rota set 2026-12-01..2026-12-05 lead Ann@Example.org', '2026-12-02')).toEqual({ ok: true, from: '2026-12-01', to: '2026-12-05', lead: 'ann@example.org' });
    expect(parseRotaCommand('rota  set   2026-12-01 .. 2026-12-03   lead a@b', '2026-12-02')).toEqual({ ok: true, from: '2026-12-01', to: '2026-12-03', lead: 'a@b' });
    expect(parseRotaCommand('ROTA SET next week LEAD a@b', '2026-12-02')).toEqual({ ok: true, from: '2026-12-07', to: '2026-12-11', lead: 'a@b' });
    expect(parseRotaCommand('today lead a@b', '2026-12-02')).toEqual({ ok: true, from: '2026-12-02', to: '2026-12-02', lead: 'a@b' });
    expect(parseRotaCommand('rota set today lead a@b extra', '2026-12-02')).toMatchObject({ ok: false, message: expect.stringContaining('could not read') });
    expect(parseRotaCommand('rota set someday lead a@b', '2026-12-02')).toMatchObject({ ok: false, message: expect.stringContaining('not a date or range') });
    expect(parseRotaCommand('rota set today lead nobody', '2026-12-02')).toMatchObject({ ok: false, message: expect.stringContaining('not an e-mail address') });
  });

  it('says how to write it without angle brackets (Teams shows them as &lt; &gt;)', () => {
    const r = parseRotaCommand('rota set whenever', '2026-12-02');
    expect(r.ok).toBe(false);
    const message = (r as { message: string }).message;
    expect(message).not.toMatch(/[<>]|&lt;|&gt;/);
    expect(message).toContain('rota set next week lead ann@example.org');
  });
});

describe('stripMentions', () => {
  it('strips 100k characters of mention markup in linear time', () => {
    const recipient = { id: '28:bot', name: 'Bot' };
    const inputs = adversarial('<at>Bot</at> ');
    const ms = timeAll(inputs, (text) => stripMentions({ text, recipient, entities: [{ type: 'mention', text: '<at>Bot</at>', mentioned: recipient }] }));
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('handles a thousand mention entities of the bot once each', () => {
    const recipient = { id: '28:bot', name: 'Bot' };
    const entities = Array.from({ length: 1000 }, (_, i) => ({ type: 'mention', text: i % 2 ? 'a' : `<at>Bot ${i % 7}</at>`, mentioned: recipient }));
    const text = 'a'.repeat(N);
    const ms = timeAll([text], (t) => stripMentions({ text: t, recipient, entities }));
    expect(ms).toBeLessThan(BOUND_MS);
    expect(stripMentions({ text: '<at>Bot</at> rota', recipient, entities: [{ type: 'mention', text: '<at>Bot</at>', mentioned: recipient }] })).toBe('rota');
  });
});

describe('the typeahead search', () => {
  let dir: string;
  let store: Store;
  let reference: ReferenceRepository;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lgd-search-'));
    store = await openEmbeddedStore({ dataDir: dir });
    reference = new ReferenceRepository(store);
    await reference.init();
    const now = new Date();
    const analysts: LgdAnalyst[] = Array.from({ length: 500 }, (_, i) => ({ key: `a${i}`, name: `a${'a'.repeat(150)}${i}`, title: 'a'.repeat(200), email: `${'a'.repeat(100)}@x` }));
    const groups: LgdGroup[] = Array.from({ length: 200 }, (_, i) => ({ key: `g${i}`, name: `g${i}`, title: `${'a'.repeat(200)}${i}` }));
    await reference.replaceAnalysts(analysts, now);
    await reference.replaceGroups(groups, now);
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a query over 200 characters at once and answers the worst 200-character query quickly', async () => {
    const t0 = performance.now();
    const long = await searchTargets({ queryText: `${'a'.repeat(N)}b`, dataset: 'lgd.targets' }, reference);
    expect(long.statusCode).toBe(400);
    for (const queryText of [`${'a'.repeat(199)}b`, '.*'.repeat(100), `(${'a+'.repeat(60)})+b`, '\\'.repeat(200)]) {
      const r = await searchTargets({ queryText, dataset: 'lgd.targets' }, reference);
      expect(r.statusCode).toBe(200);
    }
    expect(performance.now() - t0).toBeLessThan(2 * BOUND_MS);
  });
});

describe('an over-long chat message through /api/messages', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let connector: RecordingConnector;
  const ann = testUser(1, 'Ann Lead', 'ann.lead@lgd.example');

  beforeAll(async () => {
    connector = await startRecordingConnector({ roster: [{ id: ann.id, aadObjectId: ann.aadObjectId, name: ann.name, email: ann.email, userPrincipalName: ann.email }] });
    app = await startTestApp({ LEADS: ann.email }, { startWorker: false });
  });
  afterAll(async () => {
    await app?.close();
    await connector?.close();
  });

  it('is answered with the limit, and /healthz answers while it is processed', async () => {
    const text = `map ${'@'.repeat(N)}`;
    const before = connector.calls.length;
    const t0 = performance.now();
    const message = fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(personalMessage(connector.url, ann, text)) });
    // Give the message a head start so that it is being processed when the health check arrives.
    await new Promise((r) => setTimeout(r, 20));
    const health = await fetch(`${app.url}/healthz`);
    const healthMs = performance.now() - t0;
    expect(health.status).toBe(200);
    expect((await message).status).toBe(200);
    expect(healthMs).toBeLessThan(BOUND_MS);
    await connector.waitFor(before + 1);
    const reply = connector.sent().at(-1) as { text?: string };
    expect(reply.text).toContain(`${MAX_COMMAND_CHARS.toLocaleString('en-GB')} characters`);
    expect(reply.text).toContain('100,004 characters long');
  });

  it('"ticket abc" is told a number is needed', async () => {
    const before = connector.calls.length;
    await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(personalMessage(connector.url, ann, 'ticket abc')) });
    await connector.waitFor(before + 1);
    expect((connector.sent().at(-1) as { text?: string }).text).toBe('Say which ticket by its LGD number, for example "ticket 40123".');
  });

  it('a rota command it cannot read is answered with usage that renders in Teams', async () => {
    const before = connector.calls.length;
    await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(personalMessage(connector.url, ann, 'rota set sometime')) });
    await connector.waitFor(before + 1);
    const reply = (connector.sent().at(-1) as { text?: string }).text ?? '';
    expect(reply).toMatch(/rota/i);
    expect(reply).not.toMatch(/[<>]|&lt;|&gt;/);
  });
});
