/**
 * Prints jest's totals as one plain line, `N passed, N failed` (with `, N skipped` when some were), which is the
 * form CI reads. Added next to jest's default reporter.
 */
class TotalsReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failedSuites = results.numRuntimeErrorTestSuites;
    const failed = results.numFailedTests + failedSuites;
    process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}\n`);
  }
}
module.exports = TotalsReporter;
