/**
 * `dsnkit check`: the RFC rules a DSN breaks, each with its line.
 */
import { Command } from "commander";
import { checkDsn } from "@dsnkit/core";
import type { Finding } from "@dsnkit/core";
import { EXIT, maxInputSize, readInput, write } from "../io.js";
import type { Io } from "../io.js";
import { sourceName } from "./parse.js";

interface CheckFlags {
  json?: boolean;
  maxInputSize?: string;
}

/** One finding for the terminal: `file:line: severity rule: message [RFC section]`. */
export function formatFinding(f: Finding, source: string): string {
  return `${source}:${f.line}: ${f.severity} ${f.rule}: ${f.message} [${f.rfc}]`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

async function run(spec: string, flags: CheckFlags, io: Io): Promise<number> {
  const source = sourceName(spec);
  const raw = await readInput(spec, io, "input", maxInputSize(flags.maxInputSize));
  const findings = checkDsn(raw);
  const errors = findings.filter((f) => f.severity === "error").length;
  if (flags.json) await write(io.stdout, JSON.stringify(findings, null, 2) + "\n");
  else {
    let out = "";
    for (const f of findings) out += formatFinding(f, source) + "\n";
    out += findings.length === 0 ? `${source}: no findings\n` : `${source}: ${plural(errors, "error")}, ${plural(findings.length - errors, "warning")}\n`;
    await write(io.stdout, out);
  }
  // An empty input (or one that is not text or octets) cannot be checked: that is unreadable input.
  if (findings.some((f) => f.rule === "dsnkit.invalid-input")) return EXIT.INVALID_INPUT;
  return errors > 0 ? EXIT.FAILED : EXIT.OK;
}

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
    .action(async (file: string, flags: CheckFlags) => done(await run(file, flags, io)));
}
