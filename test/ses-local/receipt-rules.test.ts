/**
 * The whole receiving loop on one machine, with `dsnkit ses-local` (the built CLI) in a child
 * process: mail arrives over SMTP, the active receipt rule set runs, and the bounce lands in the
 * outbox.
 *
 * - With a Lambda action: the AWS CLI v2 configures the rules, and the function is the guide's
 *   receipt-rule handler (docs/ses.md, the real file, compiled as deployed), which calls
 *   SendBounce through @dsnkit/ses against ses-local itself.
 * - With a Bounce action and no code: boto3 configures the rules of the guide's "bounce everything
 *   for unknown users" recipe (docs/examples/bounce-unknown-users/), and the rules survive kill -9.
 *
 * Messages are sent now and carry today's date: the handler checks the 24-hour window.
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { formatRfc5322Date } from "@dsnkit/core";
import { deliver } from "../../packages/ses-local/test/helpers.js";
import { HELPER, ROOT, awsEnv, buildGuideHandler, emulatorsPerTest, findPythonWithBoto3, run } from "./support.js";
import type { EmulatorProcess } from "./support.js";

const AWS_CLI_V2 = "/usr/bin/aws";
const KEY = { accessKeyId: "AKIDSESLOCAL", secretAccessKey: "ses-local-secret-access-key" };
const FUNCTION = "arn:aws:lambda:eu-west-1:123456789012:function:bouncer";

const emulators = emulatorsPerTest();
const scratch = emulators.scratch;
const start = (args: string[], env: NodeJS.ProcessEnv = process.env) => emulators.start(["--smtp-port", "0", "--http-port", "0", ...args], env);

/** A message written now, from alice@example.org. */
function message(to: readonly string[], subject: string): string {
  return (
    `From: Alice <alice@example.org>\r\nTo: ${to.join(", ")}\r\nSubject: ${subject}\r\nDate: ${formatRfc5322Date(new Date())}\r\n` +
    `Message-ID: <${randomUUID()}@mail.example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nHello.\r\n`
  );
}

/** Polls until `check` gives a value, or fails with what the emulator printed. */
async function eventually<T>(p: EmulatorProcess, what: string, check: () => Promise<T | undefined> | T | undefined, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the emulator printed:\n${p.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface BounceJson {
  messageId: string;
  originalMessageId: string;
  accessKeyId: string;
  receiptRule?: string;
  rcptTo: string[];
  outbox: string;
}

async function bouncesOf(p: EmulatorProcess, id: string): Promise<BounceJson[]> {
  const r = await fetch(`${p.endpoint}/_ses-local/bounces?originalMessageId=${id}`);
  return ((await r.json()) as { bounces: BounceJson[] }).bounces;
}

const exists = (path: string) => (existsSync(path) ? true : undefined);

interface PyDsn {
  content_type: string;
  report_type: string | null;
  top: Record<string, string | null>;
  per_message: Record<string, string> | null;
  recipients: Record<string, string>[];
  original: Record<string, string> | null;
}

/** A bounce as Python's email package reads it (an independent reader, whatever the layout). */
async function readBounce(path: string): Promise<PyDsn> {
  const r = await run(await findPythonWithBoto3(), [HELPER, "read-dsn", path]);
  expect(r.code, r.stderr).toBe(0);
  const dsn = JSON.parse(r.stdout) as PyDsn;
  expect([dsn.content_type, dsn.report_type]).toEqual(["multipart/report", "delivery-status"]);
  return dsn;
}

/** The bounces of a message once there are some and their outbox files are written (the store has a bounce a moment before its file). */
function bounced(p: EmulatorProcess, id: string, what: string): Promise<BounceJson[]> {
  return eventually(p, what, async () => {
    const b = await bouncesOf(p, id);
    return b.length > 0 && b.every((x) => existsSync(x.outbox)) ? b : undefined;
  });
}

/** Each test starts Node, the AWS CLI or Python several times: slow on a loaded 2-core machine. */
describe("the receiving loop, end to end", { timeout: 300_000 }, () => {
  test("a Lambda action runs the guide's handler, which bounces the unknown recipients through SendBounce; rules made with the AWS CLI v2", async () => {
    const dir = await scratch();
    const handler = await buildGuideHandler(dir);
    const data = join(dir, "data");
    // The function's configuration is its environment, as on Lambda; ses-local adds the region,
    // the credentials and the SES endpoint.
    const p = await start(["--data-dir", data, "--domain", "example.com", "--lambda", `${FUNCTION}=${handler}`, "--lambda-timeout", "25"], {
      ...process.env,
      MAILBOXES: "alice@example.com,bob@example.com",
      BOUNCE_SENDER: "mailer-daemon@example.com",
    });
    expect(p.output()).toContain(`  lambdas      ${FUNCTION} -> ${handler}\n               each runs for 25 s at most, calling SES at ${p.endpoint}\n               a failed Event invocation is retried after 60 s, then 120 s\n`);

    const env = awsEnv({ ...KEY, region: "eu-west-1" }, dir);
    const aws = async (...args: string[]) => {
      const r = await run(AWS_CLI_V2, ["ses", ...args, "--endpoint-url", p.endpoint, "--output", "json"], { env });
      expect(r.code, `aws ses ${args.join(" ")}: ${r.stderr}`).toBe(0);
      return r.stdout.trim() === "" ? undefined : (JSON.parse(r.stdout) as unknown);
    };
    expect((await run(AWS_CLI_V2, ["--version"])).stdout).toMatch(/^aws-cli\/2\./);
    await aws("verify-email-identity", "--email-address", "mailer-daemon@example.com");
    await aws("create-receipt-rule-set", "--rule-set-name", "default");
    const rule = {
      Name: "bouncer",
      Enabled: true,
      Recipients: ["example.com"],
      Actions: [{ LambdaAction: { FunctionArn: FUNCTION, InvocationType: "RequestResponse" } }, { S3Action: { BucketName: "inbound-mail", ObjectKeyPrefix: "inbox/" } }],
    };
    await aws("create-receipt-rule", "--rule-set-name", "default", "--rule", JSON.stringify(rule));
    await aws("set-active-receipt-rule-set", "--rule-set-name", "default");
    const active = (await aws("describe-active-receipt-rule-set")) as { Metadata: { Name: string; CreatedTimestamp: string }; Rules: unknown[] };
    expect(active.Metadata.Name).toBe("default");
    expect(Date.parse(active.Metadata.CreatedTimestamp)).toBeGreaterThan(Date.now() - 600_000);
    expect(active.Rules).toEqual([{ ...rule, TlsPolicy: "Optional", ScanEnabled: false }]);
    const missing = await run(AWS_CLI_V2, ["ses", "describe-receipt-rule", "--rule-set-name", "default", "--rule-name", "nope", "--endpoint-url", p.endpoint], { env });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("An error occurred (RuleDoesNotExist) when calling the DescribeReceiptRule operation: Rule does not exist: nope");

    const inbox = (id: string) => join(data, "s3", "inbound-mail", "inbox", id);

    // Every recipient unknown: bounced, and the handler's STOP_RULE keeps the message out of S3.
    const ghost = await deliver(p.smtpPort, message(["ghost@example.com"], "To nobody"), "alice@example.org", ["ghost@example.com"]);
    const [bounce] = await bounced(p, ghost, "the bounce of the message to ghost@");
    await eventually(p, "the handler's STOP_RULE", () => (p.output().includes(`Lambda bouncer (RequestResponse) for ${ghost} returned STOP_RULE`) ? true : undefined));
    // The bounce came through SendBounce, signed with the credentials ses-local gave the function.
    expect([bounce!.accessKeyId, bounce!.receiptRule, bounce!.rcptTo]).toEqual([KEY.accessKeyId, undefined, ["alice@example.org"]]);
    const dsn = await readBounce(bounce!.outbox);
    expect([dsn.top.from, dsn.top.to]).toEqual(["mailer-daemon@example.com", "alice@example.org"]);
    expect(dsn.per_message?.["reporting-mta"]).toBe("dns; inbound-smtp.eu-west-1.amazonaws.com");
    expect(dsn.recipients.map((r) => [r["final-recipient"], r.action, r.status])).toEqual([["rfc822; ghost@example.com", "failed", "5.1.1"]]);
    expect(dsn.original?.subject).toBe("To nobody");
    expect(existsSync(inbox(ghost))).toBe(false);
    expect(p.output()).toContain(`lambda bouncer: {"bounced":["ghost@example.com"],"to":"alice@example.org","originalMessageId":"${ghost}"`);

    // A known and an unknown recipient: only the unknown one is bounced; CONTINUE, so S3 gets it.
    const mixed = await deliver(p.smtpPort, message(["alice@example.com", "nobody@example.com"], "Mixed"), "carol@example.org", ["alice@example.com", "nobody@example.com"]);
    await eventually(p, "the mixed message in S3", () => exists(inbox(mixed)));
    const mixedBounces = await bounced(p, mixed, "the bounce of the mixed message");
    const mixedDsn = await readBounce(mixedBounces[0]!.outbox);
    expect(mixedDsn.recipients.map((r) => r["final-recipient"])).toEqual(["rfc822; nobody@example.com"]);
    expect(mixedBounces[0]!.rcptTo).toEqual(["carol@example.org"]);

    // Known recipients only: nothing bounced, the message goes on to S3.
    const known = await deliver(p.smtpPort, message(["bob@example.com"], "Known"), "carol@example.org", ["bob@example.com"]);
    await eventually(p, "the known message in S3", () => exists(inbox(known)));
    expect(await bouncesOf(p, known)).toEqual([]);
    const stored = await readFile(inbox(known), "utf8");
    expect(stored.startsWith("Return-Path: <carol@example.org>\r\n")).toBe(true);
    expect(stored).toContain("Subject: Known\r\n");

    // Each message was stored once.
    const messages = ((await (await fetch(`${p.endpoint}/_ses-local/messages`)).json()) as { messages: { messageId: string }[] }).messages;
    expect(messages.map((m) => m.messageId)).toEqual([ghost, mixed, known]);

    // Started again without the function: the banner lists the rule set and warns of the rule that calls it.
    p.child.kill("SIGTERM");
    expect((await p.exited).code).toBe(0);
    const again = await start(["--data-dir", data, "--domain", "example.com"]);
    expect(again.output()).toContain("  rule sets    default (1 rule, active)\n");
    expect(again.output()).toContain("  lambdas      none mapped (--lambda ARN=./handler.mjs)\n");
    expect(again.output()).toContain(`  warning      rules call ${FUNCTION}, which is not mapped: their Lambda actions will fail\n`);
  });

  test("a Bounce action bounces with no code at all; rules made with boto3 from the guide's recipe; they survive kill -9", async () => {
    const dir = await scratch();
    const data = join(dir, "data");
    const args = ["--data-dir", data, "--domain", "example.com"];
    let p = await start(args);

    const python = await findPythonWithBoto3();
    const recipe = (name: string) => readFile(resolve(ROOT, "docs/examples/bounce-unknown-users", name), "utf8").then((t) => JSON.parse(t) as { Name: string });
    const known = await recipe("known-users.json");
    const unknown = await recipe("unknown-users.json");
    const boto3 = async (calls: [string, Record<string, unknown>][]) => {
      const r = await run(python, [HELPER, "boto3-calls", p.endpoint, "us-east-1", KEY.accessKeyId, KEY.secretAccessKey, JSON.stringify(calls)]);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { result?: Record<string, unknown>; error?: { code: string; message: string; status: number } }[];
    };
    const made = await boto3([
      ["verify_email_identity", { EmailAddress: "mailer-daemon@example.com" }],
      ["create_receipt_rule_set", { RuleSetName: "default" }],
      ["create_receipt_rule", { RuleSetName: "default", Rule: known }],
      ["create_receipt_rule", { RuleSetName: "default", After: known.Name, Rule: unknown }],
      ["set_active_receipt_rule_set", { RuleSetName: "default" }],
      ["describe_active_receipt_rule_set", {}],
      ["create_receipt_rule", { RuleSetName: "default", Rule: known }],
      ["list_receipt_rule_sets", {}],
    ]);
    expect(made.slice(0, 5).map((m) => m.error)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    const active = made[5]!.result as { Metadata: { Name: string; CreatedTimestamp: string }; Rules: { Name: string }[] };
    expect(active.Rules).toEqual([
      { ...known, TlsPolicy: "Optional", ScanEnabled: false },
      { ...unknown, TlsPolicy: "Optional", ScanEnabled: false },
    ]);
    expect(made[6]!.error).toEqual({ code: "AlreadyExists", message: "Rule already exists: known-users", status: 400 });
    expect((made[7]!.result as { RuleSets: { Name: string; CreatedTimestamp: string }[] }).RuleSets).toEqual([active.Metadata]);

    // An unknown recipient: the Bounce action writes the bounce, through SendBounce's own path.
    const ghost = await deliver(p.smtpPort, message(["ghost@example.com"], "To nobody"), "alice@example.org", ["ghost@example.com"]);
    const [bounce] = await bounced(p, ghost, "the Bounce action's bounce");
    expect([bounce!.receiptRule, bounce!.accessKeyId, bounce!.rcptTo]).toEqual(["default/unknown-users", "", ["alice@example.org"]]);
    const dsn = await readBounce(bounce!.outbox);
    expect([dsn.top.from, dsn.top.to]).toEqual(["mailer-daemon@example.com", "alice@example.org"]);
    expect(dsn.top["message-id"]).toMatch(new RegExp(`^<${bounce!.messageId}@`));
    expect(dsn.per_message?.["reporting-mta"]).toBe("dns; inbound-smtp.us-east-1.amazonaws.com");
    expect(dsn.recipients.map((r) => [r["final-recipient"], r.action, r.status, r["diagnostic-code"]])).toEqual([
      ["rfc822; ghost@example.com", "failed", "5.1.1", "smtp; 550 5.1.1 Mailbox does not exist"],
    ]);
    expect(dsn.original?.subject).toBe("To nobody");

    // A known recipient: delivered to the bucket, then Stop. With a known and an unknown one, the
    // known-users rule matches and stops the set for the whole message, as on SES: no bounce.
    const inbox = (id: string) => join(data, "s3", "inbound-mail", "inbox", id);
    const alice = await deliver(p.smtpPort, message(["alice@example.com"], "Hello Alice"), "carol@example.org", ["alice@example.com"]);
    await eventually(p, "alice's message in S3", () => exists(inbox(alice)));
    const both = await deliver(p.smtpPort, message(["alice@example.com", "ghost@example.com"], "Both"), "carol@example.org", ["alice@example.com", "ghost@example.com"]);
    await eventually(p, "the Stop action", () => (p.output().includes(`Stop: no later action or rule runs for ${both}`) ? true : undefined));
    expect([await bouncesOf(p, alice), await bouncesOf(p, both)]).toEqual([[], []]);

    // kill -9, then a restart on the same data: the rule sets, their rules and the active set are there, and run.
    p.child.kill("SIGKILL");
    await p.exited;
    p = await start(args);
    expect(p.output()).toContain("rule sets    default (2 rules, active)");
    const after = await boto3([["describe_active_receipt_rule_set", {}]]);
    expect(after[0]!.result).toEqual(active);
    const again = await deliver(p.smtpPort, message(["nobody@example.com"], "After the restart"), "alice@example.org", ["nobody@example.com"]);
    const restarted = await bounced(p, again, "a bounce after the restart");
    expect(restarted[0]!.receiptRule).toBe("default/unknown-users");
  });
});
