/**
 * Runs the external readers dsnkit's output is held against: Python's standard `email` package
 * (test/interop/read_dsn.py) and the Perl bounce classifiers Sisimai and
 * Mail::DeliveryStatus::BounceParser (test/interop/classify.pl). A missing tool fails the test
 * with the command that installs it; it never skips.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");

/** What Python's `email` package sees in one DSN. */
export interface PyPart {
  content_type: string;
  charset: string | null;
  cte: string | null;
  defects: string[];
  text?: string;
  blocks?: [string, string][][];
  headers?: [string, string][];
  body?: string | null;
}
export interface PyDsn {
  file: string;
  defects: string[];
  headers: [string, string][];
  content_type: string;
  report_type: string | null;
  boundary: string | null;
  parts: PyPart[];
}

/** What the Perl classifiers say about one DSN. */
export interface Classification {
  file: string;
  /** `agent`: the Sisimai module that recognised the bounce (`ReceivingSES`, `RFC3464`, ...). */
  sisimai: { recipient: string; reason: string; status: string; action: string; softbounce: number; diagnostic: string; agent: string }[];
  bounceparser: { email: string; std_reason: string; status: string; action: string }[];
}

async function tool(cmd: string, args: string[], install: string): Promise<string> {
  try {
    const { stdout } = await run(cmd, args, { maxBuffer: 64 * 1024 * 1024, cwd: root });
    return stdout;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === "ENOENT" || /Can't locate/.test(err.stderr ?? ""))
      throw new Error(`${cmd} or its modules are missing; run: sh scripts/test-tools.sh (${install})\n${err.stderr ?? ""}`);
    throw new Error(`${cmd} ${args.join(" ")} failed: ${err.stderr ?? err.message}`);
  }
}

/** Writes messages to a temporary directory, runs `fn` on their paths, and removes the directory. */
export async function withFiles<T>(messages: readonly string[], fn: (paths: string[]) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "dsnkit-"));
  try {
    const paths = messages.map((m, i) => {
      const p = join(dir, `${i}.eml`);
      writeFileSync(p, m);
      return p;
    });
    return await fn(paths);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Reads messages with Python's standard `email` package. */
export async function readWithPython(messages: readonly string[]): Promise<PyDsn[]> {
  return withFiles(messages, async (paths) =>
    JSON.parse(await tool("python3", [join(root, "test/interop/read_dsn.py"), ...paths], "apt-get install python3")) as PyDsn[],
  );
}

/** Classifies messages with Sisimai and BounceParser. */
export async function classify(messages: readonly string[]): Promise<Classification[]> {
  return withFiles(messages, async (paths) => {
    const out = await tool(
      "perl",
      [join(root, "test/interop/classify.pl"), ...paths],
      "apt-get install libsisimai-perl libmail-deliverystatus-bounceparser-perl",
    );
    return out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Classification);
  });
}

/** The value of the first field called `name` (case-insensitive) in a list of [name, value]. */
export function get(fields: readonly [string, string][] | undefined, name: string): string | undefined {
  return fields?.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}
