// Prints "N passed, N failed" over vitest's JSON reports: `count-results.mjs STATUS NAME:PATH...`.
// A run whose report is missing (install, build or type-check failure, or a run that never
// started) counts as a failure, as does a test file that failed to load, or a non-zero STATUS with
// no failed test.
import { existsSync, readFileSync } from "node:fs";

const [status, ...runs] = process.argv.slice(2);
let passed = 0;
let failed = 0;
for (const run of runs) {
  const path = run.slice(run.indexOf(":") + 1);
  if (!existsSync(path)) {
    console.error(`count-results: no report from the ${run.slice(0, run.indexOf(":"))} run (${path})`);
    failed++;
    continue;
  }
  const report = JSON.parse(readFileSync(path, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  for (const file of report.testResults ?? []) {
    if (file.status === "failed" && (file.assertionResults ?? []).length === 0) failed++;
  }
}
if (Number(status) !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
