import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { startDemoSimulator, type DemoSimulator } from './simulator/demo-simulator.js';

/**
 * The demo's LGD, as the config asks for it: the simulator replaying the UCI incident log at
 * `DEMO_REPLAY_SPEED`, kept in `DATA_DIR` so that a restart continues it instead of replaying
 * afresh. Says loudly that no real tickets are touched.
 */
export async function startDemoLgd(config: AppConfig, logger: Logger): Promise<DemoSimulator> {
  const demo = await startDemoSimulator({
    dataDir: config.dataDir,
    mapping: config.lgd.mapping,
    username: config.lgd.username,
    password: config.lgd.password,
    teamGroup: config.lgd.groups[0],
    speed: config.replay.speed,
    logger: logger.child({ component: 'lgd-simulator' }),
  });
  logger.warn(
    { lgd: demo.simulator.baseUrl, tickets: demo.simulator.state.incidents.size, speed: config.replay.speed },
    `DEMO: LGD is the built-in simulator replaying the UCI incident log (CC BY 4.0) at ${config.replay.speed}x; no real tickets are touched`,
  );
  return demo;
}
