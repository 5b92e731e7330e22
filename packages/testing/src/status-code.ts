/**
 * @module
 */
import fc from "fast-check";
import { DSN_ACTIONS } from "@dsnkit/core";
import type { DsnAction } from "@dsnkit/core";

/**
 * Constraints of {@link statusCode}.
 *
 * @example
 * const c: StatusCodeConstraints = { valid: true, forAction: "delayed" };
 */
export interface StatusCodeConstraints {
  /**
   * `true` (the default): RFC 3463 codes, `class.subject.detail`. `false`: strings that are not
   * valid status codes (bad class, leading zeros, too many digits, missing or extra parts,
   * letters, white space) and, with `forAction`, well-formed codes whose class the action does
   * not allow.
   */
  valid?: boolean;
  /** Only codes whose class agrees with this Action (RFC 3464 §2.3.3): failed 4 or 5, delayed 4, the others 2. */
  forAction?: DsnAction;
}

/** The status classes each Action allows (RFC 3464 §2.3.3, RFC 3463 §3.1). */
export const ACTION_CLASSES: Readonly<Record<DsnAction, readonly number[]>> = Object.freeze({
  failed: [5, 4],
  delayed: [4],
  delivered: [2],
  relayed: [2],
  expanded: [2],
});

/** Subject and detail of a status code, and a choice of class made concrete by {@link statusFor}. */
export interface StatusShape {
  classChoice: number;
  subject: number;
  detail: number;
}

/** Registered codes (RFC 3463 §3) are common; any 1-3 digit number may appear. */
const subject = fc.oneof({ arbitrary: fc.integer({ min: 0, max: 7 }), weight: 6 }, { arbitrary: fc.integer({ min: 0, max: 999 }), weight: 1 });
const detail = fc.oneof({ arbitrary: fc.integer({ min: 0, max: 9 }), weight: 6 }, { arbitrary: fc.integer({ min: 0, max: 999 }), weight: 1 });

/** The shape of a valid status code, independent of its class. */
export const statusShape: fc.Arbitrary<StatusShape> = fc.record({ classChoice: fc.nat(5), subject, detail });

/** A valid status code whose class `action` allows. */
export function statusFor(action: DsnAction | undefined, shape: StatusShape): string {
  const classes = action === undefined ? [5, 4, 2] : ACTION_CLASSES[action];
  return `${classes[shape.classChoice % classes.length]}.${shape.subject}.${shape.detail}`;
}

const validClass = fc.constantFrom(5, 4, 2);

/** Strings that are not RFC 3463 status codes. */
const malformed: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom(0, 1, 3, 6, 7, 8, 9), subject, detail).map(([c, s, d]) => `${c}.${s}.${d}`),
  fc.tuple(validClass, fc.integer({ min: 0, max: 99 }), detail).map(([c, s, d]) => `${c}.0${s}.${d}`),
  fc.tuple(validClass, subject, fc.integer({ min: 0, max: 99 })).map(([c, s, d]) => `${c}.${s}.0${d}`),
  fc.tuple(validClass, fc.integer({ min: 1000, max: 99999 }), detail).map(([c, s, d]) => `${c}.${s}.${d}`),
  fc.tuple(validClass, subject).map(([c, s]) => `${c}.${s}`),
  fc.tuple(validClass, subject, detail, detail).map(([c, s, d, e]) => `${c}.${s}.${d}.${e}`),
  fc.tuple(validClass, subject, detail).map(([c, s, d]) => `${c}${s}${d}`),
  fc.tuple(validClass, detail).map(([c, d]) => `${c}..${d}`),
  fc.tuple(validClass, subject, detail, fc.constantFrom(" ", "\t", "x", "a", "-")).map(([c, s, d, x]) => `${c}.${s}.${d}${x}`),
  fc.tuple(validClass, subject, detail).map(([c, s, d]) => ` ${c}.${s}.${d}`),
  fc.tuple(validClass, detail).map(([c, d]) => `${c}.X.${d}`),
  fc.constantFrom("", "5", "5.", "5.1.", ".1.1", "5.1.1.", "550", "5,1,1", "５.1.1", "5.1.1 (user unknown)"),
);

/**
 * Generates RFC 3463 enhanced status codes (`5.1.1`, `4.2.2`, `2.0.0`, ...) — registered
 * subjects and details mostly, any number of 1 to 3 digits now and then, never a leading zero —
 * optionally only those an Action allows; or, with `valid: false`, strings that break the
 * syntax (and, with `forAction`, well-formed codes of a class the action does not allow).
 *
 * @param constraints - validity and the Action the code must agree with.
 * @returns an arbitrary of status code strings.
 * @throws {RangeError} for an unknown `forAction`.
 * @example
 * fc.sample(statusCode({ forAction: "delayed" }), { numRuns: 3, seed: 3 });
 * //=> e.g. ["4.4.7", "4.2.0", "4.7.1"]
 * fc.sample(statusCode({ valid: false }), { numRuns: 3, seed: 3 });
 * //=> e.g. ["5.01.1", "3.1.1", "4.2"]
 */
export function statusCode(constraints: StatusCodeConstraints = {}): fc.Arbitrary<string> {
  const { valid = true, forAction } = constraints;
  if (forAction !== undefined && !DSN_ACTIONS.includes(forAction))
    throw new RangeError(`statusCode: forAction ${JSON.stringify(forAction)} is not one of ${DSN_ACTIONS.join(", ")}`);
  if (valid) return statusShape.map((shape) => statusFor(forAction, shape));
  if (forAction === undefined) return malformed;
  const wrong = [5, 4, 2].filter((c) => !ACTION_CLASSES[forAction].includes(c));
  const mismatched = fc
    .tuple(fc.constantFrom(...wrong), subject, detail)
    .map(([c, s, d]) => `${c}.${s}.${d}`);
  return fc.oneof(malformed, mismatched);
}
