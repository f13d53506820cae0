import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startApp, type RunningApp } from '../../bot/app.js';
import { loadConfig, type Env } from '../../bot/config.js';

/** A whole app on a free port with its own data folder, removed on close. */
export async function startTestApp(env: Env = {}): Promise<RunningApp & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lgd-app-'));
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });
  const app = await startApp(config, pino({ level: 'silent' }));
  return {
    ...app,
    dataDir,
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
