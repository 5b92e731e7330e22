/**
 * Checks of the options callers pass, reported the way request problems are: as issues with a
 * path under `options`.
 */
import { parseTimestamp } from "@dsnkit/core";
import type { IssuePath, Timestamp } from "@dsnkit/core";
import { BounceValidationError } from "./errors.js";

function optionError(path: IssuePath, message: string): BounceValidationError {
  return new BounceValidationError([{ code: "invalid_option", path, message }]);
}

/** Reads a timestamp option; a bad one is a {@link BounceValidationError} naming the option. */
export function readTimestampOption(value: Timestamp, path: IssuePath): Date {
  try {
    return parseTimestamp(value);
  } catch (e) {
    throw new BounceValidationError([{ code: "invalid_date", path, message: `${path[path.length - 1]}: ${(e as Error).message}` }]);
  }
}

/** Limits of a number option. */
export interface NumberRule {
  fallback: number;
  min: number;
  /** `min` itself is not allowed. */
  exclusive?: boolean;
  integer?: boolean;
  /** `Infinity` is allowed. */
  infinity?: boolean;
}

/** A number option within `rule`, or its fallback when it is `undefined`. */
export function numberOption(value: unknown, name: string, rule: NumberRule): number {
  if (value === undefined) return rule.fallback;
  let ok = typeof value === "number" && !Number.isNaN(value) && (rule.exclusive === true ? value > rule.min : value >= rule.min);
  if (ok && !Number.isFinite(value)) ok = rule.infinity === true && (value as number) > 0;
  else if (ok && rule.integer === true) ok = Number.isInteger(value);
  if (!ok) {
    const what = rule.integer === true ? "a whole number" : "a number";
    const bound = rule.exclusive === true ? `greater than ${rule.min}` : `at least ${rule.min}`;
    throw optionError(
      ["options", name],
      `${name} must be ${what} ${bound}${rule.infinity === true ? " (or Infinity)" : ""}, not ${typeof value === "number" ? String(value) : typeof value}`,
    );
  }
  return value as number;
}

/** A function option. */
export function functionOption<T>(value: T | undefined, name: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== "function") throw optionError(["options", name], `${name} must be a function, not ${typeof value}`);
  return value;
}
