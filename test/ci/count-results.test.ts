/**
 * scripts/count-results.mjs, the last step of .ci/run: the totals line CI reads, and above it the
 * failures and the flaky tests by name, from vitest JSON reports written by a real vitest run of
 * a scratch test file (a test failing once then passing, one failing always, a property failing
 * once, one passing).
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const COUNT = join(ROOT, "scripts/count-results.mjs");

let dir: string;
let report: string;

beforeAll(async () => {
  // Inside the workspace (so that vitest and fast-check resolve) but outside the suite's include
  // patterns; its config is the project's, retry rule and all, with the scratch file as its only test.
  dir = await mkdtemp(join(ROOT, ".scratch-count-results-"));
  await writeFile(
    join(dir, "vitest.config.mts"),
    `import { defineConfig, mergeConfig } from "vitest/config";
import base from "../vitest.config.ts";
export default mergeConfig(base, defineConfig({ test: { include: ["scratch.test.ts"] } }));
`,
  );
  await writeFile(
    join(dir, "scratch.test.ts"),
    `import { expect, test } from "vitest";
import fc from "fast-check";
let once = 0;
test("fails its first try", () => { once++; expect(once).toBe(2); });
test("always fails", () => { expect("left").toBe("right"); });
let property = 0;
test("a property broken on the first try", () => { property++; fc.assert(fc.property(fc.nat(), (n) => property === 2 || n < 0)); });
test("passes", () => { expect(1).toBe(1); });
`,
  );
  report = join(dir, "report.json");
  await run("npx", ["vitest", "run", "--root", dir, "--config", join(dir, "vitest.config.mts"), "--reporter=json", `--outputFile=${report}`], { cwd: ROOT }).catch(() => undefined);
}, 120_000);

afterAll(() => rm(dir, { recursive: true, force: true }));

async function count(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, [COUNT, ...args], { cwd: ROOT });
    return { code: 0, stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string };
    return { code: err.code, stdout: err.stdout };
  }
}

test("names each failure and each test that passed only on its second try; the property is not retried", async () => {
  const r = await count("1", `real-clock:${report}`);
  const lines = r.stdout.trimEnd().split("\n");
  expect(r.code).toBe(1);
  expect(lines.at(-1)).toBe("2 passed, 2 failed");
  const flaky = r.stdout.slice(r.stdout.indexOf("Flaky"), r.stdout.indexOf("Failed:"));
  const failed = r.stdout.slice(r.stdout.indexOf("Failed:"));
  expect(flaky).toMatch(/^Flaky \(failed, then passed on the second try\):\n {2}- real-clock: \.scratch-count-results-\w+\/scratch\.test\.ts > fails its first try \(\d+ ms\)\n {6}AssertionError: expected 1 to be 2/);
  expect(failed).toContain("> always fails (");
  expect(failed).toContain("AssertionError: expected 'left' to be 'right'");
  expect(failed).toContain("> a property broken on the first try (");
  expect(failed).toContain("Property failed after 1 tests");
  expect(r.stdout).not.toMatch(/> passes \(/);
  expect(r.stdout).not.toContain("node_modules");
});

test("a run with no report counts as a failure and says why; a clean run prints only the totals", async () => {
  const missing = await count("0", `real-clock:${report}`, `clock-400-days-ahead:${join(dir, "none.json")}`);
  expect(missing.code).toBe(1);
  expect(missing.stdout).toContain(`  - clock-400-days-ahead: no report (${join(dir, "none.json")}): the install, build or type-check failed, or the run never started`);
  expect(missing.stdout.trimEnd().split("\n").at(-1)).toBe("2 passed, 3 failed");

  const clean = join(dir, "clean.json");
  await writeFile(clean, JSON.stringify({ numPassedTests: 3, numFailedTests: 0, testResults: [{ name: join(ROOT, "x.test.ts"), status: "passed", assertionResults: [] }] }));
  expect(await count("0", `a:${clean}`)).toEqual({ code: 0, stdout: "3 passed, 0 failed\n" });
  // A non-zero status with no failed test in the reports is still a failure.
  const odd = await count("2", `a:${clean}`);
  expect([odd.code, odd.stdout]).toEqual([1, "Failed:\n  - the test command exited 2 with no failed test in the reports\n3 passed, 1 failed\n"]);
});
