/**
 * `npm run bench`: runs every `test/bench/*.bench.ts` (or those named on the command line) and
 * prints each result as a ratio against a baseline measured in the same process and run.
 * A bench module's default export receives a BenchContext.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

export interface Timing {
  /** Per-operation times in milliseconds, sorted ascending. */
  samples: number[];
  median: number;
  p99: number;
  total: number;
}

export interface BenchContext {
  /** Times `fn` `iterations` times (after `warmup` untimed calls) and returns the distribution. */
  measure(fn: () => unknown, opts?: { iterations?: number; warmup?: number }): Promise<Timing>;
  /** Prints one line: subject vs baseline as a ratio of the given statistic. */
  compare(name: string, subject: Timing, baseline: Timing, stat?: 'median' | 'p99' | 'total'): void;
  /** Prints a free-form measurement (e.g. memory). */
  note(name: string, value: string): void;
}

function summarise(samples: number[]): Timing {
  samples.sort((a, b) => a - b);
  const at = (q: number): number => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
  return { samples, median: at(0.5), p99: at(0.99), total: samples.reduce((s, x) => s + x, 0) };
}

export const fmtMs = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(4)) + ' ms';

export const benchContext: BenchContext = {
  async measure(fn, opts = {}) {
    const iterations = opts.iterations ?? 1;
    for (let i = 0; i < (opts.warmup ?? 0); i++) await fn();
    const samples: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const t0 = performance.now();
      await fn();
      samples.push(performance.now() - t0);
    }
    return summarise(samples);
  },
  compare(name, subject, baseline, stat = 'median') {
    const ratio = baseline[stat] > 0 ? subject[stat] / baseline[stat] : Number.NaN;
    console.log(
      `${name.padEnd(58)} ${stat.padEnd(6)} ${fmtMs(subject[stat]).padStart(12)} vs baseline ${fmtMs(baseline[stat]).padStart(12)}  ratio ${ratio.toFixed(2)}x`,
    );
  },
  note(name, value) {
    console.log(`${name.padEnd(58)} ${value}`);
  },
};

export { summarise };

async function main(): Promise<void> {
  const dir = dirname(fileURLToPath(import.meta.url));
  const wanted = process.argv.slice(2);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
    .sort();
  for (const f of files) {
    console.log(`\n== ${f}`);
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as { default: (ctx: BenchContext) => Promise<void> };
    await mod.default(benchContext);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
