/**
 * `dsnkit parse --summary DIR`: reads every `.eml` under a folder (an archive of bounces) and
 * prints, one JSON line per file, what `parseDsn` read (recipients, actions, statuses), what it
 * tolerated and what `checkDsn` found, then one summary line. Bounded per file: a file over
 * `maxSize` octets is skipped (and listed), and within that size parsing and checking are linear
 * (`ParseLimits` bound the rest), so one hostile file cannot stall or exhaust a run.
 */
import { readdir, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { checkDsn, DsnParseError, parseDsn } from "@dsnkit/core";
import type { Finding } from "@dsnkit/core";
import { DEFAULT_MAX_INPUT_SIZE, InputTooLargeError, readFileLimited, write } from "./io.js";
import type { Io } from "./io.js";


/** Most files listed by name in the summary's `slowest`. */
const SLOWEST = 5;

/** One file's line. */
interface FileLine {
  file: string;
  /** `read`, `not_a_dsn` (or another DsnParseError code), or `skipped` (over the size limit). */
  result: string;
  bytes: number;
  ms: number;
  recipients?: { address: string; action: string | null; status: string | null; unrecognized?: { action?: string; status?: string } }[];
  tolerances?: string[];
  errors?: string[];
  warnings?: string[];
  error?: { code: string; line: number; message: string };
}

/** Every `.eml` file under `dir`, sorted, depth first; `dir` itself when it is a file. */
async function emlFiles(dir: string): Promise<string[]> {
  if (!(await stat(dir)).isDirectory()) return [dir];
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop()!;
    const entries = await readdir(d, { withFileTypes: true });
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile() && e.name.toLowerCase().endsWith(".eml")) out.push(p);
    }
  }
  return out.sort();
}

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
const sorted = (m: Map<string, number>) => Object.fromEntries([...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
const finding = (f: Finding) => `${f.rule}@${f.line}`;

/**
 * Reads every `.eml` under `dir` and writes one JSON line per file and a summary line to stdout.
 *
 * @returns the number of files with a checkDsn error or that could not be read as a DSN.
 */
export async function summarizeCorpus(dir: string, io: Io, maxSize = DEFAULT_MAX_INPUT_SIZE): Promise<{ files: number; failing: number }> {
  const files = await emlFiles(dir);
  const results = new Map<string, number>();
  const tolerances = new Map<string, number>();
  const errors = new Map<string, number>();
  const warnings = new Map<string, number>();
  const actions = new Map<string, number>();
  const times: { file: string; ms: number }[] = [];
  let recipients = 0;
  let failing = 0;
  const started = performance.now();
  for (const path of files) {
    const file = relative(dir, path) || path;
    const size = (await stat(path)).size;
    const line: FileLine = { file, result: "read", bytes: size, ms: 0 };
    // Read with the limit applied while reading: a file that grows, or a device (/dev/zero's size
    // is 0), is cut off at maxSize like a file that is larger.
    let raw: Uint8Array | undefined;
    if (size <= maxSize) {
      try {
        raw = readFileLimited(path, maxSize);
      } catch (e) {
        if (!(e instanceof InputTooLargeError)) throw e;
      }
    }
    if (raw === undefined) {
      line.result = "skipped";
      bump(results, "skipped");
      await write(io.stdout, JSON.stringify(line) + "\n");
      continue;
    }
    const t0 = performance.now();
    try {
      const dsn = parseDsn(raw);
      line.recipients = dsn.deliveryStatus.recipients.map((r) => {
        const o: NonNullable<FileLine["recipients"]>[number] = { address: r.finalRecipient.address, action: r.action ?? null, status: r.status ?? null };
        if (r.unrecognized !== undefined) o.unrecognized = r.unrecognized;
        bump(actions, r.action ?? `(unrecognized: ${r.unrecognized?.action ?? "not stated"})`);
        return o;
      });
      recipients += line.recipients.length;
      line.tolerances = dsn.tolerances.map((t) => `${t.code}@${t.line}`);
      for (const t of dsn.tolerances) bump(tolerances, t.code);
    } catch (e) {
      if (!(e instanceof DsnParseError)) throw e;
      line.result = e.code;
      line.error = { code: e.code, line: e.line, message: e.message };
    }
    const findings = checkDsn(raw);
    line.ms = Math.round((performance.now() - t0) * 100) / 100;
    line.errors = findings.filter((f) => f.severity === "error").map(finding);
    line.warnings = findings.filter((f) => f.severity === "warning").map(finding);
    for (const f of findings) bump(f.severity === "error" ? errors : warnings, f.rule);
    if (line.result !== "read" || line.errors.length > 0) failing++;
    bump(results, line.result);
    times.push({ file, ms: line.ms });
    await write(io.stdout, JSON.stringify(line) + "\n");
  }
  times.sort((a, b) => b.ms - a.ms);
  const summary = {
    summary: {
      dir,
      files: files.length,
      results: sorted(results),
      recipients,
      actions: sorted(actions),
      filesWithErrors: failing,
      tolerances: sorted(tolerances),
      errors: sorted(errors),
      warnings: sorted(warnings),
      slowest: times.slice(0, SLOWEST),
      seconds: Math.round(performance.now() - started) / 1000,
    },
  };
  await write(io.stdout, JSON.stringify(summary) + "\n");
  return { files: files.length, failing };
}
