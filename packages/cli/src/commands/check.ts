/**
 * `dsnkit check`: the RFC rules a DSN breaks, each with its line.
 *
 * The command's definition only: what it runs (run/check.ts) loads when it runs (see main.ts).
 */
import { Command } from "commander";
import type { Io } from "../io.js";
import type { CheckFlags } from "../run/check.js";

/** Registers `dsnkit check`. */
export function checkCommand(io: Io, done: (code: number) => void): Command {
  return new Command("check")
    .summary("list the RFC rules a DSN breaks, with their lines")
    .description(
      "Checks a Delivery Status Notification from FILE (a path, file://path, or - for stdin) against RFC 3464, " +
        "RFC 6522, RFC 2045/2046, RFC 5322, RFC 2047, RFC 3834 and RFC 6533, and prints one line per finding: " +
        "FILE:LINE: error|warning RULE-ID: what is wrong [RFC section]. With --json, prints the findings as JSON.\n\n" +
        "Exit status: 0 no errors (warnings allowed); 1 at least one error; 2 unreadable or empty input.",
    )
    .argument("[file]", "the DSN: a path, file://path, or - for stdin (the default)", "-")
    .option("--json", "print the findings as a JSON array of { rule, rfc, severity, message, line }")
    .option("--max-input-size <octets>", "most octets to read (default 16 MiB; at most 128 MiB)")
    .action(async (file: string, flags: CheckFlags) => {
      const { runCheck } = await import("../run/check.js");
      done(await runCheck(file, flags, io));
    });
}
