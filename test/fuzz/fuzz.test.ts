/**
 * Runs every fuzz target (test/fuzz/targets.ts): a bounded number of cases in CI, or, when
 * DSNKIT_FUZZ_MINUTES is set (`npm run fuzz -- --minutes N`), as many as fit in that time, shared
 * among the targets (those whose name holds DSNKIT_FUZZ_TARGET, when it is set). DSNKIT_FUZZ_SEED
 * replays a run; a failure prints its seed and the shrunk input.
 */
import { describe, test } from "vitest";
import fc from "fast-check";
import { TARGETS } from "./targets.js";

const minutes = Number(process.env.DSNKIT_FUZZ_MINUTES ?? 0);
const seed = process.env.DSNKIT_FUZZ_SEED === undefined ? undefined : Number(process.env.DSNKIT_FUZZ_SEED);
/** Cases per target in CI. */
const CI_RUNS = Number(process.env.DSNKIT_FUZZ_RUNS ?? 150);
const only = process.env.DSNKIT_FUZZ_TARGET;
const targets = only === undefined ? TARGETS : TARGETS.filter((t) => t.name.includes(only));
const budgetMs = minutes > 0 ? (minutes * 60_000) / Math.max(1, targets.length) : 0;

describe(minutes > 0 ? `fuzz, ${minutes} minute(s)` : `fuzz, ${CI_RUNS} cases per target`, () => {
  test("there is a target to run", () => {
    if (targets.length === 0) throw new Error(`no fuzz target's name holds ${JSON.stringify(only)}; they are: ${TARGETS.map((t) => t.name).join("; ")}`);
  });
  for (const target of targets) {
    test(
      target.name,
      async () => {
        const property = fc.asyncProperty(target.input, async (input) => {
          await target.check(input);
        });
        const params: fc.Parameters<[unknown]> = budgetMs > 0 ? { numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: budgetMs, markInterruptAsFailure: false } : { numRuns: CI_RUNS };
        if (seed !== undefined) params.seed = seed;
        await fc.assert(property, params);
      },
      budgetMs > 0 ? budgetMs + 120_000 : 300_000,
    );
  }
});
