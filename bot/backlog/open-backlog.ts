import type { BacklogConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { AzureDevOpsBacklog } from './azure-devops-backlog.js';
import type { BacklogPort } from './backlog-port.js';
import type { BuiltinBacklog } from './builtin-backlog.js';

/** The configured backlog: Azure DevOps Boards when configured, the built-in backlog otherwise. */
export function openBacklog(config: BacklogConfig, builtin: BuiltinBacklog, logger: Logger, fetchFn?: typeof fetch): BacklogPort {
  const ado = config.azureDevOps;
  if (config.kind === 'azure-devops' && ado) {
    logger.info({ organizationUrl: ado.organizationUrl, project: ado.project, workItemType: ado.workItemType }, 'backlog: Azure DevOps Boards');
    return new AzureDevOpsBacklog({
      organizationUrl: ado.organizationUrl,
      project: ado.project,
      workItemType: ado.workItemType,
      token: ado.token,
      areaPath: ado.areaPath ?? undefined,
      fetch: fetchFn,
      logger,
    });
  }
  logger.info('backlog: built-in');
  return builtin;
}
