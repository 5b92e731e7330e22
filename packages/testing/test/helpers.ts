/**
 * Shared assertions for the arbitraries (the way fast-check tests its own): generated values
 * are correct, the same seed gives the same values, and every value met while shrinking is
 * still correct.
 */
import fc from "fast-check";
import { expect } from "vitest";

/** Checks `isCorrect` on `numRuns` values and returns them. */
export function assertCorrect<T>(arb: fc.Arbitrary<T>, isCorrect: (v: T) => string | undefined, numRuns = 500, seed = 1): T[] {
  const values = fc.sample(arb, { numRuns, seed });
  const wrong: string[] = [];
  for (const v of values) {
    const why = isCorrect(v);
    if (why !== undefined && wrong.length < 5) wrong.push(`${fc.stringify(v).slice(0, 300)}: ${why}`);
  }
  expect(wrong, wrong.join("\n")).toEqual([]);
  return values;
}

/** The same seed gives the same values. */
export function assertDeterministic<T>(arb: fc.Arbitrary<T>, numRuns = 50): void {
  const a = fc.sample(arb, { numRuns, seed: 42 });
  const b = fc.sample(arb, { numRuns, seed: 42 });
  expect(fc.stringify(a)).toBe(fc.stringify(b));
}

/**
 * Runs a property that fails on "big" values, so fast-check shrinks; every value the predicate
 * sees (the shrink candidates included) must be correct, and the shrunk counterexample must be
 * smaller than the first one found.
 */
export function assertShrinksCorrectly<T>(arb: fc.Arbitrary<T>, isCorrect: (v: T) => string | undefined, size: (v: T) => number, threshold: number): void {
  const wrong: string[] = [];
  const result = fc.check(
    fc.property(arb, (v) => {
      const why = isCorrect(v);
      if (why !== undefined && wrong.length < 5) wrong.push(`${fc.stringify(v).slice(0, 300)}: ${why}`);
      return size(v) < threshold;
    }),
    { numRuns: 300, seed: 7 },
  );
  expect(wrong, wrong.join("\n")).toEqual([]);
  expect(result.failed, "the property meant to fail (to make fast-check shrink) never failed").toBe(true);
  const shrunk = result.counterexample![0];
  expect(size(shrunk)).toBeGreaterThanOrEqual(threshold);
  expect(result.numShrinks).toBeGreaterThan(0);
}

/** Runs fc.statistics and returns the labels it printed, with their percentages. */
export function statistics<T>(arb: fc.Arbitrary<T>, classify: (v: T) => string[], numRuns: number, seed = 1): Map<string, number> {
  const lines: string[] = [];
  fc.statistics(arb, classify, { numRuns, seed, logger: (line) => lines.push(line) });
  const labels = new Map<string, number>();
  for (const line of lines) {
    const m = /^(.*?)\.{2,}\s*([\d.]+)%$/.exec(line);
    if (m) labels.set(m[1]!, Number(m[2]));
  }
  return labels;
}
