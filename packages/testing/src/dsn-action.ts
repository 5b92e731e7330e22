/**
 * @module
 */
import fc from "fast-check";
import { DSN_ACTIONS } from "@dsnkit/core";
import type { DsnAction } from "@dsnkit/core";

/**
 * Generates an RFC 3464 {@link DsnAction} (`failed`, `delayed`, `delivered`, `relayed`,
 * `expanded`), each equally often; shrinks towards `failed`.
 *
 * @returns an arbitrary of actions.
 * @example
 * fc.sample(dsnAction(), { numRuns: 3, seed: 7 });
 * //=> e.g. ["delayed", "failed", "relayed"]
 */
export function dsnAction(): fc.Arbitrary<DsnAction> {
  return fc.constantFrom(...DSN_ACTIONS);
}
