/**
 * The command loads each command's code only when that command runs (issue 17): every command is a
 * definition (commands/<name>.ts, commander alone) whose action imports what it runs
 * (run/<name>.ts), so `dsnkit --help`, or one command's help, loads no command's work, and a
 * command that runs loads its own and nothing of the others'. Checked on the built command, as
 * `tsc -b` writes it or as `npm run build` bundles it (run/<name>.js is then chunks/<name>-*.js),
 * by the modules Node loads, which no load on the machine changes; the time it takes is measured
 * by `npm run bench`.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";

const root = resolve(import.meta.dirname, "../../..");
const bin = join(root, "packages/cli/bin/dsnkit.js");
const hook = join(import.meta.dirname, "fixtures/trace-loads.mjs");
const scratch = mkdtempSync(join(tmpdir(), "dsnkit-start-up-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const COMMANDS = ["render", "send-bounce", "ses-local", "parse", "check", "probe"];
/** Packages only some commands need: the SES adapter and SDK, ses-local, YAML, the progress bar, the probe's. */
const HEAVY = [/\/@aws-sdk\//, /\/@dsnkit\/ses\//, /\/@dsnkit\/ses-local\//, /\/@dsnkit\/testing\//, /\/packages\/(ses|ses-local|testing)\//, /\/yaml\//, /\/cli-progress\//];

let runs = 0;
/** Runs the built command and returns the modules it loaded (paths relative to the repository). */
async function loaded(args: string[]): Promise<string[]> {
  const trace = join(scratch, `loads-${runs++}.txt`);
  await promisify(execFile)(process.execPath, ["--import", hook, bin, ...args], { cwd: root, env: { ...process.env, DSNKIT_TRACE_LOADS: trace } });
  return readFileSync(trace, "utf8")
    .trim()
    .split("\n")
    .map((url) => url.replace(`file://${root}/`, ""));
}

/** The modules of a command's work: run/<name>.js as tsc writes it, chunks/<name>-<hash>.js bundled. */
const workOf = (name: string) => new RegExp(`^packages/cli/dist/(run/${name}\\.js|chunks/${name}-[^/]*\\.js)$`);

describe("the command loads only what the command that runs needs (run `npm run build` or `tsc -b` first)", () => {
  test("dsnkit --help, and each command's --help, load no command's work, no @dsnkit/core and none of the heavy packages", async () => {
    for (const args of [["--help"], ...COMMANDS.map((c) => [c, "--help"])]) {
      const files = await loaded(args);
      expect(files.length, args.join(" ")).toBeGreaterThan(1);
      for (const name of COMMANDS) expect(files.filter((f) => workOf(name).test(f)), `${args.join(" ")} loads ${name}'s work`).toEqual([]);
      expect(files.filter((f) => /\/core\/dist\//.test(f) || HEAVY.some((h) => h.test(f))), args.join(" ")).toEqual([]);
    }
  });

  test("dsnkit render loads its own work and none of the other commands' nor the heavy packages", async () => {
    const files = await loaded(["render", "docs/examples/does-not-exist.json", "--original-sender", "s@example.org", "--date", "2026-11-26T10:00:00Z"]);
    expect(files.filter((f) => workOf("render").test(f))).toHaveLength(1);
    for (const name of COMMANDS.filter((c) => c !== "render")) expect(files.filter((f) => workOf(name).test(f)), name).toEqual([]);
    expect(files.filter((f) => HEAVY.some((h) => h.test(f)))).toEqual([]);
  });

  test("dsnkit check loads its own work and none of render's, send-bounce's, ses-local's nor the heavy packages", async () => {
    const files = await loaded(["check", "docs/examples/bounce.eml"]);
    expect(files.filter((f) => workOf("check").test(f))).toHaveLength(1);
    for (const name of ["render", "send-bounce", "ses-local"]) expect(files.filter((f) => workOf(name).test(f)), name).toEqual([]);
    expect(files.filter((f) => HEAVY.some((h) => h.test(f)))).toEqual([]);
  });
});
