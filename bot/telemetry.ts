import type { Logger } from './logger.js';

/** Whether the app reports to Application Insights, and how to flush and stop that on shutdown. */
export interface Telemetry {
  readonly enabled: boolean;
  /** Flushes what is buffered and stops; never throws (a failed flush is logged). */
  shutdown(): Promise<void>;
}

type AzureMonitor = Pick<typeof import('@azure/monitor-opentelemetry'), 'useAzureMonitor' | 'shutdownAzureMonitor'>;

/** Loaded only when a connection string is set: the SDK is large and the demo has no use for it. */
const loadAzureMonitor = (): Promise<AzureMonitor> => import('@azure/monitor-opentelemetry');

const OFF: Telemetry = { enabled: false, shutdown: () => Promise.resolve() };

/**
 * Starts the Azure Monitor OpenTelemetry distro (requests, outgoing HTTP such as LGD calls, MongoDB,
 * exceptions, standard metrics) when an Application Insights connection string is given; does
 * nothing without one. Telemetry never stops the app: a distro that fails to start is logged and
 * the app runs without it. Call it before the app's modules are imported, so that the HTTP and
 * MongoDB instrumentations see them load.
 */
export async function startTelemetry(
  connectionString: string | undefined,
  logger: Logger,
  load: () => Promise<AzureMonitor> = loadAzureMonitor,
): Promise<Telemetry> {
  const log = logger.child({ component: 'telemetry' });
  if (!connectionString || connectionString.trim() === '') {
    log.debug('Application Insights off: APPLICATIONINSIGHTS_CONNECTION_STRING is not set');
    return OFF;
  }
  let sdk: AzureMonitor;
  try {
    sdk = await load();
    sdk.useAzureMonitor({
      azureMonitorExporterOptions: { connectionString },
      instrumentationOptions: {
        http: { enabled: true },
        mongoDb: { enabled: true },
        azureSdk: { enabled: false },
        mySql: { enabled: false },
        postgreSql: { enabled: false },
        redis: { enabled: false },
        redis4: { enabled: false },
        bunyan: { enabled: false },
        winston: { enabled: false },
      },
    });
  } catch (err) {
    // The message never holds the connection string; the app goes on without telemetry.
    log.warn({ err: (err as Error).message }, 'Application Insights did not start; running without it. Fix: check APPLICATIONINSIGHTS_CONNECTION_STRING');
    return OFF;
  }
  log.info('Application Insights on');
  return {
    enabled: true,
    shutdown: async () => {
      try {
        await sdk.shutdownAzureMonitor();
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'Application Insights could not flush its last telemetry');
      }
    },
  };
}
