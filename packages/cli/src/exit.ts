/**
 * How a `dsnkit` command ends: its exit codes, and the error that carries one to the user. Apart
 * from the readers and writers of io.ts, so that the program (main.ts) and the commands'
 * definitions load nothing that the commands run.
 *
 * @module
 */

/**
 * Exit codes of the `dsnkit` command.
 *
 * | code | meaning |
 * |---|---|
 * | 0 | success |
 * | 1 | the work failed (a DSN with errors for `check`; a call or a write that failed) |
 * | 2 | bad input: a usage error, an unreadable file, invalid JSON, or a request with issues |
 *
 * @example
 * process.exitCode = EXIT.INVALID_INPUT;
 */
export const EXIT = Object.freeze({ OK: 0, FAILED: 1, INVALID_INPUT: 2 });

/**
 * An error meant for the user: printed as `dsnkit: <message>` with no stack trace, and the
 * process exits with `exitCode`.
 *
 * @example
 * throw new CliError("--original: cannot read msg.eml: no such file", EXIT.INVALID_INPUT);
 */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number = EXIT.INVALID_INPUT,
  ) {
    super(message);
  }
}
