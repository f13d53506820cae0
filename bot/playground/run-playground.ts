import { DEFAULT_PLAYGROUND_PORT, startPlayground } from './start-playground.js';

/** A port from the environment, or the default; exits with the fix when it is not a port. */
function portFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`${name} must be a port number between 1 and 65535 (got "${raw}"). Fix: set ${name} to a free port or unset it.`);
    process.exit(1);
  }
  return port;
}

/** Entry point of `npm run playground`: the demo app and the Agents Playground, both on 127.0.0.1. */
async function main(): Promise<void> {
  const env = process.env;
  const appPort = portFrom(env, 'PORT', 3978);
  const playgroundPort = portFrom(env, 'PLAYGROUND_PORT', DEFAULT_PLAYGROUND_PORT);
  const dataDir = env.DATA_DIR?.trim() || undefined;
  console.log(`Starting the app in demo mode on http://127.0.0.1:${appPort} (DATA_DIR ${dataDir ?? 'a temporary folder'}) ...`);
  const running = await startPlayground({
    appPort,
    playgroundPort,
    dataDir,
    env,
    onOutput: (_source, text) => process.stdout.write(text),
  });
  console.log(`\nMicrosoft 365 Agents Playground: ${running.playgroundUrl}  (you are Resolver 31, the Operations Lead)`);
  console.log(`Playground log: ${running.playgroundLogFile}. Stop with Ctrl+C.\n`);
  const stop = (signal: string): void => {
    console.log(`${signal}: stopping the Playground and the app ...`);
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('Stopping failed:', err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error('The Playground could not start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
