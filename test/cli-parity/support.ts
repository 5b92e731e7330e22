/**
 * The parity harness: one capturing SES endpoint on 127.0.0.1 that answers SendBounce and keeps
 * each request's decoded form body, and runners for the real AWS CLI v2 (Debian's `awscli`,
 * /usr/bin/aws) and the built `dsnkit`, each in a clean environment whose access key names the
 * run, so runs can overlap and every request is traced to the run that sent it.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { diagnosticField, mtaField } from "@dsnkit/core";
import { clockEnv } from "../support/clock-env.js";

export const ROOT = resolve(import.meta.dirname, "../..");
export const AWS = "/usr/bin/aws";
export const DSNKIT = join(ROOT, "packages/cli/dist/bin.js");

/** One request the endpoint received. */
export interface Captured {
  /** The decoded form body, parameter by parameter. */
  params: Record<string, string>;
  /** From the SigV4 Authorization header. */
  accessKeyId: string;
  region: string;
}

/** The capturing endpoint. */
export interface CaptureServer {
  url: string;
  /** Requests signed with this access key id, in arrival order. */
  requests(accessKeyId: string): Captured[];
  close(): Promise<void>;
}

/** Starts the capturing SES endpoint on 127.0.0.1, port 0. */
export async function startCaptureServer(): Promise<CaptureServer> {
  const seen: Captured[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString("utf8")));
      const auth = /Credential=([^/]+)\/\d{8}\/([^/]+)\/ses\/aws4_request/.exec(req.headers.authorization ?? "");
      seen.push({ params, accessKeyId: auth?.[1] ?? "", region: auth?.[2] ?? "" });
      res.writeHead(200, { "content-type": "text/xml" });
      res.end(
        '<SendBounceResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><SendBounceResult>' +
          `<MessageId>0100-parity-${seen.length}</MessageId></SendBounceResult>` +
          "<ResponseMetadata><RequestId>parity</RequestId></ResponseMetadata></SendBounceResponse>",
      );
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: (key) => seen.filter((r) => r.accessKeyId === key),
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** What a run printed and how it ended. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Checks the two programs are there; a missing one fails the test with the fix. */
export function checkTools(): void {
  if (!existsSync(AWS)) throw new Error(`the AWS CLI v2 is missing at ${AWS}: run sh scripts/test-tools.sh (Debian's awscli package)`);
  if (!existsSync(DSNKIT)) throw new Error(`${DSNKIT} is missing: build first with npx tsc -b`);
}

/**
 * Writes an empty AWS home (config and credentials files) under `dir`, plus the files a test
 * asks for, and returns the environment a child runs in: nothing from the parent but PATH and
 * a faked clock's variables (see clockEnv).
 */
export function childEnv(dir: string, accessKeyId: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  mkdirSync(dir, { recursive: true });
  const config = join(dir, "config");
  const credentials = join(dir, "credentials");
  if (!existsSync(config)) writeFileSync(config, "");
  if (!existsSync(credentials)) writeFileSync(credentials, "");
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: dir,
    LANG: "C.UTF-8",
    LC_ALL: "C.UTF-8",
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: credentials,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: "parity-secret",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_REGION: "us-east-1",
    AWS_PAGER: "",
    AWS_EC2_METADATA_DISABLED: "true",
    ...clockEnv(),
    ...extra,
  };
}

// At most this many child processes at once: more only make each run slower on a small machine.
let slots = Math.max(2, availableParallelism());
const waiting: (() => void)[] = [];
async function acquire(): Promise<void> {
  if (slots > 0) {
    slots--;
    return;
  }
  await new Promise<void>((resume) => waiting.push(resume));
}
function release(): void {
  const next = waiting.shift();
  if (next) next();
  else slots++;
}

/** Runs a program to completion (killed after `timeoutMs`), in `cwd`, with `env`. */
export async function runProgram(file: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string, timeoutMs = 60_000): Promise<RunResult> {
  await acquire();
  try {
    return await spawnOnce(file, args, env, cwd, timeoutMs);
  } finally {
    release();
  }
}

function spawnOnce(file: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string, timeoutMs: number): Promise<RunResult> {
  return new Promise((done, fail) => {
    const child = execFile(file, args, { env, cwd, timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const err = error as { code?: unknown; killed?: boolean } | null;
      if (err?.killed) return fail(new Error(`${file} ${args.join(" ")} timed out after ${timeoutMs} ms`));
      if (err && typeof err.code !== "number") return fail(error);
      done({ code: typeof err?.code === "number" ? err.code : 0, stdout: String(stdout), stderr: String(stderr) });
    });
    child.stdin?.end();
  });
}

/** The timestamp members of SendBounce, as query parameter names end. */
const TIMESTAMP = /(?:\.ArrivalDate|\.LastAttemptDate)$/;

/**
 * A captured request with timestamps as instants (milliseconds), since the AWS CLI writes
 * microseconds (`.500000Z`) where the JS SDK writes milliseconds (`.500Z`).
 */
export function normalized(params: Record<string, string>): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(params)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, TIMESTAMP.test(k) ? Date.parse(v) : v]),
  );
}

const MTA = /(?:^MessageDsn\.ReportingMta|\.RemoteMta)$/;
const DIAGNOSTIC = /\.DiagnosticCode$/;

/**
 * The AWS CLI's request in dsnkit's canonical form: what `@dsnkit/ses` sends for the same values.
 * MTA names and diagnostic codes carry their type (`mx.example.com` → `dns; mx.example.com`, a
 * bare diagnostic → `smtp; …`), so SES writes the fields dsnkit's preview shows; timestamps are
 * whole seconds, as a DSN's dates are. Everything else is left as it is.
 */
export function canonical(params: Record<string, string>): Record<string, string | number> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    if (MTA.test(k)) {
      const m = mtaField(v);
      out[k] = typeof m === "string" ? v : `${m.type}; ${m.name}`;
    } else if (DIAGNOSTIC.test(k)) {
      const d = diagnosticField(v);
      out[k] = typeof d === "string" ? v : `${d.type}; ${d.text}`;
    } else if (TIMESTAMP.test(k)) out[k] = new Date(Math.floor(Date.parse(v) / 1000) * 1000).toISOString();
    else out[k] = v;
  }
  return normalized(out);
}
