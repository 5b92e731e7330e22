// Prints "N passed, N failed" from vitest's JSON report. A run that produced no report (install
// or type-check failure) or a test file that failed to load counts as a failure.
import { existsSync, readFileSync } from "node:fs";

const [path, status] = process.argv.slice(2);
let passed = 0;
let failed = 0;
if (existsSync(path)) {
  const report = JSON.parse(readFileSync(path, "utf8"));
  passed = report.numPassedTests;
  failed = report.numFailedTests;
  for (const file of report.testResults ?? []) {
    if (file.status === "failed" && (file.assertionResults ?? []).length === 0) failed++;
  }
}
if (Number(status) !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
