/**
 * The security suite, the batch journal (issue 13, item 2): a journal that cannot be read
 * completely stops the run before anything is sent, and only a crash's torn last write is
 * forgiven. Held against ses-local with the built command, the red team's way: a batch sent,
 * then its journal truncated mid-line, overwritten with garbage, or its version changed, and run
 * again. Plus the reader's rules one by one, and its growth check.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { startSesLocal } from "@dsnkit/ses-local";
import type { SesLocal } from "@dsnkit/ses-local";
import { readJournal } from "../../packages/cli/src/batch/journal.js";
import { ACCESS_KEY_ID, SECRET, smtpClient, tempDir } from "../../packages/ses-local/test/helpers.js";
import { expectLinear } from "../support/growth.js";

const ROOT = resolve(import.meta.dirname, "../..");
const DSNKIT = join(ROOT, "packages/cli/dist/bin.js");
const enc = new TextEncoder();

describe("readJournal: only a crash's torn last write is forgiven", () => {
  let journal: string;
  beforeAll(async () => {
    // Records written by the journal itself, so that their checksums are right.
    const scratch = await tempDir("dsnkit-journal-");
    const { Journal } = await import("../../packages/cli/src/batch/journal.js");
    const j = Journal.open(join(scratch.dir, "j"));
    j.append({ event: "sending", key: '["m1",["a@example.com"]]', line: 1 });
    j.append({ event: "sent", key: '["m1",["a@example.com"]]', line: 1, messageId: "b1" });
    j.close();
    journal = readFileSync(join(scratch.dir, "j"), "utf8");
    await scratch.remove();
    expect(journal.split("\n")[0]).toMatch(/^\{"v":2,"at":"[^"]+","event":"sending","key":"\[\\"m1\\",\[\\"a@example\.com\\"\]\]","line":1,"sum":"[0-9a-f]{8}"\}$/);
  });

  test("intact records are read; blank lines hold nothing", () => {
    const r = readJournal(enc.encode(journal + "\n  \n"));
    expect([r.entries.map((e) => e.event), r.damaged, r.torn]).toEqual([["sending", "sent"], [], undefined]);
  });

  test("a last line without its newline is a torn write only past where the run that died began", () => {
    const torn = enc.encode(journal + journal.slice(0, 30));
    expect(readJournal(torn, journal.length)).toMatchObject({ torn: 3, intact: journal.length, damaged: [] });
    // A power cut can leave zeros where the write was.
    expect(readJournal(enc.encode(journal + "\0".repeat(40)), journal.length)).toMatchObject({ torn: 3, damaged: [] });
    // No run died (no lock was left): the journal was cut.
    expect(readJournal(torn).damaged).toEqual([{ line: 3, reason: "it is cut short, and no run died while writing it: the journal was cut or damaged" }]);
    // Cut before what the run that died wrote.
    expect(readJournal(enc.encode(journal.slice(0, -10)), journal.length).damaged.map((d) => d.reason)).toEqual([
      "it is cut short before what the run that died wrote: the journal was cut or damaged",
      `the journal ends before the ${journal.length} octets it had when the run that died began: its last records were cut`,
    ]);
  });

  test("garbage, a changed version, a changed record, invalid UTF-8 and a record of no known version are damage, with the key when it shows", () => {
    const [first, second] = journal.split("\n");
    const cases: [string, { line: number; reason: string; key?: string }][] = [
      [`garbage\n${second}\n`, { line: 1, reason: "it is not a journal record (not JSON)" }],
      [`${first!.replace('"v":2', '"v":7')}\n${second}\n`, { line: 1, reason: "it is not a record of a journal version this dsnkit reads", key: '["m1",["a@example.com"]]' }],
      [`${first}\n${second!.replace('"b1"', '"b2"')}\n`, { line: 2, reason: "its checksum does not match its text", key: '["m1",["a@example.com"]]' }],
      [`${first}\n${second!.replace(/,"sum":"[0-9a-f]{8}"/, "")}\n`, { line: 2, reason: "it has no checksum", key: '["m1",["a@example.com"]]' }],
      [`${first}\n\u00ff\n`, { line: 2, reason: "it is not a journal record (not JSON)" }],
    ];
    for (const [text, damage] of cases) expect(readJournal(enc.encode(text)).damaged).toEqual([damage]);
    expect(readJournal(Uint8Array.from([0x7b, 0xff, 0xfe, 0x0a])).damaged).toEqual([{ line: 1, reason: "it is not UTF-8 text" }]);
  });

  test("version 1 records (no checksum) from earlier dsnkit are read", () => {
    const v1 = JSON.stringify({ v: 1, at: "2026-11-26T10:00:00Z", event: "sent", key: "k", line: 1, messageId: "b" });
    expect(readJournal(enc.encode(`${v1}\n`)).entries).toEqual([JSON.parse(v1)]);
  });

  test("growth: reading n records, at most 3x the time for 2n", async () => {
    const lines = journal;
    await expectLinear("readJournal", (n) => enc.encode(lines.repeat(n)), (data) => readJournal(data), 20_000);
  }, 120_000);
});

describe("the red team's reproduction against ses-local: a damaged journal sends nothing twice", () => {
  let ses: SesLocal;
  let scratch: { dir: string; remove: () => Promise<void> };
  let file: string;

  function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((done) => {
      const child = spawn(process.execPath, [DSNKIT, ...args], {
        cwd: scratch.dir,
        env: {
          PATH: process.env.PATH,
          HOME: scratch.dir,
          AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
          AWS_SECRET_ACCESS_KEY: SECRET,
          AWS_REGION: "us-east-1",
          AWS_CONFIG_FILE: join(scratch.dir, "no-config"),
          AWS_SHARED_CREDENTIALS_FILE: join(scratch.dir, "no-credentials"),
          AWS_EC2_METADATA_DISABLED: "true",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
      const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
      child.on("exit", (code) => {
        clearTimeout(timer);
        done({ code, stdout, stderr });
      });
    });
  }

  beforeAll(async () => {
    if (!existsSync(DSNKIT)) throw new Error(`${DSNKIT} is missing: build first with npx tsc -b`);
    scratch = await tempDir("dsnkit-security-journal-");
    ses = await startSesLocal({
      smtpPort: 0,
      httpPort: 0,
      dataDir: join(scratch.dir, "ses-local"),
      domains: ["example.com"],
      identities: ["mailer-daemon@example.com"],
      credentials: [{ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET }],
      rate: 100,
    });
    // Ten originals, five of them to two recipients: ten lines, fifteen recipients bounced.
    const c = await smtpClient(ses.smtpPort);
    const lines: string[] = [];
    try {
      for (let i = 0; i < 10; i++) {
        const to = i < 5 ? [`a${i}@example.com`, `b${i}@example.com`] : [`a${i}@example.com`];
        const raw = `From: sender@example.org\r\nTo: ${to.join(", ")}\r\nSubject: ${i}\r\nMessage-ID: <m${i}@example.org>\r\n\r\nHello.\r\n`;
        const { response } = await c.send("sender@example.org", to, raw);
        const id = /^250 Ok (\S+)$/.exec(response)![1]!;
        lines.push(JSON.stringify({ OriginalMessageId: id, BounceSender: "mailer-daemon@example.com", BouncedRecipientInfoList: to.map((r) => ({ Recipient: r, BounceType: "DoesNotExist" })) }));
      }
    } finally {
      c.close();
    }
    file = join(scratch.dir, "requests.jsonl");
    writeFileSync(file, lines.join("\n") + "\n");
    const first = await run(["send-bounce", "--batch", file, "--endpoint-url", ses.endpoint, "--rate", "50"]);
    expect(first.code, first.stderr).toBe(0);
    expect(ses.bounces()).toHaveLength(10);
  }, 180_000);

  afterAll(async () => {
    await ses?.close();
    await scratch?.remove();
  });

  // With --damaged-journal-unknown, the exit code says whether the damage may have held a bounce
  // that no intact record shows sent: the truncation and the version change did (1); garbage over
  // the first record, line 1's "sending", did not (line 1's "sent" is intact: 0).
  const damages: [string, (text: string) => string, RegExp, number][] = [
    ["truncated mid-line", (t) => t.slice(0, Math.floor(t.length / 2)), /line \d+: it is cut short, and no run died while writing it/, 1],
    ["overwritten with garbage", (t) => "x".repeat(t.indexOf("\n")) + t.slice(t.indexOf("\n")), /line 1: it is not a journal record \(not JSON\)/, 0],
    ["its version field changed", (t) => t.replaceAll('"v":2', '"v":3'), /line 1: it is not a record of a journal version this dsnkit reads/, 1],
  ];
  for (const [name, damage, reason, exitOnward] of damages) {
    test(`the journal ${name}: the rerun exits 2 before sending anything, naming the line and what to do`, async () => {
      const journal = `${file}.journal`;
      const intact = readFileSync(journal, "utf8");
      try {
        writeFileSync(journal, damage(intact));
        const r = await run(["send-bounce", "--batch", file, "--endpoint-url", ses.endpoint, "--rate", "50"]);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toContain("cannot be read completely; nothing was sent");
        expect(r.stderr).toMatch(reason);
        expect(r.stderr).toContain("--damaged-journal-unknown");
        expect(ses.bounces()).toHaveLength(10);
        // The explicit way on: what the damage may have held is not sent.
        const on = await run(["send-bounce", "--batch", file, "--endpoint-url", ses.endpoint, "--rate", "50", "--damaged-journal-unknown"]);
        expect(on.code, on.stderr + on.stdout).toBe(exitOnward);
        if (exitOnward === 1) expect(on.stdout).toContain("a damaged line of the journal may have recorded it");
        expect(ses.bounces()).toHaveLength(10);
      } finally {
        writeFileSync(journal, intact);
      }
    }, 180_000);
  }
});
