import { describe, expect, it } from 'vitest';
import { measureBundle } from '../../tab/measure-bundle.js';
import { ensureTabBuilt } from './built-tab.js';

/** The budget: everything loaded before the first view renders, React included. */
const BUDGET_GZIP = 200 * 1024;

describe('the tab bundle', () => {
  it('loads at most 200 KB gzipped before the first view, with the chart library only in a chunk loaded on demand', { timeout: 180_000 }, async () => {
    const dist = await ensureTabBuilt();
    const r = measureBundle(dist);
    console.log(`tab initial JS ${(r.initial.gzipBytes / 1024).toFixed(1)} KB gzip; first view ${(r.firstView.gzipBytes / 1024).toFixed(1)} KB gzip`);
    expect(r.initial.files.some((f) => f.startsWith('assets/index-'))).toBe(true);
    expect(r.firstView.files.length).toBeGreaterThan(r.initial.files.length);
    expect(r.firstView.gzipBytes).toBeLessThanOrEqual(BUDGET_GZIP);
    expect(r.chartModulesInFirstView).toEqual([]);
    // The chart library is in the build (else the check above proves nothing), in chunks outside the first view.
    expect(r.chartChunks.length).toBeGreaterThan(0);
    for (const c of r.chartChunks) expect(r.firstView.files).not.toContain(c);
  });
});
