import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";
import { dsnkit } from "./support.js";

const root = resolve(import.meta.dirname, "../../..");
const fixtures = join(root, "packages/core/test/fixtures");
const postfix = join(fixtures, "postfix/postfix-remote-multi.eml");
const ses = join(fixtures, "ses-like/ses-userunknown.eml");
const example = join(root, "docs/examples/does-not-exist.json");
const dir = mkdtempSync(join(tmpdir(), "dsnkit-parse-check-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rendered(): Promise<string> {
  const r = await dsnkit(["render", example, "--original-sender", "s@example.org", "--date", "2026-11-26T10:00:00Z", "--message-id", "<m@example.com>", "--boundary", "b1"]);
  expect(r.code).toBe(0);
  return r.stdout;
}

describe("dsnkit parse", () => {
  test("prints the model as JSON, dates as ISO-8601 strings", async () => {
    const r = await dsnkit(["parse", postfix]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.deliveryStatus.perMessage).toEqual({
      reportingMta: { type: "dns", name: "mta.localhost" },
      arrivalDate: "2026-11-26T08:01:05.000Z",
      extensionFields: [
        { name: "X-Postfix-Queue-ID", value: "F1DE217009E" },
        { name: "X-Postfix-Sender", value: "rfc822; dsnsender@localhost" },
      ],
    });
    expect(json.deliveryStatus.recipients.map((r: { status: string }) => r.status)).toEqual(["5.7.1", "5.1.1"]);
    expect(json.details.recipients[1].smtp).toEqual({ code: 550, enhancedStatus: "5.1.1" });
    expect(json.message.date).toBe("2026-11-26T08:01:05.000Z");
    expect(json.original.type).toBe("message/rfc822");
    expect(json.tolerances).toEqual([expect.objectContaining({ code: "lf-line-ends", rule: "rfc5322.lf-line-ends", line: 1 })]);
  });

  test("reads stdin with - or no argument, file:// paths, and --compact prints one line", async () => {
    const raw = await rendered();
    const a = await dsnkit(["parse", "-"], raw);
    const b = await dsnkit(["parse"], raw);
    const file = join(dir, "dsn.eml");
    writeFileSync(file, raw);
    const c = await dsnkit(["parse", `file://${file}`]);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(c.stdout).toBe(a.stdout);
    const d = await dsnkit(["parse", "--compact", file]);
    expect(d.stdout.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(d.stdout)).toEqual(JSON.parse(a.stdout));
    expect(JSON.parse(a.stdout).deliveryStatus.recipients[0]).toEqual({
      finalRecipient: { type: "rfc822", address: "nobody@example.com" },
      action: "failed",
      status: "5.1.1",
      diagnosticCode: { type: "smtp", text: "550 5.1.1 Mailbox does not exist" },
      extensionFields: [],
    });
  });

  test("--strict exits 1 at the first tolerance, naming the file, the line and the code", async () => {
    const r = await dsnkit(["parse", "--strict", ses]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      `dsnkit: ${ses}:15: strict mode: an LF is not preceded by CR, while other lines end in CRLF; lines end in CRLF (RFC 5322 §2.3) [bare-lf] [strict]\n`,
    );
    expect((await dsnkit(["parse", "--strict", "-"], await rendered())).code).toBe(0);
  });

  test("a message that is not a DSN exits 2, naming the file and the line", async () => {
    const r = await dsnkit(["parse", "-"], "Subject: hello\r\nContent-Type: text/plain\r\n\r\nhi\r\n");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("dsnkit: (stdin):2: no message/delivery-status part: the message is text/plain [not_a_dsn]\n");
  });

  test("a file that cannot be read exits 2", async () => {
    const r = await dsnkit(["parse", join(dir, "missing.eml")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`dsnkit: input: cannot read ${join(dir, "missing.eml")}: no such file\n`);
  });
});

describe("dsnkit parse --summary DIR", () => {
  test("one JSON line per .eml under the folder, then a summary line", async () => {
    const r = await dsnkit(["parse", "--summary", join(fixtures, "opensmtpd")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    const files = lines.slice(0, -1);
    expect(files.map((f) => f.file)).toEqual([
      "opensmtpd-remote-delayed-expired.eml",
      "opensmtpd-remote-delayed-warning.eml",
      "opensmtpd-remote-mailboxfull.eml",
      "opensmtpd-remote-multi.eml",
      "opensmtpd-remote-toobig.eml",
      "opensmtpd-remote-userunknown.eml",
    ]);
    expect(files[3]).toMatchObject({
      result: "read",
      recipients: [
        { address: "policy@remote.test", action: "failed", status: "5.0.0" },
        { address: "unknown2@remote.test", action: "failed", status: "5.0.0" },
      ],
      tolerances: ["not-multipart-report@10"],
      errors: ["rfc6522.not-multipart-report@10"],
    });
    expect(lines.at(-1).summary).toMatchObject({
      files: 6,
      results: { read: 6 },
      recipients: 7,
      actions: { failed: 5, delayed: 2 },
      filesWithErrors: 6,
      errors: { "rfc6522.not-multipart-report": 6 },
    });
  });

  test("sub-folders, files that are not DSNs, unrecognized actions, and files over --max-input-size", async () => {
    const corpus = join(dir, "corpus");
    const sub = join(corpus, "sub");
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(corpus, "note.eml"), "Subject: hi\r\n\r\nnot a bounce\r\n");
    writeFileSync(join(corpus, "ignored.txt"), "not an .eml");
    const raw = (await rendered()).replace("Action: failed", "Action: expired");
    writeFileSync(join(sub, "odd.eml"), raw);
    writeFileSync(join(sub, "big.eml"), raw + "x".repeat(5000));
    const r = await dsnkit(["parse", "--summary", corpus, "--max-input-size", "4000"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.slice(0, -1).map((l) => [l.file, l.result])).toEqual([
      ["note.eml", "not_a_dsn"],
      [join("sub", "big.eml"), "skipped"],
      [join("sub", "odd.eml"), "read"],
    ]);
    expect(lines[2].recipients).toEqual([{ address: "nobody@example.com", action: null, status: "5.1.1", unrecognized: { action: "expired" } }]);
    expect(lines[0].errors).toContain("rfc3464.delivery-status-missing@1");
    expect(lines.at(-1).summary).toMatchObject({ files: 3, results: { not_a_dsn: 1, skipped: 1, read: 1 }, actions: { "(unrecognized: expired)": 1 } });
  });

  test("a folder that is not there and a bad --max-input-size exit 2", async () => {
    const missing = await dsnkit(["parse", "--summary", join(dir, "nope")]);
    expect(missing).toMatchObject({ code: 2, stdout: "" });
    expect(missing.stderr).toContain("nope: no such file or folder");
    const bad = await dsnkit(["parse", "--summary", dir, "--max-input-size", "10k"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-input-size: "10k" is not a whole number of octets from 1 to');
  });
});

describe("dsnkit check", () => {
  test("a rendered DSN: no findings, exit 0", async () => {
    const r = await dsnkit(["check", "-"], await rendered());
    expect(r).toEqual({ code: 0, stdout: "(stdin): no findings\n", stderr: "" });
  });

  test("warnings only (Postfix, LF line ends): exit 0", async () => {
    const r = await dsnkit(["check", postfix]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `${postfix}:1: warning rfc5322.lf-line-ends: every line ends in a bare LF, as in a Unix mailbox file; a message on the wire ends its lines in CRLF (RFC 5322 §2.3) [RFC 5322 §2.1, §2.3]\n` +
        `${postfix}:37: warning rfc5322.line-over-78: the line is 79 characters long; lines should be at most 78 [RFC 5322 §2.1.1]\n` +
        `${postfix}: 0 errors, 2 warnings\n`,
    );
  });

  test("errors: one line per finding, then a count; exit 1", async () => {
    const r = await dsnkit(["check", ses]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toBe(`${ses}:8: warning rfc5322.line-over-78: the line is 103 characters long; lines should be at most 78 [RFC 5322 §2.1.1]`);
    expect(lines[2]).toMatch(new RegExp(`^${ses.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:15: error rfc5322\\.bare-lf: `));
    expect(lines.at(-1)).toBe(`${ses}: 1 error, 2 warnings`);
  });

  test("--json prints the findings", async () => {
    const r = await dsnkit(["check", "--json", ses]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).map((f: { rule: string; line: number; severity: string }) => [f.rule, f.line, f.severity])).toEqual([
      ["rfc5322.line-over-78", 8, "warning"],
      ["rfc3834.auto-submitted-missing", 9, "warning"],
      ["rfc5322.bare-lf", 15, "error"],
    ]);
  });

  test("a message that is not a DSN is checked: its errors, exit 1", async () => {
    const r = await dsnkit(["check", "--json", "-"], "Subject: hi\r\n\r\nhello\r\n");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).map((f: { rule: string }) => f.rule)).toContain("rfc3464.delivery-status-missing");
  });

  test("unreadable input exits 2: a missing file, an empty one", async () => {
    const missing = await dsnkit(["check", join(dir, "nope.eml")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`dsnkit: input: cannot read ${join(dir, "nope.eml")}: no such file\n`);
    const empty = await dsnkit(["check", "-"], "");
    expect(empty.code).toBe(2);
    expect(empty.stdout).toBe("(stdin):1: error dsnkit.invalid-input: the input is empty [—]\n(stdin): 1 error, 0 warnings\n");
  });
});

describe("the built CLI", () => {
  const bin = join(root, "packages/cli/dist/bin.js");
  const run = async (args: string[]) => {
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [bin, ...args]);
      return { code: 0, stdout };
    } catch (e) {
      const err = e as { code: number; stdout: string };
      return { code: err.code, stdout: err.stdout };
    }
  };
  test("exit codes 0, 1 and 2 (run `tsc -b` first)", async () => {
    expect((await run(["check", postfix])).code).toBe(0);
    expect((await run(["check", ses])).code).toBe(1);
    expect((await run(["check", join(dir, "absent.eml")])).code).toBe(2);
    const parsed = await run(["parse", "--compact", ses]);
    expect(parsed.code).toBe(0);
    expect(JSON.parse(parsed.stdout).deliveryStatus.recipients[0].finalRecipient.address).toBe("user@example.com");
    expect(readFileSync(ses).length).toBeGreaterThan(0);
  });
});
