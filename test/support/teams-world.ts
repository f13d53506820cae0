/**
 * The world the Teams tests run in: an LGD simulator with the team's group and analysts, a
 * recording connector whose roster holds the Teams users, and the app pointed at both (worker not
 * started: tests tick it). Tickets are each test's own.
 */
import type { LgdSimulator, LgdSimulatorOptions } from '../../bot/lgd/simulator/lgd-simulator.js';
import { startLgdSimulator } from '../../bot/lgd/simulator/lgd-simulator.js';
import type { SimGroup } from '../../bot/lgd/simulator/sim-state.js';
import { startLgdGate, type LgdGate } from './lgd-gate.js';
import { startRecordingConnector, type RecordingConnector } from './recording-connector.js';
import { installInTeam, postActivity, type TestUser } from './teams-activities.js';
import { startTestApp } from './test-app.js';
import type { Store } from '../../bot/store/doc-collection.js';
import type { Logger } from 'pino';

export interface TeamsWorld {
  sim: LgdSimulator;
  connector: RecordingConnector;
  app: Awaited<ReturnType<typeof startTestApp>>;
  /** The LGSS-IT-Digital group in the simulator. */
  team: SimGroup;
  /** With `gate: true`, the proxy the app reaches the simulator through (to hold writes, fail reads). */
  gate: LgdGate | null;
  /** Syncs LGD now (reference data and tickets). */
  sync(): Promise<void>;
  /** Adds the bot to the team as `by` and lets it post its cards. */
  install(by: TestUser): Promise<void>;
  close(): Promise<void>;
}

/** Starts the world; `analysts` are the users LGD knows (by e-mail), `users` the Teams roster. */
export async function startTeamsWorld(opts: {
  users: readonly TestUser[];
  analysts: readonly TestUser[];
  leads?: readonly string[];
  env?: Record<string, string>;
  seed?: (sim: LgdSimulator, team: SimGroup) => void;
  /** Put an LgdGate between the app and the simulator. */
  gate?: boolean;
  /** An open store for the app (e.g. one that counts what it is asked); closed with the app. */
  store?: Store;
  /** The app's clock (a test that plays days through). */
  clock?: () => Date;
  /** Options of the LGD simulator (e.g. its clock, the same as the app's). */
  sim?: LgdSimulatorOptions;
  /** Where the app logs (default silent). */
  logger?: Logger;
}): Promise<TeamsWorld> {
  const sim = await startLgdSimulator(opts.sim);
  const team = sim.state.addGroup('LGSS-IT-Digital');
  for (const u of opts.analysts) sim.state.addAnalyst({ name: u.email.split('@')[0]!, title: u.name, email: u.email });
  opts.seed?.(sim, team);
  const gate = opts.gate ? await startLgdGate(sim.baseUrl) : null;
  const connector = await startRecordingConnector({
    roster: opts.users.map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name, email: u.email, userPrincipalName: u.email })),
  });
  const app = await startTestApp(
    {
      LGD_URL: gate?.baseUrl ?? sim.baseUrl,
      LGD_USERNAME: 'lgd.service',
      LGD_PASSWORD: 'lgd-simulator',
      LEADS: (opts.leads ?? []).join(','),
      LGD_POLL_SECONDS: '3600',
      ...opts.env,
    },
    { startWorker: false, ...(opts.store ? { store: opts.store } : {}), ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.logger ? { logger: opts.logger } : {}) },
  );
  const world: TeamsWorld = {
    sim,
    connector,
    app,
    team,
    gate,
    sync: () => app.worker.tick({ forceSync: true }),
    async install(by) {
      await postActivity(app.url, installInTeam(connector.url, by));
      await app.teams.processor.processNew();
    },
    async close() {
      await app.close();
      await connector.close();
      await gate?.close();
      await sim.close();
    },
  };
  await world.sync();
  return world;
}

/** Waits for something the bot does in the background (its sends are paced to Teams' limits). */
export async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
