import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends a run with one plain `tests: N passed, N failed` line, a closing line CI tooling that does
 * not know vitest's own summary can read.
 */
export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else skipped += 1;
      }
      // A file that failed before any test ran (a syntax error, a failing beforeAll) counts as a failure.
      if (module.state() === 'failed' && module.children.size === 0) failed += 1;
    }
    process.stdout.write(
      `\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
    );
  }
}
