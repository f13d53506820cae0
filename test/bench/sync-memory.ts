/**
 * The memory figure of the sync bench, measured in a fresh process so that what earlier benches
 * left on the heap does not move it: `node --expose-gc --import tsx test/bench/sync-memory.ts <own|same>`
 * syncs 25,000 generated tickets (LGD in its own process or in this one) and prints one JSON line.
 */
import { fileURLToPath } from 'node:url';
import { startProcess } from '../support/app-process.js';
import { fullSync, gcAndRelease, simulatorAt, type SyncRun } from './sync-run.js';

/** What one probe measured, in bytes and milliseconds. */
export interface MemoryProbe {
  tickets: number;
  ms: number;
  rssBefore: number;
  rssAfter: number;
  peakRss: number;
  /** RSS 8 s after the sync, after a gc(): once V8 has given back the sync's transient heap. */
  rssHeld: number;
  heapBefore: number;
  heapAfter: number;
  gc: boolean;
}

/** Runs the probe in a fresh Node process and returns what it measured. */
export async function probeSyncMemory(own: boolean): Promise<MemoryProbe> {
  const child = startProcess('test/bench/sync-memory.ts', {}, [own ? 'own' : 'same'], ['--expose-gc']);
  await child.exited;
  const line = /^\{"tickets".*\}$/m.exec(child.output());
  if (!line) throw new Error(`the memory probe printed no result (exit ${String(child.proc.exitCode)}): ${child.output().slice(-2000)}`);
  return JSON.parse(line[0]) as MemoryProbe;
}

async function main(): Promise<void> {
  const own = process.argv[2] === 'own';
  const sim = await simulatorAt(own, { kind: 'generated', n: 25_000 });
  try {
    await gcAndRelease();
    const before = process.memoryUsage();
    const r: SyncRun = await fullSync(sim.baseUrl, { settleMs: 1000, heldMs: 8000 });
    const probe: MemoryProbe = {
      tickets: r.tickets,
      ms: r.ms,
      rssBefore: before.rss,
      rssAfter: r.memory.rss,
      peakRss: r.peakRss,
      rssHeld: r.held?.rss ?? Number.NaN,
      heapBefore: before.heapUsed,
      heapAfter: r.memory.heapUsed,
      gc: typeof (globalThis as { gc?: unknown }).gc === 'function',
    };
    process.stdout.write(`${JSON.stringify(probe)}\n`);
  } finally {
    await sim.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
