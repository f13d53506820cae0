import { describe, expect, it } from 'vitest';
import { factSet, text } from '../../../bot/teams/cards/card-elements.js';
import { helpCard } from '../../../bot/teams/cards/help-card.js';
import { listCard } from '../../../bot/teams/cards/list-card.js';
import { escapeMarkdown, link, Markdown, md, mention, messageText, TEXT_MAX } from '../../../bot/teams/cards/markdown.js';
import { messageCard } from '../../../bot/teams/cards/message-card.js';
import { SEED_GUIDELINES } from '../../../bot/domain/guidelines.js';
import { ownershipWarningNotice } from '../../../bot/teams/cards/ownership-warning.js';
import { projectFormCard } from '../../../bot/teams/cards/project-form-card.js';
import { reassignFormCard } from '../../../bot/teams/cards/reassign-form-card.js';
import { resolveFormCard } from '../../../bot/teams/cards/resolve-form-card.js';
import { ticketCard } from '../../../bot/teams/cards/ticket-card.js';
import type { TicketCardModel } from '../../../bot/teams/cards/card-model.js';
import { model, team, VIEWERS } from './card-fixtures.js';
import { HOSTILE, liveMarkup, renderedTexts, visible } from './inert-text.js';
import { checkCard } from './parse-card.js';

const HUGE = `[x](https://evil.example) ${'*a_<b>{{'.repeat(12_500)}`;

/** Every rendered string of the card is inert, and the card still parses. */
function expectInert(card: unknown): void {
  for (const s of renderedTexts(card)) expect(liveMarkup(s), JSON.stringify(s.slice(0, 200))).toEqual([]);
  expect(checkCard(card as object).problems).toEqual([]);
}

describe('escapeMarkdown', () => {
  it.each(HOSTILE)('leaves nothing live in %j and shows it as typed', (hostile) => {
    const escaped = escapeMarkdown(hostile);
    expect(liveMarkup(escaped)).toEqual([]);
    expect(visible(escaped)).toBe(hostile);
  });

  it('finds the live markup in the raw text (the check can fail)', () => {
    for (const hostile of HOSTILE) expect(liveMarkup(hostile)).not.toEqual([]);
  });

  it('bounds 100,000 characters of hostile text and keeps it inert', () => {
    expect(HUGE.length).toBeGreaterThan(100_000);
    const escaped = escapeMarkdown(HUGE);
    expect(liveMarkup(escaped)).toEqual([]);
    expect(Array.from(visible(escaped)).length).toBeLessThanOrEqual(TEXT_MAX);
    expect(visible(escaped).endsWith('…')).toBe(true);
  });

  it('leaves ordinary text alone', () => {
    expect(escapeMarkdown("Payroll export fails (LGD 4711): 3 days' work — ann@example.org")).toBe("Payroll export fails (LGD 4711): 3 days' work — ann@example.org");
  });
});

describe('md and its helpers', () => {
  it('keeps the template and escapes what is interpolated', () => {
    const m = md`**Owned** by ${'[x](https://evil.example)'} since ${3} days`;
    expect(m).toBeInstanceOf(Markdown);
    expect(m.source.startsWith('**Owned** by ')).toBe(true);
    expect(liveMarkup(m.source.slice('**Owned**'.length))).toEqual([]);
    expect(visible(m.source)).toBe('**Owned** by [x](https://evil.example) since 3 days');
  });

  it('keeps interpolated Markdown (links, mentions) and refuses to be called on a forged array', () => {
    const m = md`${mention('Ann Lead')}: ${link('go there', 'https://teams.microsoft.com/l/message/1')}`;
    expect(m.source).toBe('<at>Ann Lead</at>: [go there](https://teams.microsoft.com/l/message/1)');
    expect(() => md(['[a](', ')'] as unknown as TemplateStringsArray, 'https://evil.example')).toThrow(TypeError);
    expect(() => new Markdown(Symbol('forged'), '[a](https://evil.example)')).toThrow(TypeError);
  });

  it('links only https addresses, and escapes the title', () => {
    expect(link('[evil](https://evil.example)', 'https://ok.example/a').source).toMatch(/^\[.*\]\(https:\/\/ok\.example\/a\)$/);
    expect(liveMarkup(link('click', 'javascript:alert(1)').source)).toEqual([]);
    expect(liveMarkup(link('click', 'https://evil.example/a) [b](https://x').source.replace(/^\[click\]/, ''))).not.toContain('markdown link');
    expect(link('click', 'https://evil.example/a) [b](https://x').source).toBe('click');
  });

  it('makes a mention whose name cannot close the tag or open another', () => {
    const m = mention('Eve</at><at>Ann Lead');
    expect(m.source.startsWith('<at>')).toBe(true);
    expect(m.source.endsWith('</at>')).toBe(true);
    expect(liveMarkup(m.source.slice(4, -5))).toEqual([]);
  });

  it('turns message text into a string: escaped unless Markdown', () => {
    expect(liveMarkup(messageText('[click me](https://evil.example)'))).toEqual([]);
    expect(messageText(md`**hi**`)).toBe('**hi**');
  });
});

describe('every card builder shows hostile text as text', () => {
  it.each([...HOSTILE, HUGE])('text, factSet, messageCard, listCard and helpCard with %#', (h) => {
    expectInert({ type: 'AdaptiveCard', version: '1.5', body: [text(h), factSet([{ title: h, value: h }])] });
    expectInert(messageCard({ title: h, text: h, facts: [{ title: h, value: h }], actions: [{ title: 'Open', url: 'https://lgd.example.org/1' }] }));
    expectInert(listCard({ title: h, subtitle: h, rows: [{ title: h, subtitle: h, facts: [{ title: h, value: h }] }], empty: h, footer: h }));
    expectInert(listCard({ title: 'Empty', rows: [], empty: h }));
    expectInert(helpCard([{ command: h, description: h }], h));
  });

  it.each([...HOSTILE, HUGE])('ticketCard and the forms with %#', (h) => {
    const hostile: Partial<TicketCardModel> = {
      title: h,
      description: h,
      raisedBy: h,
      priority: h,
      category: h,
      status: h,
      group: h,
      owner: h,
      refusal: h,
      decision: { kind: 'approved', by: h, at: new Date('2026-11-26T09:00:00Z'), source: 'lgd' },
    };
    for (const state of ['needs_triage', 'owned', 'reassigned'] as const) {
      for (const viewer of Object.values(VIEWERS)) {
        expectInert(ticketCard(model({ ...hostile, state }), viewer, team({ triagerToday: h }), { kind: 'warning', text: h }));
      }
    }
    expectInert(ticketCard(model(hostile), VIEWERS.owner, team(), ownershipWarningNotice(4, h, SEED_GUIDELINES)));
    expectInert(projectFormCard(model(hostile), team(), { areas: [{ area: h }], defaultMessage: h, prefill: { error: h } }));
    expectInert(reassignFormCard(model(hostile), team(), { reason: h, error: h }));
    expectInert(resolveFormCard(model(hostile), team(), { categories: [{ key: 'k', title: h }], prefill: { error: h } }));
  });

  it('still shows the app\'s own markdown where it means it', () => {
    const card = messageCard({ title: 'Discuss', text: md`See ${link('the thread', 'https://teams.microsoft.com/l/message/1')}.` });
    expect(renderedTexts(card)).toContain('See [the thread](https://teams.microsoft.com/l/message/1).');
  });
});
