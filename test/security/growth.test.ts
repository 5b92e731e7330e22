/**
 * The growth checks the security tests rely on (test/support/growth.ts) tell quadratic time from
 * linear: a check that cannot fail would prove nothing about the parsers. The operations here
 * spin for a time set by their input's size (quadratic or linear in it), so that the cost is what
 * the test says it is whatever else the machine runs: a real loop's ratio varies with the load
 * of the other test files, and the checks are built to lean towards passing under load. The spins
 * last milliseconds, so that being descheduled at the end of one adds little to it.
 */
import { expect, test } from "vitest";
import { expectLinear } from "../support/growth.js";

/** Busy for `ms` milliseconds. */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

test("expectLinear fails a quadratic operation, at n and again at 2n", async () => {
  const quadratic = (n: number) => spin((n / 1000) ** 2 * 4);
  await expect(expectLinear("a quadratic cost", (n) => n, quadratic, 1500, { runs: 3 })).rejects.toThrow(
    /^a quadratic cost: doubling the input from n=1500 took .* ms \(x\d+\.\d\d, \d+ call\(s\) per sample\); doubling the input from n=3000 took .*: expected \d+\.\d+ to be less than or equal to 3$/,
  );
}, 120_000);

test("expectLinear passes a linear operation", async () => {
  const linear = (n: number) => spin((n / 1000) * 4);
  const g = await expectLinear("a linear cost", (n) => n, linear, 1500, { runs: 3 });
  expect(g.ratio).toBeLessThanOrEqual(3);
}, 120_000);
