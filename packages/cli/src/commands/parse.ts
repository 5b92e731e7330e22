/**
 * `dsnkit parse`: a DSN in, its RFC 3464 model out as JSON.
 *
 * The command's definition only: what it runs (run/parse.ts) loads when it runs (see main.ts).
 */
import { Command } from "commander";
import type { Io } from "../io.js";
import type { ParseFlags } from "../run/parse.js";

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
    .action(async (file: string, flags: ParseFlags) => {
      const { runParse } = await import("../run/parse.js");
      done(await runParse(file, flags, io));
    });
}
