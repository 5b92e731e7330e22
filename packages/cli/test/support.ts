/** Runs `dsnkit` in-process with captured streams and a fixed clock. */
import { PassThrough, Readable } from "node:stream";
import { main } from "../src/main.js";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The clock of in-process runs: a little after the tests' fixed dates (2026-11-26T09:00-10:00Z),
 * so that SES's 24-hour window is open for them whatever day the tests run.
 */
export const TEST_NOW = new Date("2026-11-26T12:00:00Z");

export interface RunOptions {
  /** The command's clock (default {@link TEST_NOW}); `null` for main's own (SOURCE_DATE_EPOCH, else the system clock). */
  now?: Date | null;
}

export async function dsnkit(args: string[], stdin: string | Buffer = "", options: RunOptions = {}): Promise<RunResult> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = "";
  let stderr = "";
  out.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
  err.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  const now = options.now === undefined ? TEST_NOW : options.now;
  const code = await main(args, { stdin: Readable.from([typeof stdin === "string" ? Buffer.from(stdin) : stdin]), stdout: out, stderr: err, isTTY: false, ...(now !== null ? { now: () => new Date(now) } : {}) });
  return { code, stdout, stderr };
}
