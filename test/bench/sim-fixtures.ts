/** The LGD data the sync bench runs against, the same whether the simulator shares the bench's process or has its own. */
import { loadReplay } from '../../bot/lgd/replay/load-replay.js';
import { startLgdSimulator, type LgdSimulator } from '../../bot/lgd/simulator/lgd-simulator.js';

/** The team group every sync bench syncs. */
export const GROUP = 'LGSS-IT-Digital';

/** What the simulator holds: the shipped replay's slice, or `n` generated tickets (one in ten open). */
export type SimFixture = { kind: 'replay' } | { kind: 'generated'; n: number };

/** Starts a simulator on 127.0.0.1 holding the fixture. */
export async function startFixtureSimulator(fixture: SimFixture): Promise<LgdSimulator> {
  const sim = await startLgdSimulator();
  if (fixture.kind === 'replay') {
    sim.loadReplay(await loadReplay({ teamGroup: GROUP }), { speed: 0 });
    return sim;
  }
  const team = sim.state.addGroup(GROUP);
  const from = Date.now() - 400 * 86_400_000;
  for (let i = 0; i < fixture.n; i++) {
    sim.state.raiseIncident({
      title: `Ticket ${i + 1}: a printer that will not print`,
      description: 'Generated for the bench. '.repeat(4),
      status: i % 10 === 0 ? 'Active' : 'Resolved',
      groupKey: team.guid,
      raiseUser: 'Sam Jones',
      priority: '3 - Moderate',
      category: 'Software',
      at: new Date(from + i * 60_000),
    });
  }
  return sim;
}
