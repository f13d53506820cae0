/**
 * The LGD simulator in a process of its own, as LGD is in production (a remote server): the sync
 * bench's figures are then what the app's own process spends. `startSimulatorProcess` runs this
 * file; it prints `{ "baseUrl": ... }` once listening and exits when its parent goes.
 */
import { fileURLToPath } from 'node:url';
import { startProcess, type AppProcess } from '../support/app-process.js';
import { startFixtureSimulator, type SimFixture } from './sim-fixtures.js';

/** A simulator process started by a bench. */
export interface SimulatorProcess {
  baseUrl: string;
  close(): Promise<void>;
}

/** Starts the simulator with `fixture` in a child process and waits until it listens. */
export async function startSimulatorProcess(fixture: SimFixture): Promise<SimulatorProcess> {
  const child: AppProcess = startProcess('test/bench/sim-process.ts', {}, [JSON.stringify(fixture)]);
  const baseUrl = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the simulator process did not start in 60 s: ${child.output()}`)), 60_000);
    const look = (): void => {
      const line = /^\{"baseUrl":"[^"]+"\}$/m.exec(child.output());
      if (line) {
        clearTimeout(timer);
        ok((JSON.parse(line[0]) as { baseUrl: string }).baseUrl);
      }
    };
    child.proc.stdout?.on('data', look);
    void child.exited.then(() => {
      clearTimeout(timer);
      fail(new Error(`the simulator process ended before listening: ${child.output()}`));
    });
  });
  return { baseUrl, close: () => child.kill9() };
}

async function main(): Promise<void> {
  const fixture = JSON.parse(process.argv[2] ?? '') as SimFixture;
  const sim = await startFixtureSimulator(fixture);
  process.stdout.write(`${JSON.stringify({ baseUrl: sim.baseUrl })}\n`);
  // Stops by itself when the bench that started it is gone (killed or crashed).
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(0);
  }, 500).unref();
  await new Promise<never>(() => undefined);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
