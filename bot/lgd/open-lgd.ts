import type { AppConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';
import { LgdClient } from './client/lgd-client.js';
import type { LgdSimulator } from './simulator/lgd-simulator.js';
import { startDemoLgd } from './start-demo-lgd.js';

/** The LGD the app works with: a client, and in the demo the simulator behind it. */
export interface OpenLgd {
  client: LgdClient;
  /** Web Access base URL the client talks to. */
  baseUrl: string;
  /** The in-process simulator in demo mode; null with a real LGD. */
  simulator: LgdSimulator | null;
  /** The demo's Operations Lead (the replay's first team analyst), by e-mail; null outside the demo. */
  demoLead: string | null;
  /** The demo's team analysts by e-mail (its developers on support); empty outside the demo. */
  demoTeam: string[];
  /** Stops the demo's simulator (keeping its state); nothing to do with a real LGD. */
  close(): Promise<void>;
}

/** The LGD the config names (`LGD_URL`), or the demo's simulator when none is set. */
export async function openLgd(config: AppConfig, logger: Logger): Promise<OpenLgd> {
  const demo = config.demo ? await startDemoLgd(config, logger) : null;
  const baseUrl = demo?.simulator.baseUrl ?? config.lgd.url;
  if (!baseUrl) throw new ConfigError('LGD_URL: not set, and this is not the demo. Fix: set LGD_URL to the Web Access base URL.');
  const client = new LgdClient({
    baseUrl,
    username: config.lgd.username,
    password: config.lgd.password,
    mapping: config.lgd.mapping,
    timeoutMs: config.lgd.timeoutMs,
    logger: logger.child({ component: 'lgd' }),
    signOffTeam: config.teams.signOff,
  });
  return { client, baseUrl, simulator: demo?.simulator ?? null, demoLead: demo?.lead ?? null, demoTeam: demo?.team ?? [], close: async () => demo?.close() };
}
