// First, before restify is loaded: drops the one deprecation warning its http-deceiver causes.
import './silence-http-parser-warning.js';
import { envWithDotenv, loadConfig, redactConfig } from './config.js';
import { createLogger } from './logger.js';
import { startTelemetry } from './telemetry.js';
import { AppError, DataDirInUse, PortInUse } from './errors.js';

/** Entry point: config → logger → telemetry → app; stops cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfig(envWithDotenv());
  const logger = createLogger({ level: config.logLevel, pretty: !config.production });
  logger.info({ config: redactConfig(config) }, config.demo ? 'starting in DEMO mode (no LGD_URL): LGD simulator, no real tickets' : 'starting');
  // Before the app's modules load, so that the HTTP and MongoDB instrumentations see them load.
  const telemetry = await startTelemetry(config.appInsightsConnectionString, logger);
  const { startApp } = await import('./app.js');
  let app: Awaited<ReturnType<typeof startApp>>;
  try {
    app = await startApp(config, logger);
  } catch (err) {
    await telemetry.shutdown();
    throw err;
  }
  const stop = async (signal: string): Promise<void> => {
    logger.info({ signal }, 'stopping');
    await app.close();
    await telemetry.shutdown();
    logger.flush();
    process.exit(0);
  };
  process.once('SIGINT', (s) => void stop(s));
  process.once('SIGTERM', (s) => void stop(s));
}

main().catch((err: unknown) => {
  // What a person can fix (a setting, something else in the way) is said in their words, without a stack trace.
  if (err instanceof DataDirInUse) {
    console.error(err.advice);
  } else if (err instanceof PortInUse) {
    console.error(err.userMessage);
  } else if (err instanceof AppError && err.code === 'CONFIG_INVALID') {
    console.error(err.message);
  } else {
    console.error('Start-up failed:', err);
  }
  process.exit(1);
});
