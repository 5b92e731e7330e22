/**
 * The command's clock. `dsnkit` reads the time in one place, so that a test, a reproducible build
 * or a user previewing "as of" a moment can set it: `SOURCE_DATE_EPOCH`
 * (https://reproducible-builds.org/specs/source-date-epoch/), a whole number of seconds since
 * 1970-01-01T00:00:00Z, fixes "now" for what dsnkit writes or judges by date (the Date of a
 * rendered bounce; SES's 24-hour window in `send-bounce` and `--batch`). It never changes the
 * time the AWS SDK signs requests with, nor the clock of `dsnkit ses-local`.
 *
 * @module
 */
import { CliError } from "./exit.js";
import type { Io } from "./io.js";

/**
 * The environment variable that fixes the command's clock.
 *
 * @example
 * CLOCK_ENV;
 * //=> "SOURCE_DATE_EPOCH"
 */
export const CLOCK_ENV = "SOURCE_DATE_EPOCH";

/**
 * The clock `dsnkit` uses: `SOURCE_DATE_EPOCH` when it is set, else the system clock. A value
 * that is not a whole number of seconds is an error (exit 2) when the clock is first read, so a
 * command that never reads it is not refused for it.
 *
 * @example
 * clockFromEnvironment({ SOURCE_DATE_EPOCH: "1795687200" })().toISOString();
 * //=> "2026-11-26T10:00:00.000Z"
 * clockFromEnvironment({ SOURCE_DATE_EPOCH: "yesterday" })();
 * // throws CliError: SOURCE_DATE_EPOCH: "yesterday" is not a whole number of seconds since 1970-01-01T00:00:00Z
 */
export function clockFromEnvironment(env: Readonly<Record<string, string | undefined>>): () => Date {
  const value = env[CLOCK_ENV];
  if (value === undefined || value === "") return () => new Date();
  // The specification: ASCII digits only, no sign, no fraction; the time must be a valid Date.
  const seconds = /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  const fixed = new Date(seconds * 1000);
  if (Number.isNaN(fixed.getTime()))
    return () => {
      throw new CliError(`${CLOCK_ENV}: ${JSON.stringify(value)} is not a whole number of seconds since 1970-01-01T00:00:00Z`);
    };
  return () => new Date(fixed.getTime());
}

/**
 * The time now by the command's clock ({@link Io.now}, else the system clock).
 *
 * @example
 * nowOf({ ...io, now: () => new Date("2026-11-26T10:00:00Z") }).toISOString();
 * //=> "2026-11-26T10:00:00.000Z"
 */
export function nowOf(io: Io): Date {
  return io.now !== undefined ? io.now() : new Date();
}
