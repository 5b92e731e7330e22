/**
 * The error {@link parseDsn} throws when it cannot read a DSN.
 *
 * @module
 */
import type { Tolerance } from "./types.js";

/**
 * Why no DSN could be read.
 *
 * | code | meaning |
 * |---|---|
 * | `invalid_input` | the input is not a string or a Uint8Array, or is empty |
 * | `not_a_dsn` | no `message/delivery-status` (or global) part anywhere |
 * | `no_recipients` | the delivery-status part has no per-recipient block with a recipient |
 * | `limit_exceeded` | the input is over a {@link ParseLimits} limit |
 * | `strict` | strict mode met something it would have had to tolerate (see `tolerance`) |
 *
 * @example
 * const code: DsnParseErrorCode = "not_a_dsn";
 */
export type DsnParseErrorCode = "invalid_input" | "not_a_dsn" | "no_recipients" | "limit_exceeded" | "strict";

/**
 * Thrown by {@link parseDsn}: a stable `code`, the 1-based `line` of the input where reading
 * failed, and in strict mode the `tolerance` that was refused.
 *
 * @example
 * try {
 *   parseDsn("Subject: hello\r\n\r\nnot a bounce\r\n");
 * } catch (e) {
 *   if (e instanceof DsnParseError) console.log(e.code, e.line);
 * }
 * //=> not_a_dsn 1
 */
export class DsnParseError extends Error {
  override readonly name = "DsnParseError";
  readonly code: DsnParseErrorCode;
  readonly line: number;
  readonly tolerance?: Tolerance;

  constructor(code: DsnParseErrorCode, message: string, line: number, tolerance?: Tolerance) {
    super(`line ${line}: ${message}`);
    this.code = code;
    this.line = line;
    if (tolerance !== undefined) this.tolerance = tolerance;
  }
}
