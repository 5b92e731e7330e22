/**
 * What `dsnkit parse` runs (its definition is commands/parse.ts): a DSN in, its RFC 3464 model out
 * as JSON.
 */
import { DsnParseError, parseDsn } from "@dsnkit/core";
import { summarizeCorpus } from "../corpus.js";
import { CliError, EXIT, filePath, maxInputSize, readInput, write } from "../io.js";
import type { Io } from "../io.js";

/** The options of `dsnkit parse`, as commander reads them. */
export interface ParseFlags {
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

/** Runs `dsnkit parse` and resolves to its exit code; errors meant for the user are thrown as CliError. */
export async function runParse(spec: string, flags: ParseFlags, io: Io): Promise<number> {
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
