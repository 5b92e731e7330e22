/**
 * What `dsnkit check` runs (its definition is commands/check.ts): the RFC rules a DSN breaks, each
 * with its line.
 */
import { checkDsn } from "@dsnkit/core";
import type { Finding } from "@dsnkit/core";
import { EXIT, maxInputSize, readInput, write } from "../io.js";
import type { Io } from "../io.js";
import { sourceName } from "./parse.js";

/** The options of `dsnkit check`, as commander reads them. */
export interface CheckFlags {
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

/** Runs `dsnkit check` and resolves to its exit code; errors meant for the user are thrown as CliError. */
export async function runCheck(spec: string, flags: CheckFlags, io: Io): Promise<number> {
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
