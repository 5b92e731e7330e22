// Prints "N passed, N failed" over vitest's JSON reports: `count-results.mjs STATUS NAME:PATH...`.
// A run whose report is missing (install, build or type-check failure, or a run that never
// started) counts as a failure, as does a test file that failed to load, or a non-zero STATUS with
// no failed test. Before that line it names each failure (run, file, test, the first lines of its
// message), so that the end of a CI log says what failed, and each test that failed its first try
// and passed its second (vitest.config.ts allows one retry): it counts as passed, and is listed as
// flaky, so that a flake is seen and fixed rather than hidden.
import { existsSync, readFileSync } from "node:fs";
import { relative } from "node:path";

const [status, ...runs] = process.argv.slice(2);
let passed = 0;
let failed = 0;
const failures = [];
const flaky = [];
const firstLines = (text) =>
  String(text ?? "")
    .split("\n")
    .filter((line) => !/node_modules|new Promise|node:internal/.test(line))
    .slice(0, 6)
    .map((line) => `      ${line}`)
    .join("\n");
for (const run of runs) {
  const name = run.slice(0, run.indexOf(":"));
  const path = run.slice(run.indexOf(":") + 1);
  if (!existsSync(path)) {
    failures.push(`${name}: no report (${path}): the install, build or type-check failed, or the run never started`);
    failed++;
    continue;
  }
  const report = JSON.parse(readFileSync(path, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  for (const file of report.testResults ?? []) {
    const where = relative(process.cwd(), file.name);
    const results = file.assertionResults ?? [];
    if (file.status === "failed" && results.length === 0) {
      failed++;
      failures.push(`${name}: ${where} failed to run\n${firstLines(file.message)}`);
    }
    for (const test of results) {
      const line = `${name}: ${where} > ${test.fullName} (${Math.round(test.duration ?? 0)} ms)\n${firstLines(test.failureMessages?.[0])}`;
      if (test.status === "failed") failures.push(line);
      else if (test.status === "passed" && (test.failureMessages ?? []).length > 0) flaky.push(line);
    }
  }
}
if (Number(status) !== 0 && failed === 0) {
  failed = 1;
  failures.push(`the test command exited ${status} with no failed test in the reports`);
}
if (flaky.length > 0) console.log(`Flaky (failed, then passed on the second try):\n${flaky.map((f) => `  - ${f}`).join("\n")}`);
if (failures.length > 0) console.log(`Failed:\n${failures.map((f) => `  - ${f}`).join("\n")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
