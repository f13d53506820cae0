import type { BacklogConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { Repositories } from '../store/open-repositories.js';
import { BacklogQueue } from './backlog-outbox.js';
import { backlogNotices } from './backlog-notices.js';
import { BuiltinBacklog } from './builtin-backlog.js';
import { openBacklog } from './open-backlog.js';

/** The backlog side of Project decisions: the built-in backlog (also read by /api/backlog) and the queue that makes items. */
export interface Backlog {
  builtin: BuiltinBacklog;
  queue: BacklogQueue;
}

/**
 * Builds the backlog: seeds the areas from `AREAS` while the store has none, opens the configured
 * backlog (Azure DevOps Boards or the built-in one), and queues items so a Project decision stands
 * while the backlog is down; who is told when an item is made (or is not) goes to the notice queue.
 */
export async function buildBacklog(o: {
  config: BacklogConfig;
  repos: Pick<Repositories, 'areas' | 'people' | 'notices' | 'backlogRequests' | 'backlogItems'>;
  logger: Logger;
  clock?: () => Date;
}): Promise<Backlog> {
  const { repos } = o;
  const log = o.logger.child({ component: 'backlog' });
  const seededAreas = await repos.areas.seed(o.config.areas);
  if (seededAreas > 0) o.logger.info({ areas: seededAreas }, 'areas seeded from AREAS');
  const builtin = new BuiltinBacklog(repos.backlogItems, o.clock);
  const told = backlogNotices({ areas: repos.areas, people: repos.people, notices: repos.notices, logger: o.logger });
  const queue = new BacklogQueue(repos.backlogRequests, {
    port: openBacklog(o.config, builtin, log),
    logger: log,
    onCreated: told.onCreated,
    onFirstFailure: told.onFirstFailure,
    clock: o.clock,
  });
  return { builtin, queue };
}
