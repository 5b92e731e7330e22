/**
 * How often an arbitrary includes an optional part.
 *
 * @module
 */
import fc from "fast-check";

/**
 * How often an optional part of a generated value is present: `"never"`, `"sometimes"` (about
 * half of the values) or `"always"`. Where a constraint takes `boolean | Frequency`, `true`
 * means `"sometimes"` and `false` means `"never"`.
 *
 * @example
 * const f: Frequency = "always";
 */
export type Frequency = "never" | "sometimes" | "always";

/** Reads a `boolean | Frequency` constraint, throwing a clear error for anything else. */
export function readFrequency(name: string, value: boolean | Frequency | undefined, fallback: Frequency): Frequency {
  if (value === undefined) return fallback;
  if (value === true) return "sometimes";
  if (value === false) return "never";
  if (value === "never" || value === "sometimes" || value === "always") return value;
  throw new TypeError(`${name} must be true, false, "never", "sometimes" or "always", not ${JSON.stringify(value)}`);
}

/** `arb` always, sometimes, or never (giving `undefined`). */
export function optional<T>(frequency: Frequency, arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  if (frequency === "never") return fc.constant(undefined);
  if (frequency === "always") return arb;
  return fc.option(arb, { nil: undefined, freq: 2 });
}
