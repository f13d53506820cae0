import { describe, expect, it } from 'vitest';
import { onBehalfOf } from '../../bot/domain/ticket.js';

describe('onBehalfOf: the person an app-written note acted for', () => {
  it('reads the name between the dash and "via Teams"', () => {
    expect(onBehalfOf('Approved — Jane Smith via Teams')).toBe('Jane Smith');
    expect(onBehalfOf('Approved — Jane Smith via Teams (ref 1a2b3c4d)')).toBe('Jane Smith');
    expect(onBehalfOf('Project — Ann Lead via Teams\n\nNeeds a business case.')).toBe('Ann Lead');
    expect(onBehalfOf('Taking ownership — Dev One via Teams.')).toBe('Dev One');
    expect(onBehalfOf('Project — see below — Ann Lead via Teams')).toBe('Ann Lead');
  });

  it('finds nothing where there is no name, no dash on the line, or "via Teamster"', () => {
    expect(onBehalfOf('Approved')).toBeNull();
    expect(onBehalfOf('Approved —  via Teams')).toBeNull();
    expect(onBehalfOf('Approved — Jane\nvia Teams')).toBeNull();
    expect(onBehalfOf('Approved — Jane via Teamster')).toBeNull();
    expect(onBehalfOf('via Teams')).toBeNull();
    expect(onBehalfOf(`Approved — ${'x'.repeat(500)} via Teams`)).toBeNull();
  });

  it('stays linear on text built to make a backtracking pattern crawl', () => {
    const inputs = [
      '— '.repeat(20_000),
      `${'—'.repeat(20_000)}${' via Teamsy'.repeat(2_000)}`,
      ' via Teams'.repeat(4_000),
      `— a${' '.repeat(2_000)}via Teamsx`,
    ];
    const t0 = performance.now();
    for (const s of inputs) expect(onBehalfOf(s)).toBeNull();
    // The backtracking /—\s*(.+?)\s+via Teams\b/ it replaces took seconds on each of the first two
    // (and far longer on a long run of spaces, which is why none is longer here).
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
