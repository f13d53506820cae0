import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints, after a run, why tests were skipped (the "(skipped: …)" in a suite's or test's name, or
 * the note of `ctx.skip(note)`), so `npm test` says what a machine lacks instead of a bare count.
 */
export default class SkipReasonsReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const reasons = new Map<string, number>();
    for (const mod of modules) {
      for (const test of mod.children.allTests('skipped')) {
        const result = test.result();
        const note = result.state === 'skipped' ? result.note : undefined;
        const reason = note ?? /\(skipped: ([^)]*)\)/.exec(test.fullName)?.[1];
        if (reason === undefined) continue;
        const key = `${mod.relativeModuleId}: ${reason}`;
        reasons.set(key, (reasons.get(key) ?? 0) + 1);
      }
    }
    if (reasons.size === 0) return;
    const lines = [...reasons].map(([key, n]) => `  ${key} (${n} test${n === 1 ? '' : 's'})`);
    process.stdout.write(`\nSkipped, and why:\n${lines.join('\n')}\n`);
  }
}
