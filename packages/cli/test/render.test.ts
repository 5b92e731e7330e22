import { execFile } from "node:child_process";
import { existsSync, mkdirSync, realpathSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";
import { dsnkit } from "./support.js";

const root = resolve(import.meta.dirname, "../../..");
const example = join(root, "docs/examples/does-not-exist.json");
const original = join(root, "docs/examples/original.eml");
const fixed = ["--date", "2026-11-26T10:00:00Z", "--message-id", "<cli@example.com>", "--boundary", "b1"];
const dir = mkdtempSync(join(tmpdir(), "dsnkit-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("dsnkit render", () => {
  test("renders the example request with the original: the bounce goes to its Return-Path", async () => {
    const r = await dsnkit(["render", example, "--original", original, ...fixed]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^From: Mail Delivery System <mailer-daemon@example\.com>\r\nTo: sender@example\.org\r\n/);
    expect(r.stdout).toContain("Diagnostic-Code: smtp; 550 5.1.1 Mailbox does not exist\r\n");
    expect(r.stdout).toContain("In-Reply-To: <20261126095950.4242@mail.example.org>\r\n");
    expect(r.stdout).toContain("Content-Type: text/rfc822-headers\r\n");
  });

  test("reads the request from file://, or from stdin with - or no argument; writes --out", async () => {
    const json = readFileSync(example, "utf8");
    const a = await dsnkit(["render", `file://${example}`, "--original-sender", "s@example.org", ...fixed]);
    const b = await dsnkit(["render", "-", "--original-sender", "s@example.org", ...fixed], json);
    const c = await dsnkit(["render", "--original-sender", "s@example.org", ...fixed], json);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(c.stdout).toBe(a.stdout);
    const out = join(dir, "out.eml");
    const d = await dsnkit(["render", example, "--original-sender", "s@example.org", "--out", out, ...fixed]);
    expect(d).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(readFileSync(out, "utf8")).toBe(a.stdout);
  });

  test("--region picks the default Reporting-MTA; --return-original and --max-original-size reach the renderer", async () => {
    const req = join(dir, "no-dsn.json");
    writeFileSync(req, JSON.stringify({ OriginalMessageId: "x", BounceSender: "m@example.com", BouncedRecipientInfoList: [{ Recipient: "a@example.com", BounceType: "Undefined" }] }));
    const r = await dsnkit(["render", req, "--original", original, "--region", "eu-central-1", "--return-original", "message", ...fixed]);
    expect(r.stdout).toContain("Reporting-MTA: dns; inbound-smtp.eu-central-1.amazonaws.com\r\n");
    expect(r.stdout).toContain("Content-Type: message/rfc822\r\n");
    const capped = await dsnkit(["render", req, "--original", original, "--return-original", "message", "--max-original-size", "400", ...fixed]);
    expect(capped.stdout).toContain("Content-Type: text/rfc822-headers\r\n");
  });

  test("--profile ses writes SES's own layout; default is the RFC-clean one; anything else is refused", async () => {
    const ses = await dsnkit(["render", example, "--original", original, ...fixed, "--profile", "ses"]);
    expect(ses.stderr).toBe("");
    expect(ses.stdout).toMatch(/^Date: Thu, 26 Nov 2026 10:00:00 \+0000\r\nFrom: Mail Delivery System <mailer-daemon@example\.com>\r\nTo: sender@example\.org\r\n/);
    expect(ses.stdout).toContain("Content-Type: multipart/report; \r\n\tboundary=\"b1\"; \r\n\treport-type=delivery-status\r\n\r\n--b1\r\n");
    expect(ses.stdout).toContain("Action: failed\r\nFinal-Recipient: rfc822; nobody@example.com\r\n");
    const plain = await dsnkit(["render", example, "--original", original, ...fixed]);
    expect((await dsnkit(["render", example, "--original", original, ...fixed, "--profile", "default"])).stdout).toBe(plain.stdout);
    const bad = await dsnkit(["render", example, "--original", original, "--profile", "postfix"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--profile");
    expect(bad.stderr).toContain("default, ses");
  });

  test("without an original or a sender it says so and exits 2", async () => {
    const r = await dsnkit(["render", example]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "dsnkit: render needs the original message (--original msg.eml) or its sender (--original-sender ADDRESS) to address the bounce to\n",
    );
  });

  test("invalid JSON: the file, line and column", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, '{\n  "OriginalMessageId": "x",\n  "BounceSender": oops\n}');
    const r = await dsnkit(["render", bad, "--original-sender", "s@example.org"]);
    expect(r.code).toBe(2);
    expect(r.stderr.replace(bad, "FILE")).toBe(`dsnkit: FILE:3:19: invalid JSON: expected a value (a string in double quotes, a number, true, false, null, { or [), not "oops\\n}"\n`);
  });

  test("an invalid request: every issue with its JSON path, exit 2, no stack trace", async () => {
    const bad = join(dir, "invalid.json");
    writeFileSync(bad, JSON.stringify({ OriginalMessageId: "x", BounceSender: "nobody", BouncedRecipientInfoList: [{ Recipient: "a@example.com", RecipientDsnFields: { Action: "failed", Status: "5.01.1" } }] }));
    const r = await dsnkit(["render", bad, "--original-sender", "not-an-address"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.replaceAll(bad, "FILE")).toMatchInlineSnapshot(`
      "dsnkit: the request has 3 problems:
        FILE: BounceSender: BounceSender "nobody" is not a valid mailbox: it has no @ [invalid_mailbox]
        FILE: BouncedRecipientInfoList[0].RecipientDsnFields.Status: Status "5.01.1" is not an RFC 3463 status code: its subject "01" has a leading zero [invalid_status]
        --original-sender: originalSender "not-an-address" is not a valid mailbox: it has no @ [invalid_mailbox]
      "
    `);
  });

  test("bad flags and files name the flag", async () => {
    expect((await dsnkit(["render", example, "--original", join(dir, "missing.eml")])).stderr).toBe(
      `dsnkit: --original: cannot read ${join(dir, "missing.eml")}: no such file\n`,
    );
    expect((await dsnkit(["render", join(dir, "missing.json"), "--original-sender", "s@example.org"])).stderr).toBe(
      `dsnkit: request: cannot read ${join(dir, "missing.json")}: no such file\n`,
    );
    const date = await dsnkit(["render", example, "--original-sender", "s@example.org", "--date", "soon"]);
    expect(date.code).toBe(2);
    expect(date.stderr).toBe('dsnkit: --date: "soon" is not usable as a date: it is not an ISO-8601 date (like 2026-11-26T10:00:00Z) or epoch seconds\n');
    const unknown = await dsnkit(["render", "--no-such-flag"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("dsnkit: unknown option '--no-such-flag'\n(run dsnkit help for usage)\n");
    const choice = await dsnkit(["render", example, "--original-sender", "s@example.org", "--return-original", "all"]);
    expect(choice.code).toBe(2);
    expect(choice.stderr).toMatch(/^dsnkit: option '--return-original <what>' argument 'all' is invalid\. Allowed choices are headers, message, none\./);
  });

  test("the request is read before the original is asked for: a missing request file is what is reported", async () => {
    const r = await dsnkit(["render", join(dir, "absent.json")]);
    expect(r).toEqual({ code: 2, stdout: "", stderr: `dsnkit: request: cannot read ${join(dir, "absent.json")}: no such file\n` });
  });

  test("an original that must not be bounced: the message names the flag that overrides it", async () => {
    const nul = join(dir, "null-sender.eml");
    writeFileSync(nul, "Return-Path: <>\r\nFrom: MAILER-DAEMON@example.net\r\nSubject: a notification\r\n\r\nbody\r\n");
    const r = await dsnkit(["render", example, "--original", nul]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "dsnkit: the request has 1 problem:\n" +
        "  --original: the original's Return-Path is <>: it is itself a notification and must not be bounced (RFC 5321 §4.5.5); pass --original-sender to override [null_sender]\n",
    );
    expect((await dsnkit(["render", example, "--original", nul, "--original-sender", "s@example.org"])).code).toBe(0);
  });

  test("--out naming a directory is refused before anything is written, and no temporary file is left", async () => {
    const outDir = join(dir, "outdir");
    mkdirSync(outDir);
    const before = readdirSync(dir).sort();
    const r = await dsnkit(["render", example, "--original-sender", "s@example.org", "--out", outDir, ...fixed]);
    expect(r).toEqual({ code: 2, stdout: "", stderr: `dsnkit: --out: ${outDir} is a directory; give the path of the file to write\n` });
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(readdirSync(outDir)).toEqual([]);
    // A write that fails (here: into a directory that does not exist) leaves nothing either.
    const nowhere = join(dir, "no-such-dir", "out.eml");
    const w = await dsnkit(["render", example, "--original-sender", "s@example.org", "--out", nowhere, ...fixed]);
    expect(w.code).toBe(1);
    expect(w.stderr).toMatch(/^dsnkit: --out: cannot write .*no-such-dir\/out\.eml: /);
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  test("help for a command that does not exist names it and lists the commands", async () => {
    const r = await dsnkit(["help", "rendr"]);
    expect(r).toEqual({ code: 2, stdout: "", stderr: 'dsnkit: help: there is no command "rendr"; the commands are render, send-bounce, ses-local, parse, check, probe\n' });
    const known = await dsnkit(["help", "render"]);
    expect(known.code).toBe(0);
    expect(known.stdout).toMatch(/^Usage: dsnkit render /);
  });
});

test("the built command runs as a program (bin) and its DSN is read by Python's email package", async () => {
  const run = promisify(execFile);
  const { stdout } = await run(process.execPath, [join(root, "packages/cli/dist/bin.js"), "render", example, "--original", original, ...fixed]);
  expect(stdout).toMatch(/^From: /);
  const file = join(dir, "bin.eml");
  writeFileSync(file, stdout);
  const py = JSON.parse((await run("python3", [join(root, "test/interop/read_dsn.py"), file])).stdout)[0];
  expect(py.content_type).toBe("multipart/report");
  expect(py.parts.map((p: { content_type: string }) => p.content_type)).toEqual(["text/plain", "message/delivery-status", "text/rfc822-headers"]);
  const failed = await run(process.execPath, [join(root, "packages/cli/dist/bin.js"), "render", example]).catch((e: { code: number; stderr: string }) => e);
  expect(failed).toMatchObject({ code: 2 });
  expect((failed as { stderr: string }).stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
});

test("npm links the command (node_modules/.bin/dsnkit) to a file in git, which exists before the build; it runs the build", async () => {
  const run = promisify(execFile);
  const linked = join(root, "node_modules/.bin/dsnkit");
  expect(existsSync(linked)).toBe(true);
  // A link into dist/ would be missing after \`npm ci\` in a fresh clone: npm links only files that exist.
  expect(realpathSync(linked)).toBe(join(root, "packages/cli/bin/dsnkit.js"));
  expect((await run(linked, ["--version"])).stdout).toBe("0.1.0\n");
});
