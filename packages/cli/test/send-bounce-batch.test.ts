import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dsnkit } from "./support.js";
import { Journal } from "../src/batch/journal.js";
import type { JournalEntry } from "../src/batch/journal.js";
import { createProgress } from "../src/batch/progress.js";
import { PassThrough } from "node:stream";

/** A scripted SES endpoint: answers each SendBounce with `answer`, after `delayMs`. */
interface FakeSes {
  url: string;
  /** OriginalMessageIds received, in order. */
  received: string[];
  answer: (id: string) => { status: number; body: string };
  delayMs: number;
  /** Called when a request arrives (before the answer). */
  onRequest: (id: string) => void;
}

const ok = (id: string) => ({
  status: 200,
  body: `<SendBounceResponse><SendBounceResult><MessageId>bounce-of-${id}</MessageId></SendBounceResult></SendBounceResponse>`,
});
const rejected = () => ({
  status: 400,
  body: "<ErrorResponse><Error><Type>Sender</Type><Code>MessageRejected</Code><Message>Email address is not verified.</Message></Error><RequestId>r</RequestId></ErrorResponse>",
});

let server: Server;
let ses: FakeSes;
let dir: string;
const saved = { ...process.env };

beforeAll(async () => {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIDBATCH", AWS_SECRET_ACCESS_KEY: "secret", AWS_REGION: "us-east-1" });
  ses = { url: "", received: [], answer: ok, delayMs: 0, onRequest: () => undefined };
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const id = new URLSearchParams(body).get("OriginalMessageId") ?? "";
      ses.received.push(id);
      ses.onRequest(id);
      setTimeout(() => {
        const { status, body: out } = ses.answer(id);
        res.writeHead(status, { "content-type": "text/xml" });
        res.end(out);
      }, ses.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  ses.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const key of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "dsnkit-batch-"));
  Object.assign(ses, { received: [], answer: ok, delayMs: 0, onRequest: () => undefined });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function request(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    OriginalMessageId: `msg-${i}`,
    BounceSender: "mailer-daemon@example.com",
    BouncedRecipientInfoList: [{ Recipient: `user${i}@example.com`, BounceType: "DoesNotExist" }],
    ...extra,
  };
}

function writeBatch(lines: (Record<string, unknown> | string)[]): string {
  const path = join(dir, "requests.jsonl");
  writeFileSync(path, lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n");
  return path;
}

function journalOf(path: string): JournalEntry[] {
  return readFileSync(`${path}.journal`, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as JournalEntry);
}

const batch = (path: string, ...more: string[]) => dsnkit(["send-bounce", "--batch", path, "--endpoint-url", ses.url, "--rate", "200", ...more]);

describe("validation first", () => {
  test("every bad line is reported with its number and path; nothing is sent", async () => {
    const path = writeBatch([
      request(1),
      '{"OriginalMessageId": "msg-2",}',
      request(3, { BouncedRecipientInfoList: [{ Recipient: "x@example.com", BounceType: "Nope" }] }),
      "",
      "[1, 2]",
      request(1, { Explanation: "again" }),
      request(7, { MessageDsn: { ReportingMta: "mx.example.com", ArrivalDate: "soon" }, BounceSender: "not-an-address" }),
    ]);
    const r = await batch(path);
    expect(r.code).toBe(2);
    expect(ses.received).toEqual([]);
    expect(existsSync(`${path}.journal`)).toBe(false);
    const lines = r.stderr.trim().split("\n");
    expect(lines[0]).toBe("dsnkit: --batch: 5 of 6 lines have problems; nothing was sent:");
    expect(r.stderr).toMatch(/requests\.jsonl:2:\d+: invalid JSON: /);
    expect(r.stderr).toContain("requests.jsonl:3: BouncedRecipientInfoList[0].BounceType: BounceType \"Nope\" is not one of");
    expect(r.stderr).toContain("requests.jsonl:5: each line must be one JSON object");
    expect(r.stderr).toContain("requests.jsonl:6: the same bounce as line 1");
    expect(r.stderr).toContain("requests.jsonl:7: BounceSender: BounceSender \"not-an-address\" is not a valid mailbox");
    expect(r.stderr).toContain("requests.jsonl:7: MessageDsn.ArrivalDate: ArrivalDate \"soon\" is not a timestamp");
  });

  test("a missing file and an empty one", async () => {
    expect((await batch(join(dir, "nope.jsonl"))).stderr).toMatch(/--batch: cannot read .*nope\.jsonl: no such file/);
    writeFileSync(join(dir, "empty.jsonl"), "\n\n");
    expect((await batch(join(dir, "empty.jsonl"))).stderr).toContain("no requests (the file is empty)");
  });

  test("request flags cannot be mixed with --batch; batch flags need it", async () => {
    const path = writeBatch([request(1)]);
    expect((await batch(path, "--bounce-sender", "a@example.com")).stderr).toContain("--bounce-sender cannot be given with it");
    expect((await batch(path, "--rate", "0")).stderr).toContain('--rate: "0" is not a positive number');
  });
});

describe("sending and resuming", () => {
  test("sends every line once, journals each, and a rerun sends nothing", async () => {
    const path = writeBatch([1, 2, 3, 4, 5].map((i) => request(i)));
    const r = await batch(path);
    expect(r.stderr).toContain("dsnkit: sending 5 bounces");
    expect(r.stderr).toContain("dsnkit: [5/5] line ");
    expect(r.code).toBe(0);
    expect([...ses.received].sort()).toEqual(["msg-1", "msg-2", "msg-3", "msg-4", "msg-5"]);
    expect(r.stdout).toContain("sent now:        5");
    const journal = journalOf(path);
    expect(journal.filter((e) => e.event === "sending")).toHaveLength(5);
    expect(journal.filter((e) => e.event === "sent").map((e) => [e.line, e.messageId])).toEqual(
      expect.arrayContaining([[1, "bounce-of-msg-1"], [5, "bounce-of-msg-5"]]),
    );
    // For each bounce, "sending" comes before "sent".
    for (const sent of journal.filter((e) => e.event === "sent"))
      expect(journal.findIndex((e) => e.key === sent.key && e.event === "sending")).toBeLessThan(journal.indexOf(sent));

    const again = await batch(path, "--output", "json");
    expect(again.code).toBe(0);
    expect(ses.received).toHaveLength(5);
    expect(JSON.parse(again.stdout)).toMatchObject({ total: 5, sentNow: 0, sentBefore: 5, unsent: [] });
  });

  test("a failure is reported with its line, exit 1; a rerun resends only it", async () => {
    const path = writeBatch([1, 2, 3].map((i) => request(i)));
    ses.answer = (id) => (id === "msg-2" ? rejected() : ok(id));
    const r = await batch(path);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("line 2: failed: BounceRejectedError:");
    expect(r.stderr).toContain("line 2: failed: BounceRejectedError");
    ses.answer = ok;
    ses.received = [];
    const again = await batch(path);
    expect(again.code).toBe(0);
    expect(ses.received).toEqual(["msg-2"]);
  });

  test("a throttled attempt is journalled not-sent, retried, then sent", async () => {
    const path = writeBatch([request(1)]);
    let calls = 0;
    ses.answer = (id) =>
      ++calls === 1
        ? { status: 400, body: "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Maximum sending rate exceeded.</Message></Error><RequestId>r</RequestId></ErrorResponse>" }
        : ok(id);
    const r = await batch(path);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/line 1: will retry: throttled; next try in \d+\.\d s/);
    expect(journalOf(path).map((e) => e.event)).toEqual(["sending", "not-sent", "sending", "sent"]);
  });

  test("a bounce whose outcome is unknown is not resent unless --resend-unknown", async () => {
    const path = writeBatch([1, 2].map((i) => request(i)));
    // A run that died with line 2's call in flight: "sending" and nothing after.
    const journal = Journal.open(`${path}.journal`);
    journal.append({ event: "sending", key: JSON.stringify(["msg-2", ["user2@example.com"]]), line: 2 });
    journal.close();
    const r = await batch(path);
    expect(r.code).toBe(1);
    expect(ses.received).toEqual(["msg-1"]);
    expect(r.stdout).toContain("line 2: outcome unknown");
    expect(r.stdout).toContain("--resend-unknown");
    const resent = await batch(path, "--resend-unknown");
    expect(resent.code).toBe(0);
    expect(ses.received).toEqual(["msg-1", "msg-2"]);
  });

  test("a line past SES's 24-hour window is not sent: journalled as expired, counted, exit 1; --send-expired sends it", async () => {
    // The command's clock is TEST_NOW (2026-11-26T12:00:00Z); line 2's window closed 3 h before it.
    const late = { MessageDsn: { ReportingMta: "dns; mx.example.com", ArrivalDate: "2026-11-25T09:00:00Z" } };
    const fresh = { MessageDsn: { ReportingMta: "dns; mx.example.com", ArrivalDate: "2026-11-26T11:00:00Z" } };
    const path = writeBatch([request(1, fresh), request(2, late), request(3)]);

    const dry = await batch(path, "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("  expired:         1 (not sent: SES's 24-hour window has closed; --send-expired sends them anyway)\n");
    expect(dry.stdout).toContain("  would send:      2\n");
    expect(existsSync(`${path}.journal`) ? readFileSync(`${path}.journal`, "utf8") : "").toBe(""); // a dry run journals nothing

    const r = await batch(path);
    expect(r.code).toBe(1);
    expect([...ses.received].sort()).toEqual(["msg-1", "msg-3"]);
    expect(r.stdout).toContain("  sent now:        2\n");
    expect(r.stdout).toContain(
      "  line 2: expired: MessageDsn.ArrivalDate: the original arrived at 2026-11-25T09:00:00Z, 27 h ago; SES accepts SendBounce only " +
        "within 24 h of receipt, and the window closed at 2026-11-26T09:00:00Z, 3 h ago\n",
    );
    expect(journalOf(path).filter((e) => e.line === 2).map((e) => [e.event, e.error])).toEqual([["expired", "BounceWindowExpiredError"]]);

    // A rerun judges it again (still expired: not sent); --send-expired sends it, once.
    const again = await batch(path);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain("  sent before:     2");
    expect(ses.received).toHaveLength(2);
    const forced = await batch(path, "--send-expired");
    expect(forced.code).toBe(0);
    expect(ses.received.slice(2)).toEqual(["msg-2"]);
    expect((await batch(path, "--send-expired")).stdout).toContain("  sent before:     3");
    expect(ses.received).toHaveLength(3);
  });

  test("--output json counts expired lines with their message", async () => {
    const path = writeBatch([request(1, { MessageDsn: { ReportingMta: "dns; mx.example.com", ArrivalDate: "2026-11-20T00:00:00Z" } })]);
    const r = await batch(path, "--output", "json");
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout);
    expect(summary.unsent).toEqual([
      expect.objectContaining({ line: 1, status: "expired", error: "BounceWindowExpiredError", message: expect.stringContaining("the window closed at 2026-11-21T00:00:00Z, 5 d 12 h ago") }),
    ]);
    expect(ses.received).toEqual([]);
  });

  test("Ctrl-C: no new bounce starts, the call in flight finishes and is journalled, exit 130; a rerun sends the rest once", async () => {
    const path = writeBatch([1, 2, 3, 4, 5, 6].map((i) => request(i)));
    const listeners = process.listenerCount("SIGINT");
    ses.delayMs = 150;
    ses.onRequest = (id) => {
      if (id === "msg-2") process.emit("SIGINT");
    };
    const r = await batch(path, "--rate", "20");
    expect(r.code).toBe(130);
    expect(r.stderr).toContain("interrupted: no new bounces start");
    const first = [...ses.received];
    expect(first.length).toBeGreaterThanOrEqual(2);
    expect(first.length).toBeLessThan(6);
    const sent = journalOf(path).filter((e) => e.event === "sent");
    expect(sent).toHaveLength(first.length); // the call in flight finished and was journalled
    expect(r.stdout).toContain("interrupted: run the same command again");
    ses.onRequest = () => undefined;
    const again = await batch(path, "--rate", "20");
    expect(again.code).toBe(0);
    expect([...ses.received].sort()).toEqual(["msg-1", "msg-2", "msg-3", "msg-4", "msg-5", "msg-6"]);
    expect(process.listenerCount("SIGINT")).toBe(listeners); // the handler is gone after the run
  });

  test("--dry-run says what would be sent, and calls nothing", async () => {
    const path = writeBatch([1, 2, 3].map((i) => request(i)));
    const r = await batch(path, "--dry-run", "--output", "json");
    expect(r.code).toBe(0);
    expect(ses.received).toEqual([]);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ dryRun: true, total: 3, sentBefore: 0 });
    expect(summary.unsent.map((u: { status: string }) => u.status)).toEqual(["pending", "pending", "pending"]);
  });
});

describe("the journal", () => {
  /** A journal a first run wrote: lines 1 and 2 sent (their sending and sent records). */
  function sentJournal(path: string): string {
    const journal = Journal.open(`${path}.journal`);
    for (const i of [1, 2]) {
      const key = JSON.stringify([`msg-${i}`, [`user${i}@example.com`]]);
      journal.append({ event: "sending", key, line: i });
      journal.append({ event: "sent", key, line: i, messageId: `bounce-of-msg-${i}` });
    }
    journal.close();
    return readFileSync(`${path}.journal`, "utf8");
  }

  /** A process id that names no process now. */
  async function deadPid(): Promise<number> {
    const child = spawn(process.execPath, ["-e", "0"], { stdio: "ignore" });
    return new Promise<number>((resolve) => child.once("exit", () => resolve(child.pid!)));
  }

  test("a torn last line of a run that died (its lock left) is dropped and cut from the file; the rest still counts", async () => {
    const path = writeBatch([1, 2, 3].map((i) => request(i)));
    const text = sentJournal(path);
    // The run died writing line 3's "sending": its lock says where it began.
    writeFileSync(`${path}.journal`, text + '{"v":2,"at":"2026-11-26T10:00:01Z","ev');
    writeFileSync(`${path}.journal.lock`, `${await deadPid()}\n${Buffer.byteLength(text)}\n`);
    const r = await batch(path);
    expect(r.code).toBe(0);
    expect(ses.received).toEqual(["msg-3"]);
    expect(r.stderr).toContain("the journal's last line (5) was cut short by a crash while it was written: dropped; the record before it stands");
    const entries = readFileSync(`${path}.journal`, "utf8").split("\n");
    expect(JSON.parse(entries[4]!)).toMatchObject({ v: 2, event: "sending", line: 3 });
  });

  const damages: [string, (text: string) => string, string][] = [
    ["cut short mid-line with no run dying (truncated)", (t) => t.slice(0, t.length - 40), "line 4: it is cut short, and no run died while writing it: the journal was cut or damaged"],
    ["overwritten with garbage", (t) => t.replace(/^.*\n/, "\u0000\u0000garbage\u0000\n"), "line 1: it is not a journal record (not JSON)"],
    ["its version field changed", (t) => t.replace('{"v":2', '{"v":3'), "line 1: it is not a record of a journal version this dsnkit reads"],
    ["a record changed (sent made sending)", (t) => t.replace('"event":"sent"', '"event":"sending"'), "line 2: its checksum does not match its text"],
  ];
  for (const [name, damage, reason] of damages) {
    test(`a journal ${name}: the run stops before sending anything (exit 2), naming the line and what to do`, async () => {
      const path = writeBatch([1, 2, 3].map((i) => request(i)));
      writeFileSync(`${path}.journal`, damage(sentJournal(path)));
      const r = await batch(path);
      expect(r.code).toBe(2);
      expect(ses.received).toEqual([]);
      expect(r.stderr).toContain(`the journal ${path}.journal cannot be read completely; nothing was sent:\n  ${reason}`);
      expect(r.stderr).toContain("run again with --damaged-journal-unknown");
      expect(existsSync(`${path}.journal.lock`)).toBe(false);
      // A dry run says the same.
      expect((await batch(path, "--dry-run")).code).toBe(2);
    });
  }

  test("--damaged-journal-unknown: what a damaged line names has an unknown outcome; a line of garbage makes every unsent bounce unknown", async () => {
    const path = writeBatch([1, 2, 3].map((i) => request(i)));
    const text = sentJournal(path);
    // Line 4 (line 2's "sent") changed: line 2's outcome is unknown; line 1 stays sent; line 3 is sent now.
    writeFileSync(`${path}.journal`, text.replace("bounce-of-msg-2", "bounce-of-msg-X"));
    let r = await batch(path, "--damaged-journal-unknown");
    expect([r.code, ses.received]).toEqual([1, ["msg-3"]]);
    expect(r.stdout).toContain("line 2: outcome unknown: a damaged line of the journal may have recorded it; not resent");
    r = await batch(path, "--damaged-journal-unknown", "--resend-unknown");
    expect([r.code, ses.received]).toEqual([0, ["msg-3", "msg-2"]]);

    // Garbage names no bounce: every bounce not shown sent is unknown.
    const other = join(dir, "other.jsonl");
    writeFileSync(other, [1, 2, 3].map((i) => JSON.stringify(request(i + 10))).join("\n") + "\n");
    writeFileSync(`${other}.journal`, "garbage\n");
    ses.received = [];
    r = await batch(other, "--damaged-journal-unknown");
    expect([r.code, ses.received]).toEqual([1, []]);
    expect(r.stdout).toMatch(/outcome unknown: 3/);
  });

  test("a second run on the same journal is kept out; a lock left by a dead process is taken over", async () => {
    const path = writeBatch([request(1)]);
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"], { stdio: "ignore" });
    try {
      writeFileSync(`${path}.journal.lock`, `${holder.pid}\n`);
      const r = await batch(path);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`another run (process ${holder.pid}) is using this journal`);
      expect(ses.received).toEqual([]);
    } finally {
      holder.kill("SIGKILL");
      await new Promise((resolve) => holder.once("exit", resolve));
    }
    const r = await batch(path); // the holder is gone: its lock is stale
    expect(r.code).toBe(0);
    expect(existsSync(`${path}.journal.lock`)).toBe(false);
  });
});

describe("progress", () => {
  test("a terminal gets a bar that counts sent and failed; notes print above it", () => {
    // A stream that says it is a terminal, as process.stderr does on one.
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    let out = "";
    stream.on("data", (c: Buffer) => (out += c.toString("utf8")));
    const progress = createProgress(stream, true);
    const counts = { done: 0, total: 4, sent: 0, failed: 0 };
    progress.start(counts);
    Object.assign(counts, { done: 1, sent: 1 });
    progress.step({ line: 1, outcome: "sent", detail: "id-1" }, counts);
    Object.assign(counts, { done: 2, failed: 1 });
    progress.step({ line: 2, outcome: "failed", detail: "BounceRejectedError: nope" }, counts);
    progress.stop();
    expect(out).toContain("dsnkit: line 2: failed: BounceRejectedError: nope\n");
    expect(out).toMatch(/sending [█░]+ 2\/4 \| sent 1 \| failed 1/);
  });

  test("elsewhere, one plain line per bounce", () => {
    const stream = new PassThrough();
    let out = "";
    stream.on("data", (c: Buffer) => (out += c.toString("utf8")));
    const progress = createProgress(stream, false);
    progress.start({ done: 0, total: 2, sent: 0, failed: 0 });
    progress.step({ line: 7, outcome: "sent", detail: "id-7" }, { done: 1, total: 2, sent: 1, failed: 0 });
    progress.stop();
    expect(out).toBe("dsnkit: sending 2 bounces\ndsnkit: [1/2] line 7: sent: id-7\n");
  });
});
