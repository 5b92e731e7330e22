/**
 * Receipt rules in ses-local: the rule-set API through the AWS SDK for JavaScript (its parser reads
 * every answer), SES's validation and errors, the rules kept across a restart, and the active set
 * run on mail received over SMTP: recipient matching, Bounce, Lambda (local modules and an HTTP
 * URL; dispositions, errors, timeouts), Stop, AddHeader and S3.
 */
import { readFile, readdir } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  CreateReceiptRuleCommand,
  CreateReceiptRuleSetCommand,
  DeleteReceiptRuleCommand,
  DeleteReceiptRuleSetCommand,
  DescribeActiveReceiptRuleSetCommand,
  DescribeReceiptRuleCommand,
  DescribeReceiptRuleSetCommand,
  ListReceiptRuleSetsCommand,
  SESClient,
  SetActiveReceiptRuleSetCommand,
  UpdateReceiptRuleCommand,
} from "@aws-sdk/client-ses";
import type { ReceiptRule } from "@aws-sdk/client-ses";
import type { SesReceiptEvent } from "@dsnkit/ses";
import { mailHeaders, recipientMatches, splitAddressList, startSesLocal } from "@dsnkit/ses-local";
import type { SesLocal, SesLocalOptions } from "@dsnkit/ses-local";
import { ACCESS_KEY_ID, SECRET, deliver, mail, signedCall, smtpClient, tempDir } from "./helpers.js";

const FIXTURES = resolve(import.meta.dirname, "fixtures/lambda");
const ARN = "arn:aws:lambda:eu-west-1:123456789012:function:scripted";
const CALLBACK_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:callback";
const HTTP_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:over-http";
const BROKEN_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:broken";

interface Running {
  ses: SesLocal;
  client: SESClient;
  logs: string[];
  warnings: string[];
  /** Log lines and warnings together, in the order they came. */
  events: string[];
  dir: string;
  close: () => Promise<void>;
}

async function start(options: SesLocalOptions & { dir?: string } = {}): Promise<Running> {
  const t = options.dir === undefined ? await tempDir() : { dir: options.dir, remove: async () => undefined };
  const logs: string[] = [];
  const warnings: string[] = [];
  const events: string[] = [];
  const ses = await startSesLocal({
    smtpPort: 0,
    httpPort: 0,
    dataDir: t.dir,
    rate: 0,
    domains: ["example.com", "*.example.com"],
    identities: ["mailer-daemon@example.com"],
    log: (l) => void (logs.push(l), events.push(l)),
    warn: (l) => void (warnings.push(l), events.push(l)),
    ...options,
  });
  const client = new SESClient({ endpoint: ses.endpoint, region: "eu-west-1", credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET }, maxAttempts: 1 });
  return {
    ses,
    client,
    logs,
    warnings,
    events,
    dir: t.dir,
    close: async () => {
      client.destroy();
      await ses.close();
      if (options.dir === undefined) await t.remove();
    },
  };
}

/** The error an SDK call fails with: its name, message and modeled members. */
async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number; Name?: string; FunctionArn?: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number }; Name?: string; FunctionArn?: string };
    const out: { name: string; message: string; status?: number; Name?: string; FunctionArn?: string } = { name: err.name, message: err.message };
    if (err.$metadata?.httpStatusCode !== undefined) out.status = err.$metadata.httpStatusCode;
    if (err.Name !== undefined) out.Name = err.Name;
    if (err.FunctionArn !== undefined) out.FunctionArn = err.FunctionArn;
    return out;
  }
  throw new Error("the call succeeded");
}

const bounceAction = { BounceAction: { SmtpReplyCode: "550", StatusCode: "5.1.1", Message: "Mailbox does not exist", Sender: "mailer-daemon@example.com" } };

describe("the rule-set API, through the AWS SDK for JavaScript", () => {
  let r: Running;
  beforeAll(async () => {
    r = await start({ lambdas: { [ARN]: join(FIXTURES, "scripted.mjs") } });
  });
  afterAll(() => r?.close());

  test("rule sets: create, list, describe, make active, and SES's errors", async () => {
    const { client } = r;
    await client.send(new CreateReceiptRuleSetCommand({ RuleSetName: "default" }));
    await client.send(new CreateReceiptRuleSetCommand({ RuleSetName: "staging" }));
    expect(await failure(client.send(new CreateReceiptRuleSetCommand({ RuleSetName: "default" })))).toEqual({
      name: "AlreadyExistsException",
      message: "Rule set already exists: default",
      status: 400,
      Name: "default",
    });
    const bad = await failure(client.send(new CreateReceiptRuleSetCommand({ RuleSetName: "no spaces" })));
    expect([bad.name, bad.message]).toEqual(["InvalidParameterValue", expect.stringContaining("Invalid rule set name <no spaces>")]);

    const list = await client.send(new ListReceiptRuleSetsCommand({}));
    expect(list.RuleSets?.map((s) => s.Name)).toEqual(["default", "staging"]);
    expect(list.RuleSets?.[0]?.CreatedTimestamp).toBeInstanceOf(Date);
    expect(list.NextToken).toBeUndefined();

    const described = await client.send(new DescribeReceiptRuleSetCommand({ RuleSetName: "staging" }));
    expect(described.Metadata?.Name).toBe("staging");
    expect(described.Rules).toEqual([]);
    expect(await failure(client.send(new DescribeReceiptRuleSetCommand({ RuleSetName: "nope" })))).toEqual({
      name: "RuleSetDoesNotExistException",
      message: "Rule set does not exist: nope",
      status: 400,
      Name: "nope",
    });

    expect((await client.send(new DescribeActiveReceiptRuleSetCommand({}))).Metadata).toBeUndefined();
    await client.send(new SetActiveReceiptRuleSetCommand({ RuleSetName: "default" }));
    expect((await client.send(new DescribeActiveReceiptRuleSetCommand({}))).Metadata?.Name).toBe("default");
    expect((await failure(client.send(new SetActiveReceiptRuleSetCommand({ RuleSetName: "nope" })))).name).toBe("RuleSetDoesNotExistException");
    const cannot = await failure(client.send(new DeleteReceiptRuleSetCommand({ RuleSetName: "default" })));
    expect([cannot.name, cannot.Name]).toEqual(["CannotDeleteException", "default"]);
    expect(r.ses.ruleSets().map((s) => [s.name, s.active])).toEqual([
      ["default", true],
      ["staging", false],
    ]);

    await client.send(new DeleteReceiptRuleSetCommand({ RuleSetName: "staging" }));
    await client.send(new DeleteReceiptRuleSetCommand({ RuleSetName: "staging" })); // gone already: no error, as SES's model has none
    await client.send(new SetActiveReceiptRuleSetCommand({}));
    expect((await client.send(new DescribeActiveReceiptRuleSetCommand({}))).Metadata).toBeUndefined();
    expect(r.ses.ruleSets().map((s) => [s.name, s.active])).toEqual([["default", false]]);
  });

  test("rules: CreateReceiptRule places a rule first or After another; Update keeps its place; every action type round-trips", async () => {
    const { client } = r;
    await client.send(new CreateReceiptRuleSetCommand({ RuleSetName: "ordered" }));
    const rule = (Name: string, extra: Partial<ReceiptRule> = {}): ReceiptRule => ({ Name, Enabled: true, Actions: [{ StopAction: { Scope: "RuleSet" } }], ...extra });
    await client.send(new CreateReceiptRuleCommand({ RuleSetName: "ordered", Rule: rule("b") }));
    await client.send(new CreateReceiptRuleCommand({ RuleSetName: "ordered", Rule: rule("a") })); // no After: first
    await client.send(new CreateReceiptRuleCommand({ RuleSetName: "ordered", After: "b", Rule: rule("d") }));
    await client.send(new CreateReceiptRuleCommand({ RuleSetName: "ordered", After: "b", Rule: rule("c") }));
    const names = async () => (await client.send(new DescribeReceiptRuleSetCommand({ RuleSetName: "ordered" }))).Rules?.map((x) => x.Name);
    expect(await names()).toEqual(["a", "b", "c", "d"]);

    const everything: ReceiptRule = {
      Name: "every.action_type-1",
      Enabled: false,
      TlsPolicy: "Require",
      ScanEnabled: true,
      Recipients: ["bob@example.com", "example.com", ".example.com"],
      Actions: [
        { AddHeaderAction: { HeaderName: "X-Rule", HeaderValue: "every action" } },
        { S3Action: { BucketName: "inbound-mail", ObjectKeyPrefix: "mail/", KmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:alias/aws/ses", TopicArn: "arn:aws:sns:eu-west-1:123456789012:received" } },
        { LambdaAction: { FunctionArn: ARN, InvocationType: "RequestResponse" } },
        { LambdaAction: { FunctionArn: ARN } },
        bounceAction,
        { BounceAction: { SmtpReplyCode: "450", Message: "Try later", Sender: "mailer-daemon@example.com" } },
        { SNSAction: { TopicArn: "arn:aws:sns:eu-west-1:123456789012:received", Encoding: "Base64" } },
        { WorkmailAction: { OrganizationArn: "arn:aws:workmail:eu-west-1:123456789012:organization/m-1" } },
        { StopAction: { Scope: "RuleSet" } },
      ],
    };
    await client.send(new CreateReceiptRuleCommand({ RuleSetName: "ordered", After: "d", Rule: everything }));
    const described = await client.send(new DescribeReceiptRuleCommand({ RuleSetName: "ordered", RuleName: everything.Name }));
    // SES's defaults are written out: a Lambda action's InvocationType is Event.
    expect(described.Rule).toEqual({ ...everything, Actions: everything.Actions!.map((a, i) => (i === 3 ? { LambdaAction: { FunctionArn: ARN, InvocationType: "Event" } } : a)) });

    await client.send(new UpdateReceiptRuleCommand({ RuleSetName: "ordered", Rule: rule("b", { Enabled: false, Recipients: ["carol@example.com"] }) }));
    expect(await names()).toEqual(["a", "b", "c", "d", everything.Name]);
    const b = (await client.send(new DescribeReceiptRuleCommand({ RuleSetName: "ordered", RuleName: "b" }))).Rule;
    // Not given: Enabled, ScanEnabled false and TlsPolicy Optional (SES's defaults).
    expect(b).toEqual({ Name: "b", Enabled: false, TlsPolicy: "Optional", ScanEnabled: false, Recipients: ["carol@example.com"], Actions: [{ StopAction: { Scope: "RuleSet" } }] });

    await client.send(new DeleteReceiptRuleCommand({ RuleSetName: "ordered", RuleName: "c" }));
    await client.send(new DeleteReceiptRuleCommand({ RuleSetName: "ordered", RuleName: "c" })); // not there: no error, as SES's model has none
    expect(await names()).toEqual(["a", "b", "d", everything.Name]);
  });

  test.each([
    ["a rule set that does not exist", { RuleSetName: "nope", Rule: { Name: "x" } }, "RuleSetDoesNotExistException", "Rule set does not exist: nope"],
    ["a rule name in use", { RuleSetName: "checks", Rule: { Name: "first" } }, "AlreadyExistsException", "Rule already exists: first"],
    ["After a rule that does not exist", { RuleSetName: "checks", After: "nope", Rule: { Name: "x" } }, "RuleDoesNotExistException", "Rule does not exist: nope"],
    ["a bad rule name", { RuleSetName: "checks", Rule: { Name: "-x" } }, "InvalidParameterValue", "Invalid rule name <-x>"],
    ["a bad recipient", { RuleSetName: "checks", Rule: { Name: "x", Recipients: ["not a domain"] } }, "InvalidParameterValue", "Invalid recipient <not a domain>"],
    ["an unknown TlsPolicy", { RuleSetName: "checks", Rule: { Name: "x", TlsPolicy: "Always" as "Require" } }, "ValidationError", "Value 'Always' at 'Rule.TlsPolicy' failed to satisfy constraint"],
    ["an unmapped function", { RuleSetName: "checks", Rule: { Name: "x", Actions: [{ LambdaAction: { FunctionArn: BROKEN_ARN } }] } }, "InvalidLambdaFunctionException", "ses-local maps no local handler to it"],
    ["a function name that is not an ARN", { RuleSetName: "checks", Rule: { Name: "x", Actions: [{ LambdaAction: { FunctionArn: "bouncer" } }] } }, "InvalidLambdaFunctionException", "it is not a Lambda function ARN"],
    ["a bad bucket", { RuleSetName: "checks", Rule: { Name: "x", Actions: [{ S3Action: { BucketName: "Mail_Bucket" } }] } }, "InvalidS3ConfigurationException", "Could not write to bucket Mail_Bucket"],
    ["a key prefix that climbs", { RuleSetName: "checks", Rule: { Name: "x", Actions: [{ S3Action: { BucketName: "mail", ObjectKeyPrefix: "a/../../b" } }] } }, "InvalidS3ConfigurationException", "it holds a . or .. segment"],
    ["a topic that is not an SNS ARN", { RuleSetName: "checks", Rule: { Name: "x", Actions: [{ StopAction: { Scope: "RuleSet", TopicArn: "topic" } }] } }, "InvalidSnsTopicException", "Invalid SNS topic <topic>"],
    ["a reply code that is not a failure", { RuleSetName: "checks", Rule: { Name: "x", Actions: [{ BounceAction: { ...bounceAction.BounceAction, SmtpReplyCode: "250" } }] } }, "InvalidParameterValue", "Invalid SMTP reply code <250>"],
    ["a status of another class", { RuleSetName: "checks", Rule: { Name: "x", Actions: [{ BounceAction: { ...bounceAction.BounceAction, SmtpReplyCode: "450" } }] } }, "InvalidParameterValue", "The status code 5.1.1 and the reply code 450 disagree"],
    ["a bounce message with a line break", { RuleSetName: "checks", Rule: { Name: "x", Actions: [{ BounceAction: { ...bounceAction.BounceAction, Message: "no\r\nsuch user" } }] } }, "InvalidParameterValue", "The bounce message cannot be written"],
    ["a bounce sender that is not an address", { RuleSetName: "checks", Rule: { Name: "x", Actions: [{ BounceAction: { ...bounceAction.BounceAction, Sender: "mailer-daemon" } }] } }, "InvalidParameterValue", "Invalid email address<mailer-daemon>"],
    ["a header name with a space", { RuleSetName: "checks", Rule: { Name: "x", Actions: [{ AddHeaderAction: { HeaderName: "X Rule", HeaderValue: "v" } }] } }, "InvalidParameterValue", "Invalid header name <X Rule>"],
    ["two actions in one member", { RuleSetName: "checks", Rule: { Name: "x", Actions: [{ StopAction: { Scope: "RuleSet" }, AddHeaderAction: { HeaderName: "X-A", HeaderValue: "v" } }] } }, "InvalidParameterValue", "holds StopAction and AddHeaderAction: an action holds exactly one of them"],
    ["a bounce without its sender", { RuleSetName: "checks", Rule: { Name: "x", Actions: [{ BounceAction: { SmtpReplyCode: "550", Message: "m" } as never }] } }, "ValidationError", "Value null at 'Rule.Actions.member.1.BounceAction.Sender'"],
    ["101 recipients", { RuleSetName: "checks", Rule: { Name: "x", Recipients: Array.from({ length: 101 }, (_, i) => `u${i}@example.com`) } }, "LimitExceededException", "at most 100 recipients"],
  ])("CreateReceiptRule refuses %s", async (_what, input, name, message) => {
    const { client } = r;
    if (r.ses.ruleSets().every((s) => s.name !== "checks")) {
      await client.send(new CreateReceiptRuleSetCommand({ RuleSetName: "checks" }));
      await client.send(new CreateReceiptRuleCommand({ RuleSetName: "checks", Rule: { Name: "first" } }));
    }
    const e = await failure(client.send(new CreateReceiptRuleCommand(input as never)));
    expect(e.name).toBe(name);
    expect(e.message).toContain(message);
    expect(e.status).toBe(400);
    expect((await client.send(new DescribeReceiptRuleSetCommand({ RuleSetName: "checks" }))).Rules?.map((x) => x.Name)).toEqual(["first"]);
  });

  test("UpdateReceiptRule and DescribeReceiptRule of a rule that does not exist: RuleDoesNotExist; a parameter that is not SES's: ValidationError", async () => {
    const { client } = r;
    await client.send(new CreateReceiptRuleSetCommand({ RuleSetName: "missing" }));
    expect((await failure(client.send(new UpdateReceiptRuleCommand({ RuleSetName: "missing", Rule: { Name: "ghost" } })))).name).toBe("RuleDoesNotExistException");
    expect((await failure(client.send(new DescribeReceiptRuleCommand({ RuleSetName: "missing", RuleName: "ghost" })))).Name).toBe("ghost");
    const typo = await signedCall(r.ses.httpPort, { Action: "CreateReceiptRule", RuleSetName: "missing", "Rule.Name": "x", "Rule.Enabeld": "true" });
    expect([typo.status, typo.code]).toEqual([400, "ValidationError"]);
    expect(typo.message).toContain("Rule.Enabeld is not a parameter of this action; did you mean Rule.Enabled?");
    const notBoolean = await signedCall(r.ses.httpPort, { Action: "CreateReceiptRule", RuleSetName: "missing", "Rule.Name": "x", "Rule.Enabled": "yes" });
    expect([notBoolean.code, notBoolean.message]).toEqual(["ValidationError", "1 validation error detected: Value 'yes' at 'Rule.Enabled' failed to satisfy constraint: Member must be true or false"]);
  });
});

describe("rules survive a restart", () => {
  test("rule sets, their rules in order and the active set are read back from the store", async () => {
    const t = await tempDir();
    try {
      const first = await start({ dir: t.dir });
      await first.client.send(new CreateReceiptRuleSetCommand({ RuleSetName: "kept" }));
      await first.client.send(new CreateReceiptRuleCommand({ RuleSetName: "kept", Rule: { Name: "two", Enabled: true, Actions: [bounceAction] } }));
      await first.client.send(new CreateReceiptRuleCommand({ RuleSetName: "kept", Rule: { Name: "one", Recipients: ["bob@example.com"], Actions: [{ StopAction: { Scope: "RuleSet" } }] } }));
      await first.client.send(new SetActiveReceiptRuleSetCommand({ RuleSetName: "kept" }));
      const before = await first.client.send(new DescribeActiveReceiptRuleSetCommand({}));
      await first.close();

      const second = await start({ dir: t.dir });
      const after = await second.client.send(new DescribeActiveReceiptRuleSetCommand({}));
      expect(after.Metadata).toEqual(before.Metadata);
      expect(after.Rules).toEqual(before.Rules);
      expect(after.Rules?.map((x) => x.Name)).toEqual(["one", "two"]);
      await second.close();
    } finally {
      await t.remove();
    }
  });
});

describe("stopping", () => {
  test("close() stops a function in the middle of an invocation instead of waiting for its timeout; the message is kept", async () => {
    const { dir, remove } = await tempDir();
    const r = await start({ dir, lambdaTimeout: 600, lambdas: { [ARN]: join(FIXTURES, "scripted.mjs") } });
    await r.client.send(new CreateReceiptRuleSetCommand({ RuleSetName: "s" }));
    await r.client.send(new CreateReceiptRuleCommand({ RuleSetName: "s", Rule: { Name: "wait", Enabled: true, Actions: [{ LambdaAction: { FunctionArn: ARN, InvocationType: "RequestResponse" } }] } }));
    await r.client.send(new SetActiveReceiptRuleSetCommand({ RuleSetName: "s" }));
    const id = await deliver(r.ses.smtpPort, mail({ subject: "hang" }), "alice@example.org", ["bob@example.com"]);
    // The function has started (it logs first), and hangs; close() must not wait 600 s for it.
    for (let i = 0; i < 400 && !r.logs.some((l) => l.includes(`handled ${id}`)); i++) await new Promise((ok) => setTimeout(ok, 50));
    expect(r.logs.some((l) => l.includes(`handled ${id}`))).toBe(true);
    await r.close();
    expect(r.warnings.some((w) => w.includes(id) && w.includes("the container was stopped (ses-local is stopping)"))).toBe(true);
    const again = await start({ dir });
    expect(again.ses.message(id)?.messageId).toBe(id);
    await again.close();
    await remove();
  });
});

describe("matching recipients and reading headers", () => {
  test("an address, a domain (not its subdomains), .domain (its subdomains only), nothing (all); case-insensitive", () => {
    expect(recipientMatches(["bob@example.com"], "BOB@example.COM")).toBe(true);
    expect(recipientMatches(["bob@example.com"], "rob@example.com")).toBe(false);
    expect(recipientMatches(["example.com"], "anyone@example.com")).toBe(true);
    expect(recipientMatches(["example.com"], "anyone@sub.example.com")).toBe(false);
    expect(recipientMatches([".example.com"], "anyone@sub.example.com")).toBe(true);
    expect(recipientMatches([".example.com"], "anyone@example.com")).toBe(false);
    expect(recipientMatches([".example.com"], "anyone@badexample.com")).toBe(false);
    expect(recipientMatches([], "anyone@example.net")).toBe(true);
  });

  test("address lists split at the commas between addresses only", () => {
    expect(splitAddressList('"Doe, John" <john@example.com>, (a, comment) jane@example.com, <x@[IPv6:2001:db8::1]>')).toEqual([
      '"Doe, John" <john@example.com>',
      "(a, comment) jane@example.com",
      "<x@[IPv6:2001:db8::1]>",
    ]);
    expect(splitAddressList("undisclosed-recipients:;")).toEqual([]);
    expect(splitAddressList("team: a@example.com, b@example.com;, c@example.com")).toEqual(["a@example.com", "b@example.com", "c@example.com"]);
  });

  test("headers are unfolded, in order, cut after 10 KB; common headers are SES's", () => {
    // 6,000 octets each, folded into lines of 60.
    const big = `X-Big:${" xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n".repeat(100)}`;
    const raw = Buffer.from(
      "Return-Path: <alice@example.org>\r\nFrom: Alice <alice@example.org>\r\nTo: bob@example.com,\r\n  carol@example.com\r\nSubject: =?UTF-8?B?w6l0w6k=?=\r\n" +
        big +
        big +
        "Message-ID: <late@example.org>\r\n\r\nbody\r\n",
    );
    const h = mailHeaders(raw);
    expect(h.headers.slice(0, 4)).toEqual([
      { name: "Return-Path", value: "<alice@example.org>" },
      { name: "From", value: "Alice <alice@example.org>" },
      { name: "To", value: "bob@example.com,  carol@example.com" },
      { name: "Subject", value: "=?UTF-8?B?w6l0w6k=?=" },
    ]);
    expect(h.headersTruncated).toBe(true);
    expect(h.headers.map((x) => x.name)).toEqual(["Return-Path", "From", "To", "Subject", "X-Big"]);
    expect(h.commonHeaders).toEqual({
      returnPath: "alice@example.org",
      from: ["Alice <alice@example.org>"],
      to: ["bob@example.com", "carol@example.com"],
      subject: "été",
      messageId: "<late@example.org>",
    });
  });
});

/** Polls until `check` returns a value (not undefined), or fails after `ms`. */
async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Recorded {
  subject: string;
  invocations: number;
  event: SesReceiptEvent;
  at: number;
  context: { functionName: string; invokedFunctionArn: string; awsRequestId: string; remaining: number };
  env: Record<string, string | undefined>;
}

describe("the active rule set runs on mail received over SMTP", () => {
  let r: Running;
  let record: string;
  let http: ReturnType<typeof createServer>;
  const httpEvents: SesReceiptEvent[] = [];
  const saved = { LAMBDA_RECORD: process.env.LAMBDA_RECORD, AWS_PROFILE: process.env.AWS_PROFILE };

  beforeAll(async () => {
    http = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        httpEvents.push(JSON.parse(Buffer.concat(chunks).toString("utf8")) as SesReceiptEvent);
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ disposition: "STOP_RULE" }));
      });
    });
    await new Promise<void>((ok) => http.listen(0, "127.0.0.1", ok));
    const t = await tempDir();
    record = join(t.dir, "invocations.jsonl");
    // The functions inherit the emulator's environment, as the CLI's do; AWS_PROFILE is not passed on.
    process.env.LAMBDA_RECORD = record;
    process.env.AWS_PROFILE = "someone-elses";
    r = await start({
      dir: t.dir,
      lambdaTimeout: 1.5,
      lambdaRetryDelays: [0.2, 0.4],
      lambdas: {
        [ARN]: join(FIXTURES, "scripted.mjs"),
        [CALLBACK_ARN]: join(FIXTURES, "callback.mjs"),
        [BROKEN_ARN]: join(FIXTURES, "no-handler.mjs"),
        [HTTP_ARN]: `http://127.0.0.1:${(http.address() as AddressInfo).port}/invoke`,
      },
    });
    const { client } = r;
    await client.send(new CreateReceiptRuleSetCommand({ RuleSetName: "main" }));
    // Rules are placed first unless After is given: build the list from the last rule up.
    const rules: ReceiptRule[] = [
      { Name: "tagged", Enabled: true, Recipients: ["tag@example.com"], Actions: [{ AddHeaderAction: { HeaderName: "X-Tag", HeaderValue: "seen" } }, { S3Action: { BucketName: "mail", ObjectKeyPrefix: "tagged" } }] },
      {
        Name: "scripted",
        Enabled: true,
        ScanEnabled: true,
        Recipients: ["lambda@example.com", "other@example.com"],
        Actions: [{ LambdaAction: { FunctionArn: ARN, InvocationType: "RequestResponse" } }, { S3Action: { BucketName: "mail", ObjectKeyPrefix: "after-lambda/" } }],
      },
      { Name: "later", Enabled: true, Recipients: ["lambda@example.com"], Actions: [{ S3Action: { BucketName: "mail", ObjectKeyPrefix: "later-rule/" } }] },
      { Name: "async", Enabled: true, Recipients: ["async@example.com"], Actions: [{ LambdaAction: { FunctionArn: ARN, InvocationType: "Event" } }, { S3Action: { BucketName: "mail", ObjectKeyPrefix: "async/" } }] },
      { Name: "callback", Enabled: true, Recipients: ["callback@example.com"], Actions: [{ LambdaAction: { FunctionArn: CALLBACK_ARN, InvocationType: "RequestResponse" } }, { S3Action: { BucketName: "mail", ObjectKeyPrefix: "callback/" } }] },
      { Name: "broken", Enabled: true, Recipients: ["broken@example.com"], Actions: [{ LambdaAction: { FunctionArn: BROKEN_ARN, InvocationType: "RequestResponse" } }, { S3Action: { BucketName: "mail", ObjectKeyPrefix: "broken/" } }] },
      { Name: "over-http", Enabled: true, Recipients: ["http@example.com"], Actions: [{ LambdaAction: { FunctionArn: HTTP_ARN, InvocationType: "RequestResponse" } }, { S3Action: { BucketName: "mail", ObjectKeyPrefix: "http/" } }] },
      { Name: "disabled", Enabled: false, Recipients: ["off@example.com"], Actions: [bounceAction] },
      { Name: "stop-here", Enabled: true, Recipients: ["stop@example.com"], Actions: [{ StopAction: { Scope: "RuleSet" } }] },
      { Name: "subdomains", Enabled: true, Recipients: [".example.com"], Actions: [{ S3Action: { BucketName: "mail", ObjectKeyPrefix: "sub/" } }] },
      { Name: "bounce-the-rest", Enabled: true, Recipients: ["example.com"], Actions: [bounceAction] },
    ];
    for (const rule of rules.reverse()) await client.send(new CreateReceiptRuleCommand({ RuleSetName: "main", Rule: rule }));
    await client.send(new SetActiveReceiptRuleSetCommand({ RuleSetName: "main" }));
  });

  afterAll(async () => {
    await r?.close();
    await new Promise((ok) => http?.close(ok));
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await (await tempDir()).remove();
  });

  async function send(to: string[], subject: string, from = "alice@example.org"): Promise<string> {
    const id = await deliver(r.ses.smtpPort, mail({ subject, to: to.join(", "), messageId: `<${subject.replace(/\W/g, "")}.${Date.now()}@example.org>` }), from, to);
    await r.ses.idle();
    return id;
  }

  async function invocations(): Promise<Recorded[]> {
    const text = await readFile(record, "utf8").catch(() => "");
    return text
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as Recorded);
  }

  const s3 = (prefix: string, id: string) => join(r.ses.s3Dir, "mail", ...prefix.split("/").filter((p) => p !== ""), id);
  const exists = (path: string) => readFile(path).then(
    () => true,
    () => false,
  );

  test("RCPT TO a recipient that no enabled rule matches is refused (550 5.1.1); the others are taken", async () => {
    const c = await smtpClient(r.ses.smtpPort);
    try {
      const info = await c.send("alice@example.org", ["nobody@example.net", "bob@example.com"], mail());
      expect(info.rejected).toEqual(["nobody@example.net"]);
      expect(info.accepted).toEqual(["bob@example.com"]);
    } finally {
      c.close();
    }
    await r.ses.idle();
  });

  test("a Bounce action writes the bounce through SendBounce's path: SES's layout, the matched recipients, the rule named", async () => {
    const id = await send(["ghost@example.com", "bob@example.com"], "Bounce me");
    const bounces = r.ses.bounces().filter((b) => b.originalMessageId === id);
    expect(bounces).toHaveLength(1);
    const b = r.ses.bounce(bounces[0]!.bounceId)!;
    expect([b.receiptRule, b.accessKeyId, b.bounceSender, b.rcptTo]).toEqual(["main/bounce-the-rest", "", "mailer-daemon@example.com", ["alice@example.org"]]);
    const raw = await readFile(r.ses.outboxPath(b.bounceId), "utf8");
    // Every recipient the rule matched is bounced, in one DSN, from the receiving region.
    for (const recipient of ["ghost@example.com", "bob@example.com"]) expect(raw).toContain(`Final-Recipient: rfc822; ${recipient}\r\n`);
    expect(raw.match(/^Status: 5\.1\.1\r$/gm)).toHaveLength(2);
    expect(raw.match(/^Diagnostic-Code: smtp; 550 5\.1\.1 Mailbox does not exist\r$/gm)).toHaveLength(2);
    expect(raw).toContain("Reporting-MTA: dns; inbound-smtp.us-east-1.amazonaws.com\r\n");
    expect(raw).toContain(`Message-ID: <${b.bounceId}@`);
    expect(raw).toContain("Subject: Bounce me\r\n"); // the original's headers are returned

    // The same request through SendBounce gives the same bounce, but for its id, date and boundary.
    const request = JSON.parse(b.request) as { BouncedRecipientInfoList: { Recipient: string; RecipientDsnFields: Record<string, string> }[] };
    const params: Record<string, string> = { Action: "SendBounce", OriginalMessageId: id, BounceSender: "mailer-daemon@example.com" };
    request.BouncedRecipientInfoList.forEach((x, i) => {
      params[`BouncedRecipientInfoList.member.${i + 1}.Recipient`] = x.Recipient;
      for (const [k, v] of Object.entries(x.RecipientDsnFields)) params[`BouncedRecipientInfoList.member.${i + 1}.RecipientDsnFields.${k}`] = v;
    });
    const sent = await signedCall(r.ses.httpPort, params);
    const sentId = /<MessageId>([^<]+)<\/MessageId>/.exec(sent.body)?.[1];
    expect(sentId, sent.body).toBeDefined();
    const normalize = (text: string, bounceId: string) => {
      const boundary = /boundary="([^"]+)"/.exec(text)![1]!;
      return text
        .split(bounceId)
        .join("BOUNCE-ID")
        .split(boundary)
        .join("BOUNDARY")
        .replace(/^Date: .*$/m, "Date: NOW")
        .replace(/^X-SES-Outgoing: [0-9.]+-/m, "X-SES-Outgoing: TODAY-");
    };
    expect(normalize(raw, b.bounceId)).toBe(normalize(await readFile(r.ses.outboxPath(sentId!), "utf8"), sentId!));
    expect(JSON.parse(b.request)).toEqual({
      OriginalMessageId: id,
      BounceSender: "mailer-daemon@example.com",
      BouncedRecipientInfoList: ["ghost@example.com", "bob@example.com"].map((Recipient) => ({
        Recipient,
        RecipientDsnFields: { Action: "failed", Status: "5.1.1", DiagnosticCode: "smtp; 550 5.1.1 Mailbox does not exist" },
      })),
    });
    // A disabled rule does nothing; the rule set's last rule bounced off@ instead.
    const off = await send(["off@example.com"], "Disabled rule");
    expect(r.ses.bounces().filter((x) => x.originalMessageId === off).map((x) => x.receiptRule)).toEqual(["main/bounce-the-rest"]);
  });

  test("Stop ends the rule set for the whole message, as on SES: no later rule runs, for any recipient", async () => {
    const id = await send(["stop@example.com", "ghost@example.com"], "Stopped");
    expect(r.ses.bounces().filter((b) => b.originalMessageId === id)).toEqual([]);
    expect(r.logs.some((l) => l.includes(`receipt rule main/stop-here: Stop: no later action or rule runs for ${id}`))).toBe(true);
  });

  test("a message with a null reverse-path is not bounced", async () => {
    const id = await send(["ghost@example.com"], "A bounce itself", "");
    expect(r.ses.bounces().filter((b) => b.originalMessageId === id)).toEqual([]);
    expect(r.logs.some((l) => l.includes(`${id} is not bounced: its reverse-path is null`))).toBe(true);
  });

  test("AddHeader adds to what later actions see, not to the stored message; S3 writes under the bucket and prefix", async () => {
    const id = await send(["tag@example.com"], "Tag me");
    const written = await readFile(s3("tagged", id), "utf8");
    expect(written.startsWith("X-Tag: seen\r\nReturn-Path: <alice@example.org>\r\n")).toBe(true);
    expect(r.ses.message(id)!.raw.toString("utf8").startsWith("Return-Path: ")).toBe(true);
    // A rule's actions run for its matched recipients; tag@ matched no later rule but the domain one.
    expect(r.ses.bounces().filter((b) => b.originalMessageId === id)).toHaveLength(1);
  });

  test("a subdomain rule (.example.com) takes mail for subdomains; the domain rule does not", async () => {
    const id = await send(["someone@mail.example.com"], "Subdomain");
    expect(await exists(s3("sub/", id))).toBe(true);
    expect(r.ses.bounces().filter((b) => b.originalMessageId === id)).toEqual([]);
  });

  test("Lambda RequestResponse: the event SES sends, the function's environment, and CONTINUE", async () => {
    const id = await send(["lambda@example.com", "bob@example.com"], "Plain");
    const [inv] = (await invocations()).filter((i) => i.event.Records[0]!.ses.mail.messageId === id);
    expect(inv).toBeDefined();
    const { mail: m, receipt } = inv!.event.Records[0]!.ses;
    const stored = r.ses.message(id)!;
    expect(inv!.event.Records[0]!.eventSource).toBe("aws:ses");
    expect(inv!.event.Records[0]!.eventVersion).toBe("1.0");
    expect(m.timestamp).toBe(stored.arrival.toISOString());
    expect([m.source, m.messageId, m.destination, m.headersTruncated]).toEqual(["alice@example.org", id, ["lambda@example.com", "bob@example.com"], false]);
    expect(m.headers[0]).toEqual({ name: "Return-Path", value: "<alice@example.org>" });
    expect(m.headers[1]!.name).toBe("Received");
    expect(m.headers[1]!.value).toContain(`with SMTP id ${id}`);
    expect(m.commonHeaders).toMatchObject({ returnPath: "alice@example.org", from: ["Alice <alice@example.org>"], to: ["lambda@example.com", "bob@example.com"], subject: "Plain" });
    expect(receipt.timestamp).toBe(m.timestamp);
    expect(receipt.processingTimeMillis).toBeGreaterThanOrEqual(0);
    expect(receipt.recipients).toEqual(["lambda@example.com"]); // only those the rule matched
    // The rule scans (ScanEnabled) but ses-local has no scanner: GRAY; no DNS checks: GRAY.
    expect([receipt.spamVerdict, receipt.virusVerdict, receipt.spfVerdict, receipt.dkimVerdict, receipt.dmarcVerdict].map((v) => v.status)).toEqual(["GRAY", "GRAY", "GRAY", "GRAY", "GRAY"]);
    expect(receipt.action).toEqual({ type: "Lambda", functionArn: ARN, invocationType: "RequestResponse" });
    expect(inv!.context).toMatchObject({ functionName: "scripted", invokedFunctionArn: ARN });
    expect(inv!.context.remaining).toBeGreaterThan(0);
    expect(inv!.context.remaining).toBeLessThanOrEqual(1500);
    expect(inv!.env).toEqual({
      AWS_REGION: "eu-west-1",
      AWS_DEFAULT_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: SECRET,
      AWS_ENDPOINT_URL_SES: r.ses.endpoint,
      AWS_LAMBDA_FUNCTION_NAME: "scripted",
    });
    // No disposition: CONTINUE, so the rule's S3 action and the later rule ran.
    expect(await exists(s3("after-lambda/", id))).toBe(true);
    expect(await exists(s3("later-rule/", id))).toBe(true);
    expect(r.logs.some((l) => l.includes(`lambda scripted: handled ${id} (Plain)`))).toBe(true);
  });

  test("Lambda RequestResponse dispositions: STOP_RULE skips the rule's other actions, STOP_RULE_SET every later rule, CONTINUE neither", async () => {
    const stopRule = await send(["lambda@example.com"], "disposition STOP_RULE");
    expect([await exists(s3("after-lambda/", stopRule)), await exists(s3("later-rule/", stopRule))]).toEqual([false, true]);
    const stopSet = await send(["lambda@example.com"], "disposition STOP_RULE_SET");
    expect([await exists(s3("after-lambda/", stopSet)), await exists(s3("later-rule/", stopSet))]).toEqual([false, false]);
    const go = await send(["lambda@example.com"], "disposition CONTINUE");
    expect([await exists(s3("after-lambda/", go)), await exists(s3("later-rule/", go))]).toEqual([true, true]);
    // The container stayed warm: the module's counter went on.
    const counts = (await invocations()).map((i) => i.invocations);
    expect(counts.slice(-3)).toEqual([counts.at(-3)!, counts.at(-3)! + 1, counts.at(-3)! + 2]);
  });

  test("a handler in the callback style is answered too", async () => {
    const id = await send(["callback@example.com"], "Callback");
    expect(await exists(s3("callback/", id))).toBe(false); // STOP_RULE_SET
    expect(r.logs.some((l) => l.includes(`Lambda callback (RequestResponse) for ${id} returned STOP_RULE_SET`))).toBe(true);
  });

  test.each([
    ["throws", "throw", "TypeError: the handler failed on purpose"],
    ["returns a disposition SES does not know", "bad", 'returned {"disposition":"STOP_EVERYTHING"}'],
    ["runs past the timeout (a promise that never settles)", "hang", "Task timed out after 1.50 seconds"],
    ["runs past the timeout (a loop that never yields)", "spin", "Task timed out after 1.50 seconds"],
    ["exits its process", "exit", "the container exited with code 3"],
  ])("a function that %s is logged, the rule set goes on as for CONTINUE, and the message is stored once", async (_what, subject, warning) => {
    const before = r.ses.messages().length;
    const id = await send(["lambda@example.com"], subject);
    expect(r.warnings.some((w) => w.includes(id) && w.includes(warning) && w.includes("CONTINUE"))).toBe(true);
    expect(await exists(s3("after-lambda/", id))).toBe(true);
    expect(await exists(s3("later-rule/", id))).toBe(true);
    expect(r.ses.messages().length).toBe(before + 1);
    expect(r.ses.messages().filter((m) => m.messageId === id)).toHaveLength(1);
    // The next invocation works (a fresh container when the last one was stopped).
    const next = await send(["lambda@example.com"], "disposition STOP_RULE");
    expect(await exists(s3("after-lambda/", next))).toBe(false);
  });

  test("a module without a handler fails its invocations, logged", async () => {
    const id = await send(["broken@example.com"], "Broken");
    expect(r.warnings.some((w) => w.includes(id) && w.includes("no-handler.mjs exports no function named handler"))).toBe(true);
    expect(await exists(s3("broken/", id))).toBe(true);
  });

  test("Lambda Event: the rule set does not wait for the function; a timeout is retried after each delay, then the event is dropped", async () => {
    const id = await deliver(r.ses.smtpPort, mail({ subject: "hang" }), "alice@example.org", ["async@example.com"]);
    await eventually(async () => ((await exists(s3("async/", id))) ? true : undefined));
    await r.ses.idle();
    // The S3 action after the Event invocation ran while the function still hung: before its timeout.
    const wrote = r.events.findIndex((l) => l.includes(`S3: wrote ${id}`));
    const timedOut = r.events.findIndex((l) => l.includes(id) && l.includes("(Event)") && l.includes("Task timed out"));
    expect(wrote).toBeGreaterThanOrEqual(0);
    expect(timedOut).toBeGreaterThan(wrote);
    // A timeout is a function error to Lambda: tried three times in all, as the delays [0.2, 0.4] say.
    const mine = r.warnings.filter((l) => l.includes(id) && l.includes("(Event)"));
    expect(mine.map((l) => l.replace(/.*failed after \d+ ms/, "failed after N ms"))).toEqual([
      "failed after N ms (attempt 1 of 3): Task timed out after 1.50 seconds; Lambda tries it again in 0.2 s",
      "failed after N ms (attempt 2 of 3): Task timed out after 1.50 seconds; Lambda tries it again in 0.4 s",
      "failed after N ms (attempt 3 of 3): Task timed out after 1.50 seconds; no try left: the event is dropped",
    ]);
    expect((await invocations()).filter((i) => i.event.Records[0]!.ses.mail.messageId === id)).toHaveLength(3);
  });

  test("Lambda Event: a function error is retried with the same event and request id, after at least each delay, until a try succeeds", async () => {
    const id = await deliver(r.ses.smtpPort, mail({ subject: "fail twice" }), "alice@example.org", ["async@example.com"]);
    await r.ses.idle();
    const tries = (await invocations()).filter((i) => i.event.Records[0]!.ses.mail.messageId === id);
    expect(tries).toHaveLength(3);
    expect(new Set(tries.map((t) => JSON.stringify(t.event))).size).toBe(1);
    expect(new Set(tries.map((t) => t.context.awsRequestId)).size).toBe(1);
    expect(tries[0]!.context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(200 - 15);
    expect(tries[2]!.at - tries[1]!.at).toBeGreaterThanOrEqual(400 - 15);
    const mine = r.events.filter((l) => l.includes(id) && l.includes("(Event) for"));
    expect(mine).toHaveLength(3);
    expect(mine[0]).toMatch(/\(attempt 1 of 3\): Error: failing try 1 on purpose; Lambda tries it again in 0\.2 s$/);
    expect(mine[1]).toMatch(/\(attempt 2 of 3\): Error: failing try 2 on purpose; Lambda tries it again in 0\.4 s$/);
    expect(mine[2]).toMatch(/ended in \d+ ms \(attempt 3 of 3\)$/);
    // The rule set went on at once: the S3 action after the Lambda action wrote the message.
    expect(await exists(s3("async/", id))).toBe(true);
  });

  test("Lambda Event: stopping ses-local ends the wait for a retry; the retry is not made, and says so", async () => {
    const t = await tempDir();
    const alone = await start({ dir: t.dir, lambdaTimeout: 5, lambdaRetryDelays: [3600], lambdas: { [ARN]: join(FIXTURES, "scripted.mjs") } });
    try {
      await alone.client.send(new CreateReceiptRuleSetCommand({ RuleSetName: "s" }));
      await alone.client.send(new CreateReceiptRuleCommand({ RuleSetName: "s", Rule: { Name: "r", Enabled: true, Recipients: [], Actions: [{ LambdaAction: { FunctionArn: ARN, InvocationType: "Event" } }] } }));
      await alone.client.send(new SetActiveReceiptRuleSetCommand({ RuleSetName: "s" }));
      const id = await deliver(alone.ses.smtpPort, mail({ subject: "throw" }), "alice@example.org", ["async@example.com"]);
      await eventually(() => (alone.warnings.some((l) => l.includes(id) && l.includes("tries it again in 60 min")) ? true : undefined));
      const started = Date.now();
      await alone.close();
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(alone.warnings.filter((l) => l.includes(id))).toEqual([
        expect.stringMatching(/\(attempt 1 of 2\): TypeError: the handler failed on purpose; Lambda tries it again in 60 min$/),
        expect.stringMatching(/: attempt 2 of 2 not made: ses-local is stopping; the event is dropped$/),
      ]);
    } finally {
      await alone.close();
      await t.remove();
    }
  });

  test("a function at an HTTP URL gets the event as JSON and answers the disposition", async () => {
    const id = await send(["http@example.com"], "Over HTTP");
    const event = httpEvents.find((e) => e.Records[0]!.ses.mail.messageId === id);
    expect(event?.Records[0]!.ses.receipt.action).toEqual({ type: "Lambda", functionArn: HTTP_ARN, invocationType: "RequestResponse" });
    expect(await exists(s3("http/", id))).toBe(false); // STOP_RULE
  });

  test("S3 objects are named by message id, under the prefix as a folder", async () => {
    const files = await readdir(join(r.ses.s3Dir, "mail"));
    expect(files).toEqual(expect.arrayContaining(["tagged", "after-lambda", "later-rule"]));
  });
});
