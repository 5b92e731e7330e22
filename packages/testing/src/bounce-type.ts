/**
 * @module
 */
import fc from "fast-check";
import { BOUNCE_TYPES } from "@dsnkit/core";
import type { BounceType } from "@dsnkit/core";

/**
 * Generates an SES {@link BounceType}: every one of the six, equally often; shrinks towards
 * `DoesNotExist`.
 *
 * @returns an arbitrary of bounce types.
 * @example
 * fc.sample(bounceType(), { numRuns: 3, seed: 42 });
 * //=> e.g. ["ExceededQuota", "DoesNotExist", "TemporaryFailure"]
 */
export function bounceType(): fc.Arbitrary<BounceType> {
  return fc.constantFrom(...BOUNCE_TYPES);
}
