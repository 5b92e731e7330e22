/**
 * `dsnkit parse`: a DSN in, its RFC 3464 model out as JSON.
 */
import { Command } from "commander";
import { DsnParseError, parseDsn } from "@dsnkit/core";
import { summarizeCorpus } from "../corpus.js";
import { CliError, EXIT, filePath, maxInputSize, readInput, write } from "../io.js";
import type { Io } from "../io.js";

interface ParseFlags {
  strict?: boolean;
  compact?: boolean;
  maxInputSize?: string;
  summary?: boolean;
}

/** Where the input came from, for messages: the path, or `(stdin)`. */
export function sourceName(spec: string): string {
  return spec === "-" ? "(stdin)" : spec.replace(/^file:\/\//, "");
}

/** A DsnParseError for the terminal: `file:line: message [code]`. */
export function formatParseError(e: DsnParseError, source: string): string {
  return `${source}:${e.line}: ${e.message.replace(/^line \d+: /, "")} [${e.code}]`;
}

async function runSummary(spec: string, flags: ParseFlags, io: Io): Promise<number> {
  if (spec === "-") throw new CliError("--summary reads a folder (or a file): give its path, not -");
  const maxSize = maxInputSize(flags.maxInputSize);
  const path = filePath(spec);
  try {
    await summarizeCorpus(path, io, maxSize);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new CliError(`${path}: no such file or folder`);
    if (code === "EACCES") throw new CliError(`${path}: permission denied`);
    throw e;
  }
  return EXIT.OK;
}

async function run(spec: string, flags: ParseFlags, io: Io): Promise<number> {
  if (flags.summary === true) return runSummary(spec, flags, io);
  const source = sourceName(spec);
  const raw = await readInput(spec, io, "input", maxInputSize(flags.maxInputSize));
  let dsn;
  try {
    dsn = parseDsn(raw, { strict: flags.strict === true });
  } catch (e) {
    if (!(e instanceof DsnParseError)) throw e;
    throw new CliError(formatParseError(e, source), e.code === "strict" ? EXIT.FAILED : EXIT.INVALID_INPUT);
  }
  // Dates become ISO-8601 strings through Date.prototype.toJSON.
  await write(io.stdout, JSON.stringify(dsn, null, flags.compact ? undefined : 2) + "\n");
  return EXIT.OK;
}

/** Registers `dsnkit parse`. */
export function parseCommand(io: Io, done: (code: number) => void): Command {
  return new Command("parse")
    .summary("read a DSN and print its RFC 3464 model as JSON")
    .description(
      "Reads a Delivery Status Notification from FILE (a path, file://path, or - for stdin) and prints, as JSON: " +
        "the top-level headers, the decoded From/To/Subject/Date, the human-readable text, the RFC 3464 model " +
        "(deliveryStatus), the raw fields with their lines (details), the returned original, and what had to be " +
        "tolerated. Dates are ISO-8601 strings.\n\n" +
        "With --summary, FILE is a folder (an archive of bounces): every .eml under it is read and checked, and " +
        "one JSON line per file (recipients with their actions and statuses, tolerances, checkDsn's errors and " +
        "warnings as rule@line, milliseconds) is printed, then a summary line with counts per result, action, " +
        "tolerance and rule. A file over --max-input-size octets (default 16 MiB) is skipped and listed.\n\n" +
        "Exit status: 0 read (with --summary: the folder was read, whatever its files hold); 1 --strict and " +
        "something had to be tolerated; 2 unreadable, or not a DSN.",
    )
    .argument("[file]", "the DSN: a path, file://path, or - for stdin (the default)", "-")
    .option("--strict", "fail (exit 1) at the first thing that has to be tolerated")
    .option("--compact", "print the JSON on one line")
    .option("--max-input-size <octets>", "most octets to read (default 16 MiB; at most 128 MiB); with --summary, larger files are skipped and listed")
    .option("--summary", "FILE is a folder: read and check every .eml under it, one JSON line per file, then a summary")
    .action(async (file: string, flags: ParseFlags) => done(await run(file, flags, io)));
}
