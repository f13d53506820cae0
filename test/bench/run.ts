/**
 * `npm run bench`: runs every `test/bench/*.bench.ts` (or those named on the command line) and
 * prints each result as a ratio against a baseline measured in the same process and run.
 * A bench module's default export receives a BenchContext, which also records every figure; a
 * full run writes them with the machine to test/bench/results.md and results.json, and fails
 * (exit 1, naming it) when a figure the issue asks for could not be measured.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { checkRequired, describeMachine, writeReport, type BenchEntry } from './report.js';
import { REQUIRED_FIGURES } from './required-figures.js';

export interface Timing {
  /** Per-operation times in milliseconds, sorted ascending. */
  samples: number[];
  median: number;
  p99: number;
  total: number;
}

/**
 * What a measured function returns when it timed itself: the part of its work that is the figure
 * (a sync without opening and removing the fresh store it syncs into, say).
 */
export interface SelfTimed {
  selfTimedMs: number;
}

const isSelfTimed = (r: unknown): r is SelfTimed => typeof r === 'object' && r !== null && typeof (r as Partial<SelfTimed>).selfTimedMs === 'number';

export interface BenchContext {
  /**
   * Times `fn` `iterations` times (after `warmup` untimed calls) and returns the distribution; a
   * call that resolves to a SelfTimed counts the time it gives instead of its whole call.
   */
  measure(fn: () => unknown, opts?: { iterations?: number; warmup?: number }): Promise<Timing>;
  /** Prints and records one line: subject vs baseline as a ratio of the given statistic. */
  compare(name: string, subject: Timing, baseline: Timing, stat?: 'median' | 'p99' | 'total'): void;
  /** Prints and records a free-form measurement (e.g. memory), with its numbers by name for the report. */
  note(name: string, value: string, values?: Record<string, number>): void;
}

function summarise(samples: number[]): Timing {
  samples.sort((a, b) => a - b);
  const at = (q: number): number => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
  return { samples, median: at(0.5), p99: at(0.99), total: samples.reduce((s, x) => s + x, 0) };
}

export const fmtMs = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(4)) + ' ms';

/** A context that prints every result and records it (under the bench file being run) in `entries`. */
export function recordingContext(entries: BenchEntry[], bench: () => string): BenchContext {
  return {
    async measure(fn, opts = {}) {
      const iterations = opts.iterations ?? 1;
      for (let i = 0; i < (opts.warmup ?? 0); i++) await fn();
      const samples: number[] = [];
      for (let i = 0; i < iterations; i++) {
        const t0 = performance.now();
        const r = await fn();
        const t = performance.now() - t0;
        samples.push(isSelfTimed(r) ? r.selfTimedMs : t);
      }
      return summarise(samples);
    },
    compare(name, subject, baseline, stat = 'median') {
      const ratio = baseline[stat] > 0 ? subject[stat] / baseline[stat] : Number.NaN;
      console.log(
        `${name.padEnd(58)} ${stat.padEnd(6)} ${fmtMs(subject[stat]).padStart(12)} vs baseline ${fmtMs(baseline[stat]).padStart(12)}  ratio ${ratio.toFixed(2)}x`,
      );
      entries.push({ bench: bench(), kind: 'compare', name, stat, subjectMs: subject[stat], baselineMs: baseline[stat], ratio, samples: [subject.samples.length, baseline.samples.length] });
    },
    note(name, value, values) {
      console.log(`${name.padEnd(58)} ${value}`);
      entries.push({ bench: bench(), kind: 'note', name, text: value, ...(values ? { values } : {}) });
    },
  };
}

/** A context that prints and keeps what it records for nobody (a bench run on its own). */
export const benchContext: BenchContext = recordingContext([], () => '');

export { summarise };

/**
 * Measures subject and baseline in alternating blocks (of one call each by default), so that drift
 * over the run (the machine's load, page cache, WAL checkpoints, a server warming up) falls on both
 * sides alike. `warmup` untimed calls of each go first.
 */
export async function alternate(
  ctx: BenchContext,
  iterations: number,
  subject: () => unknown,
  baseline: () => unknown,
  opts: { blocks?: number; warmup?: number } = {},
): Promise<{ subject: Timing; baseline: Timing }> {
  for (let i = 0; i < (opts.warmup ?? 0); i++) {
    await baseline();
    await subject();
  }
  const s: number[] = [];
  const b: number[] = [];
  const per = Math.ceil(iterations / (opts.blocks ?? iterations));
  for (let done = 0; done < iterations; done += per) {
    const n = Math.min(per, iterations - done);
    b.push(...(await ctx.measure(baseline, { iterations: n })).samples);
    s.push(...(await ctx.measure(subject, { iterations: n })).samples);
  }
  return { subject: summarise(s), baseline: summarise(b) };
}

async function main(): Promise<void> {
  const dir = dirname(fileURLToPath(import.meta.url));
  const wanted = process.argv.slice(2);
  const all = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
  const files = all.filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)));
  if (files.length === 0) throw new Error(`no bench file matches ${wanted.join(', ')} (there are ${all.join(', ')})`);
  const full = files.length === all.length;
  const machineBefore = describeMachine();
  const started = performance.now();
  const entries: BenchEntry[] = [];
  const failures: { bench: string; error: string }[] = [];
  let current = '';
  const ctx = recordingContext(entries, () => current);
  for (const f of files) {
    current = f;
    console.log(`\n== ${f}`);
    try {
      const mod = (await import(pathToFileURL(join(dir, f)).href)) as { default: (ctx: BenchContext) => Promise<void> };
      await mod.default(ctx);
    } catch (err) {
      // One bench failing must not hide the others' figures; the run still fails at the end.
      console.error(`${f} FAILED:`, err);
      failures.push({ bench: f, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  }
  const required = REQUIRED_FIGURES.filter((r) => files.includes(r.bench));
  const check = checkRequired(required, entries, failures);
  const wallSeconds = (performance.now() - started) / 1000;
  if (full) {
    const out = writeReport({ dir, machineBefore, machineAfter: describeMachine(), wallSeconds, entries, failures, check });
    console.log(`\nreport written: ${out.md}, ${out.json}`);
  } else {
    console.log(`\n(only ${files.join(', ')} ran: the report (results.md, results.json) is written by a run of every bench)`);
  }
  const missing = check.filter((c) => !c.found);
  if (failures.length > 0 || missing.length > 0) {
    console.error('\nBENCH FAILED');
    for (const f of failures) console.error(`  ${f.bench} threw: ${f.error.split('\n')[0]}`);
    for (const m of missing) console.error(`  not measured: ${m.figure.id} (${m.figure.title}): ${m.why}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    // A bench that failed half-way may leave a server open: the run ends here either way.
    () => process.exit(process.exitCode ?? 0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
