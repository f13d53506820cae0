import { describe, expect, it } from 'vitest';
import { loadReplay } from '../../../bot/lgd/replay/load-replay.js';
import { SimState, stableGuid } from '../../../bot/lgd/simulator/sim-state.js';

describe('replay keys are stable across runs', () => {
  it('gives the same tickets, groups and analysts the same GUIDs in two runs started at different times', async () => {
    const first = new SimState();
    const second = new SimState();
    const a = await loadReplay({ now: new Date('2026-11-27T09:00:00Z'), limit: 60 });
    const b = await loadReplay({ now: new Date('2026-11-28T15:30:00Z'), limit: 60 });
    for (const e of a.history) first.applyReplayEvent(e);
    for (const e of b.history) second.applyReplayEvent(e);
    const keys = (s: SimState) => [...s.incidents.values()].map((i) => `${i.id}:${i.key}:${i.groupKey}:${i.userKey}`).sort();
    expect(keys(first).length).toBeGreaterThan(10);
    expect(keys(second)).toEqual(keys(first));
    expect([...second.notes.keys()].sort()).toEqual([...first.notes.keys()].sort());
  });

  it('makes well-formed, distinct GUIDs', () => {
    const g = stableGuid('incident:45');
    expect(g).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(stableGuid('incident:45')).toBe(g);
    expect(stableGuid('incident:46')).not.toBe(g);
  });
});
