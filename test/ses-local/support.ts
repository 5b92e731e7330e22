/**
 * What the ses-local end-to-end tests share: finding the external clients (the AWS CLI v1 and a
 * Python with boto3), running a command with a time limit (and killing it on timeout), and the
 * emulator as a child process of the built CLI. A missing tool fails with how to get it.
 */
import { execFile, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, symlink, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import ts from "typescript";
import { afterEach } from "vitest";
import { tempDir } from "../../packages/ses-local/test/helpers.js";

export const ROOT = resolve(import.meta.dirname, "../..");
export const HELPER = resolve(import.meta.dirname, "ses_local_helper.py");
export const CLI = resolve(ROOT, "packages/cli/dist/bin.js");

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (killed after `timeoutMs`); never rejects for a non-zero exit. */
export function run(cmd: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile(cmd, args, { env: options.env ?? process.env, timeout: options.timeoutMs ?? 120_000, killSignal: "SIGKILL", maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string; signal?: NodeJS.Signals }) | null;
      if (e && typeof e.code === "string") return reject(new Error(`${cmd}: ${e.message}`));
      resolvePromise({ code: e ? (typeof e.code === "number" ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

let awsV1: Promise<string> | undefined;

/**
 * The AWS CLI version 1: `DSNKIT_AWS_CLI_V1` when set, else pyenv's shim, else any `aws` on the
 * PATH whose `--version` says aws-cli/1 (Debian's awscli package is version 2 and is skipped).
 */
export function findAwsCliV1(): Promise<string> {
  return (awsV1 ??= (async () => {
    const candidates = [process.env.DSNKIT_AWS_CLI_V1, "/root/.pyenv/shims/aws"];
    const which = await run("sh", ["-c", "which -a aws || true"]);
    candidates.push(...which.stdout.split("\n").map((s) => s.trim()));
    const seen: string[] = [];
    for (const c of candidates) {
      if (!c || seen.includes(c)) continue;
      seen.push(c);
      const v = await run(c, ["--version"], { timeoutMs: 30_000 }).catch(() => undefined);
      if (v !== undefined && /^aws-cli\/1\./.test((v.stdout + v.stderr).trim())) return c;
    }
    throw new Error(
      `the AWS CLI version 1 is needed and was not found (looked at ${seen.join(", ") || "nothing"}); install it with: pip install awscli (or set DSNKIT_AWS_CLI_V1 to its path)`,
    );
  })());
}

let python: Promise<string> | undefined;

/** A Python 3 that can import boto3: `DSNKIT_PYTHON`, pyenv's shim, `python3`, `/usr/bin/python3`. */
export function findPythonWithBoto3(): Promise<string> {
  return (python ??= (async () => {
    const candidates = [process.env.DSNKIT_PYTHON, "/root/.pyenv/shims/python3", "python3", "/usr/bin/python3"];
    for (const c of candidates) {
      if (!c) continue;
      const r = await run(c, ["-c", "import boto3, email; print(boto3.__version__)"], { timeoutMs: 30_000 }).catch(() => undefined);
      if (r?.code === 0) return c;
    }
    throw new Error("a python3 with boto3 is needed and was not found; install it with: pip install boto3 (or set DSNKIT_PYTHON to a python3 that has it)");
  })());
}

/** The environment for an AWS client: only these credentials, no profile or config file. */
export function awsEnv(endpointCredentials: { accessKeyId: string; secretAccessKey: string; region: string }, scratch: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("AWS_")) env[k] = v;
  return {
    ...env,
    AWS_ACCESS_KEY_ID: endpointCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: endpointCredentials.secretAccessKey,
    AWS_DEFAULT_REGION: endpointCredentials.region,
    AWS_CONFIG_FILE: resolve(scratch, "no-aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: resolve(scratch, "no-aws-credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_PAGER: "",
  };
}

/** The emulator run as `node packages/cli/dist/bin.js ses-local ...`, with the ports it printed. */
export interface EmulatorProcess {
  child: ChildProcess;
  smtpPort: number;
  httpPort: number;
  endpoint: string;
  /** Everything it wrote to stdout so far. */
  output: () => string;
  /** Resolves with the exit code and signal when it exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the built CLI's emulator and waits for its start-up lines (SMTP and SES API addresses). */
export function startEmulatorProcess(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<EmulatorProcess> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, "ses-local", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once("exit", (code, signal) => r({ code, signal })));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the emulator did not start within 20 s:\n${out}\n${err}`));
    }, 20_000);
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString("utf8");
      const smtp = /SMTP\s+smtp:\/\/[^\s]+:(\d+)/.exec(out);
      const http = /SES API\s+(http:\/\/[^\s]+:(\d+))/.exec(out);
      if (smtp && http && out.includes("Stop it with")) {
        clearTimeout(timer);
        resolvePromise({ child, smtpPort: Number(smtp[1]), httpPort: Number(http[2]), endpoint: http[1]!, output: () => out, exited });
      }
    });
    child.stderr!.on("data", (c: Buffer) => (err += c.toString("utf8")));
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited (code ${code}, signal ${signal}) before it started:\n${out}\n${err}`));
    });
  });
}

/** Stops a child process that may still run: SIGKILL, then wait for its exit. */
export async function stopProcess(p: EmulatorProcess | undefined): Promise<void> {
  if (p === undefined || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill("SIGKILL");
  await p.exited;
}

/**
 * Emulator processes and scratch directories for the tests of one file: `start` runs the built
 * CLI's emulator, `scratch` makes a temporary directory, and after each test every process
 * started is stopped and every directory removed.
 */
export function emulatorsPerTest(): { start: (args: string[], env?: NodeJS.ProcessEnv) => Promise<EmulatorProcess>; scratch: () => Promise<string> } {
  const running: EmulatorProcess[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const p of running.splice(0)) await stopProcess(p);
    for (const c of cleanups.splice(0)) await c();
  });
  return {
    start: async (args, env) => {
      if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first with npx tsc -b`);
      const p = await startEmulatorProcess(args, env);
      running.push(p);
      return p;
    },
    scratch: async () => {
      const t = await tempDir();
      cleanups.push(t.remove);
      return t.dir;
    },
  };
}

/** The receipt-rule Lambda handler of the guide (docs/ses.md shows this file word for word). */
export const GUIDE_HANDLER = resolve(ROOT, "packages/ses/examples/receipt-rule-lambda.ts");

/**
 * The guide's handler as a function could deploy it: the real file, unmodified, compiled to
 * JavaScript (type annotations erased, nothing else changed) as `receipt-rule-lambda.mjs` in
 * `dir`, next to a `node_modules` link to the workspace's, so that its imports (`@dsnkit/ses`,
 * `@aws-sdk/client-ses`) resolve to the built packages. Returns the module's path.
 */
export async function buildGuideHandler(dir: string): Promise<string> {
  const source = await readFile(GUIDE_HANDLER, "utf8");
  const guide = await readFile(resolve(ROOT, "docs/ses.md"), "utf8");
  if (!guide.includes(`<!-- file: packages/ses/examples/receipt-rule-lambda.ts -->\n\`\`\`ts\n${source}\`\`\`\n`))
    throw new Error("docs/ses.md does not show packages/ses/examples/receipt-rule-lambda.ts as it is");
  const out = ts.transpileModule(source, {
    fileName: "receipt-rule-lambda.ts",
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  });
  if ((out.diagnostics ?? []).length > 0) throw new Error(`the guide's handler does not compile: ${ts.flattenDiagnosticMessageText(out.diagnostics![0]!.messageText, "\n")}`);
  const file = join(dir, "receipt-rule-lambda.mjs");
  await writeFile(file, out.outputText);
  await symlink(resolve(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return file;
}
