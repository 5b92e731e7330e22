/**
 * What every command shares: the streams it talks to, errors that carry an exit code, and reading
 * inputs (files, `file://` URLs, stdin) with errors that name the flag or file at fault.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { dirname, basename, join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { DEFAULT_PARSE_LIMITS, formatPath } from "@dsnkit/core";
import type { Issue } from "@dsnkit/core";
import { findJsonError } from "./json.js";
import { CliError, EXIT } from "./exit.js";

export { CliError, EXIT } from "./exit.js";

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
 * The most octets the command reads from one input (a file, stdin, a `file://` value) unless
 * `--max-input-size` says otherwise: 16 MiB. The limit is applied while reading, so input that
 * never ends (`/dev/zero`, an endless pipe) costs at most this much memory before it is refused.
 *
 * @example
 * DEFAULT_MAX_INPUT_SIZE;
 * //=> 16777216
 */
export const DEFAULT_MAX_INPUT_SIZE = 16 * 1024 * 1024;

/**
 * Thrown by the bounded readers when an input holds more than `limit` octets. Reading stopped
 * one chunk past the limit; nothing more was read.
 *
 * @example
 * try { readFileLimited("/dev/zero", 1024); } catch (e) { (e as InputTooLargeError).limit; }
 * //=> 1024
 */
export class InputTooLargeError extends Error {
  override readonly name = "InputTooLargeError";
  constructor(readonly limit: number) {
    super(`it is larger than ${limit} octets`);
  }
}

/** How many octets one read takes. */
const CHUNK = 64 * 1024;

/**
 * Reads all of a stream, up to `limit` octets.
 *
 * @throws {InputTooLargeError} as soon as more than `limit` octets have come (the stream is destroyed).
 */
export async function readAll(stream: Readable, limit = Number.POSITIVE_INFINITY): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    // Leaving the loop by throwing destroys the stream: nothing more is read.
    if (size > limit) throw new InputTooLargeError(limit);
    chunks.push(b);
  }
  return Buffer.concat(chunks, size);
}

/**
 * Reads a file, up to `limit` octets, in chunks: a regular file over the limit is refused from its
 * size without being read; a device or a pipe (`/dev/zero`, `<(cmd)`) is read until it ends or
 * passes the limit.
 *
 * @throws {InputTooLargeError} when the file holds more than `limit` octets.
 * @throws {Error} with the file system's code (`ENOENT`, `EISDIR`, ...) when it cannot be read.
 * @example
 * readFileLimited("request.json", DEFAULT_MAX_INPUT_SIZE).toString("utf8");
 * //=> '{"OriginalMessageId": ...}'
 */
export function readFileLimited(path: string, limit: number): Buffer {
  const fd = openSync(path, "r");
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read`), { code: "EISDIR" });
    if (st.isFile() && st.size > limit) throw new InputTooLargeError(limit);
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, limit - size + 1));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      size += n;
      if (size > limit) throw new InputTooLargeError(limit);
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, size);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads the value of `--max-input-size`: a whole number of octets from 1 to 128 MiB (the most
 * `parseDsn` reads), or the default when the flag is not given.
 *
 * @throws {CliError} naming the flag, when the value is not such a number.
 * @example
 * maxInputSize("33554432");
 * //=> 33554432
 */
export function maxInputSize(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MAX_INPUT_SIZE;
  const most = DEFAULT_PARSE_LIMITS.maxInputLength;
  if (!/^\d{1,10}$/.test(value) || Number(value) < 1 || Number(value) > most)
    throw new CliError(`--max-input-size: ${JSON.stringify(value)} is not a whole number of octets from 1 to ${most}`);
  return Number(value);
}

/** Strips a `file://` prefix (the AWS CLI's convention). */
export function filePath(spec: string): string {
  return spec.startsWith("file://") ? spec.slice("file://".length) : spec;
}

/**
 * Reads a file named by `spec` (a path, `file://path`, or `-` for stdin), at most `limit` octets
 * (see {@link DEFAULT_MAX_INPUT_SIZE}). `what` names the flag or argument in errors.
 */
export async function readInput(spec: string, io: Io, what: string, limit = DEFAULT_MAX_INPUT_SIZE): Promise<Buffer> {
  const path = spec === "-" ? "(stdin)" : filePath(spec);
  try {
    return spec === "-" ? await readAll(io.stdin, limit) : readFileLimited(path, limit);
  } catch (e) {
    if (e instanceof InputTooLargeError)
      throw new CliError(`${what}: ${path} is larger than ${limit} octets, the most dsnkit reads; nothing was done (--max-input-size raises the limit)`);
    throw new CliError(`${what}: cannot read ${path}: ${describeFsError(e)}`);
  }
}

/**
 * Why a file cannot be read, in words: `no such file`, `it is a directory`, ….
 *
 * @example
 * describeFsError(Object.assign(new Error("x"), { code: "ENOENT" }));
 * //=> "no such file"
 */
export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return (e as Error).message;
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
