import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { startApp, type RunningApp, type StartOptions } from '../../bot/app.js';
import { loadConfig, type Env } from '../../bot/config.js';

/** How a test starts the app: the app's own start options plus the logger it logs to (default silent). */
export interface TestAppOptions extends StartOptions {
  logger?: Logger;
}

/** A whole app on a free port with its own data folder, removed on close. */
export async function startTestApp(env: Env = {}, opts: TestAppOptions = {}): Promise<RunningApp & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lgd-app-'));
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });
  const { logger = pino({ level: 'silent' }), ...startOptions } = opts;
  const app = await startApp(config, logger, startOptions);
  return {
    ...app,
    dataDir,
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
