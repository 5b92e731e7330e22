/** Runs `dsnkit` in-process with captured streams. */
import { PassThrough, Readable } from "node:stream";
import { main } from "../src/main.js";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function dsnkit(args: string[], stdin = ""): Promise<RunResult> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = "";
  let stderr = "";
  out.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
  err.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  const code = await main(args, { stdin: Readable.from([Buffer.from(stdin)]), stdout: out, stderr: err, isTTY: false });
  return { code, stdout, stderr };
}
