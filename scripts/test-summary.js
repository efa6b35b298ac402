#!/usr/bin/env node
// Adds up Jest's JSON reports and prints one plain summary line: "N passed, N failed, N skipped".
const { existsSync, readFileSync } = require('node:fs');

let passed = 0;
let failed = 0;
let skipped = 0;
let missing = 0;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    missing++;
    console.log(`${file}: no report (the run did not finish)`);
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const failedSuites = r.numFailedTestSuites ?? 0;
  console.log(`${file}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped in ${r.numTotalTestSuites} suites${failedSuites ? ` (${failedSuites} suites failed)` : ''}`);
  passed += r.numPassedTests;
  failed += r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
  skipped += r.numPendingTests;
}
failed += missing;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
