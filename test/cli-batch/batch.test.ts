/**
 * A batch of 50 bounces against ses-local (its rate raised for the test), interrupted with Ctrl-C
 * after about 20 and run again: every bounce is sent exactly once, counted on the server.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import SMTPConnection from "nodemailer/lib/smtp-connection";
import { startSesLocal } from "@dsnkit/ses-local";
import type { SesLocal } from "@dsnkit/ses-local";
import { clockEnv } from "../support/clock-env.js";

const ROOT = resolve(import.meta.dirname, "../..");
const DSNKIT = join(ROOT, "packages/cli/dist/bin.js");
const TOTAL = 50;
const ACCESS_KEY_ID = "AKIDBATCHTEST";
const SECRET = "batch-test-secret";

let ses: SesLocal | undefined;
let dir: string;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  if (!existsSync(DSNKIT)) throw new Error(`${DSNKIT} is missing: build first with npx tsc -b`);
  dir = mkdtempSync(join(tmpdir(), "dsnkit-cli-batch-"));
  ses = await startSesLocal({
    smtpPort: 0,
    httpPort: 0,
    dataDir: join(dir, "ses-local"),
    domains: ["example.com"],
    identities: ["mailer-daemon@example.com"],
    credentials: [{ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET }],
    rate: 40, // SES allows 1 SendBounce a second; raised so the test takes seconds, not minutes
  });
});

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await ses?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Delivers the originals over SMTP, one connection, and returns their SES message ids. */
async function deliverOriginals(port: number, n: number): Promise<string[]> {
  const connection = new SMTPConnection({ host: "127.0.0.1", port, ignoreTLS: true, name: "client.example.org" });
  await new Promise<void>((done, fail) => {
    connection.once("error", fail);
    connection.connect((err) => (err ? fail(err) : done()));
  });
  const ids: string[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const raw =
        `From: Sender <sender@example.org>\r\nTo: user${i}@example.com\r\nSubject: message ${i}\r\n` +
        `Date: Thu, 26 Nov 2026 09:59:50 +0000\r\nMessage-ID: <m${i}@example.org>\r\n\r\nHello ${i}.\r\n`;
      const info = await new Promise<{ response: string }>((done, fail) =>
        connection.send({ from: "sender@example.org", to: [`user${i}@example.com`] }, raw, (err, info) => (err ? fail(err) : done(info))),
      );
      const id = /^250 Ok (\S+)$/.exec(info.response)?.[1];
      if (id === undefined) throw new Error(`unexpected SMTP reply: ${info.response}`);
      ids.push(id);
    }
  } finally {
    connection.quit();
  }
  return ids;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built dsnkit; `onStderrLine` may interrupt it. */
function runDsnkit(args: string[], onStderrLine: (line: string, child: ChildProcess) => void = () => undefined): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [DSNKIT, ...args], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: SECRET,
        AWS_REGION: "us-east-1",
        AWS_CONFIG_FILE: join(dir, "no-config"),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, "no-credentials"),
        AWS_EC2_METADATA_DISABLED: "true",
        ...clockEnv(),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.add(child);
    let stdout = "";
    let stderr = "";
    let partial = "";
    child.stdout!.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr!.on("data", (c: Buffer) => {
      const text = c.toString("utf8");
      stderr += text;
      partial += text;
      let nl: number;
      while ((nl = partial.indexOf("\n")) >= 0) {
        onStderrLine(partial.slice(0, nl), child);
        partial = partial.slice(nl + 1);
      }
    });
    child.once("error", fail);
    child.once("close", (code, signal) => {
      children.delete(child);
      done({ code, signal, stdout, stderr });
    });
  });
}

/** Writes a requests file bouncing each original's recipient. */
function writeRequests(name: string, ids: readonly string[]): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    ids
      .map((id, i) =>
        JSON.stringify({
          OriginalMessageId: id,
          BounceSender: "mailer-daemon@example.com",
          BouncedRecipientInfoList: [{ Recipient: `user${i}@example.com`, BounceType: i % 2 === 0 ? "DoesNotExist" : "ExceededQuota" }],
        }),
      )
      .join("\n") + "\n",
  );
  return file;
}

test(`a batch of ${TOTAL}, interrupted after about 20 and run again, sends every bounce exactly once`, async () => {
  const ids = await deliverOriginals(ses!.smtpPort, TOTAL);
  expect(new Set(ids).size).toBe(TOTAL);
  const file = writeRequests("requests.jsonl", ids);
  const args = ["send-bounce", "--batch", file, "--endpoint-url", ses!.endpoint, "--rate", "10"];

  // First run: Ctrl-C (SIGINT) once 20 bounces are reported sent.
  let interruptedAt = 0;
  const first = await runDsnkit(args, (line, child) => {
    const m = /^dsnkit: \[(\d+)\/\d+\] line \d+: sent: /.exec(line);
    if (m !== null && interruptedAt === 0 && Number(m[1]) >= 20) {
      interruptedAt = Number(m[1]);
      child.kill("SIGINT");
    }
  });
  expect(interruptedAt, first.stderr).toBe(20);
  expect(first.code, first.stderr).toBe(130);
  expect(first.stderr).toContain("interrupted: no new bounces start");
  const afterFirst = ses!.bounces().length;
  // The calls in flight at the interrupt finished; no new one started.
  expect(afterFirst).toBeGreaterThanOrEqual(20);
  expect(afterFirst).toBeLessThan(TOTAL);
  const sentNow = Number(/sent now:\s+(\d+)/.exec(first.stdout)?.[1]);
  expect(sentNow).toBe(afterFirst);
  expect(first.stdout).toMatch(new RegExp(`not started:\\s+${TOTAL - afterFirst}`));

  // Second run: the journal skips what was sent; the rest is sent.
  const second = await runDsnkit(args);
  expect(second.code, second.stderr).toBe(0);
  expect(second.stdout).toMatch(new RegExp(`sent before:\\s+${afterFirst} `));
  expect(second.stdout).toMatch(new RegExp(`sent now:\\s+${TOTAL - afterFirst}\\n`));

  // Server side: exactly one bounce per original, 50 in all.
  const bounces = ses!.bounces();
  expect(bounces).toHaveLength(TOTAL);
  const perOriginal = new Map<string, number>();
  for (const b of bounces) perOriginal.set(b.originalMessageId, (perOriginal.get(b.originalMessageId) ?? 0) + 1);
  expect([...perOriginal.keys()].sort()).toEqual([...ids].sort());
  expect([...perOriginal.values()].every((n) => n === 1)).toBe(true);

  // The journal agrees: one "sent" per bounce, each after its "sending".
  const journal = readFileSync(`${file}.journal`, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { event: string; key: string; messageId?: string });
  const sent = journal.filter((e) => e.event === "sent");
  expect(sent).toHaveLength(TOTAL);
  expect(new Set(sent.map((e) => e.key)).size).toBe(TOTAL);
  expect(new Set(sent.map((e) => e.messageId))).toEqual(new Set(bounces.map((b) => b.bounceId)));

  // A third run sends nothing.
  const third = await runDsnkit(args);
  expect(third.code).toBe(0);
  expect(ses!.bounces()).toHaveLength(TOTAL);
}, 180_000);

test("killed outright (SIGKILL), a batch still never sends a bounce twice; a call that was in flight is reported, not resent", async () => {
  const before = ses!.bounces().length;
  const ids = await deliverOriginals(ses!.smtpPort, 30);
  const file = writeRequests("killed.jsonl", ids);
  const args = ["send-bounce", "--batch", file, "--endpoint-url", ses!.endpoint, "--rate", "10"];
  let killed = false;
  const first = await runDsnkit(args, (line, child) => {
    if (!killed && /^dsnkit: \[10\/\d+\] /.test(line)) {
      killed = true;
      child.kill("SIGKILL");
    }
  });
  expect(first.signal).toBe("SIGKILL");
  const second = await runDsnkit(args);
  const unknown = Number(/outcome unknown:\s+(\d+)/.exec(second.stdout)?.[1]);
  // At most one call is in flight at 10 a second; if one was, it is not sent again.
  expect(unknown).toBeLessThanOrEqual(1);
  expect(second.code, second.stderr).toBe(unknown === 0 ? 0 : 1);
  const mine = ses!.bounces().slice(before);
  const perOriginal = new Map<string, number>();
  for (const b of mine) perOriginal.set(b.originalMessageId, (perOriginal.get(b.originalMessageId) ?? 0) + 1);
  expect([...perOriginal.values()].every((n) => n === 1)).toBe(true);
  expect(mine.length).toBeGreaterThanOrEqual(30 - unknown);
  expect(mine.length).toBeLessThanOrEqual(30);
}, 180_000);
