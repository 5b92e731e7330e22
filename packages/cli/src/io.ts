/**
 * What every command shares: the streams it talks to, errors that carry an exit code, and reading
 * inputs (files, `file://` URLs, stdin) with errors that name the flag or file at fault.
 */
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, basename, join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { formatPath } from "@dsnkit/core";
import type { Issue } from "@dsnkit/core";
import { findJsonError } from "./json.js";

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
 * The streams a command uses; tests pass their own.
 *
 * @example
 * const io: Io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
 */
export interface Io {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** True when stdout/stderr is an interactive terminal (progress bars). */
  isTTY?: boolean;
  /**
   * The clock for what the command writes or judges by date. {@link main} sets it from
   * `SOURCE_DATE_EPOCH` (else the system clock) when the caller does not; tests pass their own.
   */
  now?: () => Date;
}

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

/** Reads all of a stream. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/** Strips a `file://` prefix (the AWS CLI's convention). */
export function filePath(spec: string): string {
  return spec.startsWith("file://") ? spec.slice("file://".length) : spec;
}

/**
 * Reads a file named by `spec` (a path, `file://path`, or `-` for stdin). `what` names the flag
 * or argument in errors.
 */
export async function readInput(spec: string, io: Io, what: string): Promise<Buffer> {
  if (spec === "-") return readAll(io.stdin);
  const path = filePath(spec);
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : String((e as Error).message);
    throw new CliError(`${what}: cannot read ${path}: ${why}`);
  }
}

/** Line and column (1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    last = i;
  }
  return { line, column: offset - last };
}

/** Parses JSON, or throws a CliError naming the source, the line and the column, and what is wrong there. */
export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const found = findJsonError(text);
    if (found === undefined) throw new CliError(`${source}: invalid JSON: ${(e as Error).message}`);
    const { line, column } = lineColumn(text, found.offset);
    throw new CliError(`${source}:${line}:${column}: invalid JSON: ${found.message}`);
  }
}

/**
 * Formats issues for the terminal, one per line, each path prefixed by where the input came from
 * (`request.json: BouncedRecipientInfoList[0].Status: ...`). `rename` maps a path to the flag
 * that set it, for issues about options rather than the request.
 */
export function formatIssuesFor(issues: readonly Issue[], source: string, rename?: (issue: Issue) => string | undefined): string {
  return issues
    .map((i) => {
      const flag = rename?.(i);
      const where = flag ?? `${source}: ${formatPath(i.path)}`;
      return `  ${where}: ${i.message} [${i.code}]`;
    })
    .join("\n");
}

/** Writes a file atomically (a temporary file renamed into place); on failure no temporary file is left. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/** Writes to a stream and waits until it has taken the data. */
export function write(stream: Writable, data: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(data, (err) => (err ? reject(err) : resolve()));
  });
}
