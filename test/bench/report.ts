/**
 * The benchmark report: the machine a run measured on, every figure the benches recorded, and the
 * figures the issue requires (test/bench/required-figures.ts) found among them, as
 * test/bench/results.json and test/bench/results.md.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, release, totalmem, type as osType, arch } from 'node:os';
import { join } from 'node:path';
import type { RequiredFigure } from './required-figures.js';

/** One recorded result: a comparison against its same-run baseline, or a note with its numbers. */
export type BenchEntry =
  | { bench: string; kind: 'compare'; name: string; stat: 'median' | 'p99' | 'total'; subjectMs: number; baselineMs: number; ratio: number; samples: [number, number] }
  | { bench: string; kind: 'note'; name: string; text: string; values?: Record<string, number> };

/** The machine and the moment, as far as a process can tell; whether it was idle it cannot: the load average says how busy it was. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGB: number;
  freeMemoryGB: number;
  os: string;
  node: string;
  commit: string;
  date: string;
  loadAverage: [number, number, number];
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** Describes this machine now. */
export function describeMachine(): Machine {
  const c = cpus();
  const head = git(['rev-parse', '--short=12', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--untracked-files=no']);
  const round = (n: number): number => Math.round(n * 100) / 100;
  return {
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memoryGB: round(totalmem() / 2 ** 30),
    freeMemoryGB: round(freemem() / 2 ** 30),
    os: `${osType()} ${release()} ${arch()}`,
    node: process.version,
    commit: head ? `${head}${dirty ? ' (with uncommitted changes)' : ''}` : 'unknown (not a git checkout)',
    date: new Date().toISOString(),
    loadAverage: loadavg().map(round) as [number, number, number],
  };
}

/** A required figure and what the run found for it. */
export interface FigureCheck {
  figure: RequiredFigure;
  found: BenchEntry | null;
  /** Why it was not found (when `found` is null). */
  why: string;
}

/** Finds each required figure among the entries; one missing, or without its number, is reported with the reason. */
export function checkRequired(required: readonly RequiredFigure[], entries: readonly BenchEntry[], failures: readonly { bench: string; error: string }[]): FigureCheck[] {
  return required.map((figure) => {
    const candidates = entries.filter((e) => e.bench === figure.bench && figure.name.test(e.name));
    const failed = failures.find((f) => f.bench === figure.bench);
    const missing = (why: string): FigureCheck => ({ figure, found: null, why: failed ? `${why}; ${figure.bench} threw: ${failed.error.split('\n')[0]}` : why });
    if (candidates.length === 0) return missing(`${figure.bench} recorded nothing named ${figure.name}`);
    if (figure.stat) {
      const e = candidates.find((c) => c.kind === 'compare' && c.stat === figure.stat);
      if (!e || e.kind !== 'compare') return missing(`no ${figure.stat} comparison recorded`);
      if (!Number.isFinite(e.ratio) || !(e.baselineMs > 0)) return missing(`the ratio is not a number (baseline ${e.baselineMs} ms)`);
      return { figure, found: e, why: '' };
    }
    const e = candidates.find((c) => c.kind === 'note' && figure.value !== undefined && Number.isFinite(c.values?.[figure.value]));
    if (!e) {
      const text = candidates.map((c) => (c.kind === 'note' ? c.text : c.name)).join('; ');
      return missing(`no number ${figure.value} recorded (${text})`);
    }
    return { figure, found: e, why: '' };
  });
}

const ms = (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toFixed(3)) + ' ms';
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** What one entry says, for a table cell. */
function valueOf(e: BenchEntry): { value: string; baseline: string; ratio: string } {
  if (e.kind === 'compare') return { value: `${e.stat} ${ms(e.subjectMs)}`, baseline: ms(e.baselineMs), ratio: `${e.ratio.toFixed(2)}x` };
  return { value: e.text, baseline: '', ratio: '' };
}

/** Writes results.json and results.md into `dir`; returns their paths. */
export function writeReport(r: {
  dir: string;
  machineBefore: Machine;
  machineAfter: Machine;
  wallSeconds: number;
  entries: readonly BenchEntry[];
  failures: readonly { bench: string; error: string }[];
  check: readonly FigureCheck[];
}): { md: string; json: string } {
  const ok = r.failures.length === 0 && r.check.every((c) => c.found);
  const json = join(r.dir, 'results.json');
  const md = join(r.dir, 'results.md');
  writeFileSync(
    json,
    JSON.stringify(
      {
        ok,
        machine: r.machineBefore,
        loadAverageAfter: r.machineAfter.loadAverage,
        wallSeconds: Math.round(r.wallSeconds),
        required: r.check.map((c) => ({ id: c.figure.id, title: c.figure.title, target: c.figure.target ?? null, measured: c.found !== null, why: c.found ? null : c.why, entry: c.found })),
        failures: r.failures.map((f) => ({ bench: f.bench, error: f.error.split('\n')[0] })),
        entries: r.entries,
      },
      null,
      2,
    ) + '\n',
  );

  const m = r.machineBefore;
  const lines: string[] = [
    '# Benchmark report',
    '',
    'Written by `npm run bench` (test/bench/run.ts). Every ratio is against a baseline measured in the same process and run;',
    'a shared or busy machine moves both sides, so read the ratios, not the milliseconds. Whether the machine was otherwise',
    'idle a process cannot know: the load average before and after the run says how busy it was.',
    '',
    ok ? '**All required figures measured.**' : '**FAILED: some required figures could not be measured (see below).**',
    '',
    ...(Math.max(m.loadAverage[0], r.machineAfter.loadAverage[0]) > m.cores
      ? [`**The machine was busy** (load average above its ${m.cores} cores): a sample of the ratios, not a measurement to hold targets against.`, '']
      : []),
    '## Machine',
    '',
    '| | |',
    '|---|---|',
    `| CPU | ${cell(m.cpu)} |`,
    `| cores | ${m.cores} |`,
    `| memory | ${m.memoryGB} GB (${m.freeMemoryGB} GB free at the start) |`,
    `| OS | ${cell(m.os)} |`,
    `| Node | ${m.node} |`,
    `| commit | ${cell(m.commit)} |`,
    `| date | ${m.date} |`,
    `| load average (1, 5, 15 min) | before ${m.loadAverage.join(', ')}; after ${r.machineAfter.loadAverage.join(', ')} |`,
    `| wall time | ${Math.round(r.wallSeconds)} s |`,
    '',
    '## The figures issue 14 asks for',
    '',
    '| figure | measured | baseline (same run) | ratio | target |',
    '|---|---|---|---|---|',
  ];
  for (const c of r.check) {
    if (!c.found) {
      lines.push(`| ${cell(c.figure.title)} | **not measured**: ${cell(c.why)} | | | ${c.figure.target ?? ''} |`);
      continue;
    }
    const v = valueOf(c.found);
    lines.push(`| ${cell(c.figure.title)} | ${cell(v.value)} | ${v.baseline} | ${v.ratio} | ${c.figure.target ?? ''} |`);
  }
  if (r.failures.length > 0) {
    lines.push('', '## Benches that failed', '');
    for (const f of r.failures) lines.push(`- \`${f.bench}\`: ${cell(f.error.split('\n')[0] ?? '')}`);
  }
  lines.push('', '## Everything recorded', '');
  for (const bench of [...new Set(r.entries.map((e) => e.bench))]) {
    lines.push(`### ${bench}`, '', '| what | measured | baseline (same run) | ratio |', '|---|---|---|---|');
    for (const e of r.entries.filter((x) => x.bench === bench)) {
      const v = valueOf(e);
      lines.push(`| ${cell(e.name)} | ${cell(v.value)} | ${v.baseline} | ${v.ratio} |`);
    }
    lines.push('');
  }
  writeFileSync(md, lines.join('\n'));
  return { md, json };
}
