/**
 * The growth checks the security tests rely on (test/support/growth.ts) tell quadratic time from
 * linear: a check that cannot fail would prove nothing about the parsers.
 */
import { expect, test } from "vitest";
import { expectLinear } from "../support/growth.js";

let sink = 0;
const numbers = (n: number) => Array.from({ length: n }, (_, i) => (i * 7919) % 1013);

test("expectLinear fails a quadratic operation, at n and again at 2n", async () => {
  const quadratic = (a: number[]) => {
    let c = 0;
    for (let i = 0; i < a.length; i++) for (let j = 0; j < i; j++) c += a[j]! ^ i;
    sink += c;
  };
  await expect(expectLinear("a nested loop", numbers, quadratic, 1500, { runs: 3 })).rejects.toThrow(
    /^a nested loop: doubling the input from n=1500 took .* ms \(x\d+\.\d\d, \d+ call\(s\) per sample\); doubling the input from n=3000 took .*: expected \d+\.\d+ to be less than or equal to 3$/,
  );
}, 120_000);

test("expectLinear passes a linear operation", async () => {
  const linear = (a: number[]) => {
    let c = 0;
    for (let i = 0; i < a.length; i++) c += a[i]! ^ i;
    sink += c;
  };
  await expectLinear("a loop", numbers, linear, 200_000, { runs: 3 });
  expect(sink).not.toBeNaN();
}, 120_000);
