/**
 * `dsnkit parse`: a DSN in, its RFC 3464 model out as JSON.
 */
import { Command } from "commander";
import { DsnParseError, parseDsn } from "@dsnkit/core";
import { CliError, EXIT, maxInputSize, readInput, write } from "../io.js";
import type { Io } from "../io.js";

interface ParseFlags {
  strict?: boolean;
  compact?: boolean;
  maxInputSize?: string;
}

/** Where the input came from, for messages: the path, or `(stdin)`. */
export function sourceName(spec: string): string {
  return spec === "-" ? "(stdin)" : spec.replace(/^file:\/\//, "");
}

/** A DsnParseError for the terminal: `file:line: message [code]`. */
export function formatParseError(e: DsnParseError, source: string): string {
  return `${source}:${e.line}: ${e.message.replace(/^line \d+: /, "")} [${e.code}]`;
}

async function run(spec: string, flags: ParseFlags, io: Io): Promise<number> {
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
        "Exit status: 0 read; 1 --strict and something had to be tolerated; 2 unreadable, or not a DSN.",
    )
    .argument("[file]", "the DSN: a path, file://path, or - for stdin (the default)", "-")
    .option("--strict", "fail (exit 1) at the first thing that has to be tolerated")
    .option("--compact", "print the JSON on one line")
    .option("--max-input-size <octets>", "most octets to read (default 16 MiB; at most 128 MiB)")
    .action(async (file: string, flags: ParseFlags) => done(await run(file, flags, io)));
}
