/**
 * Unmodified clients against ses-local: the AWS CLI version 1, boto3 and the AWS SDK for
 * JavaScript v3 each verify a sender and send a bounce for a message delivered over SMTP. Each
 * bounce's outbox file is read back by core's parseDsn and by Python's `email` package.
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MessageRejected, SESClient, SESServiceException, SendBounceCommand, VerifyEmailIdentityCommand } from "@aws-sdk/client-ses";
import { parseDsn } from "@dsnkit/core";
import { startSesLocal } from "@dsnkit/ses-local";
import type { SesLocal } from "@dsnkit/ses-local";
import { ACCESS_KEY_ID, SECRET, deliver, mail, tempDir } from "../../packages/ses-local/test/helpers.js";
import { HELPER, awsEnv, findAwsCliV1, findPythonWithBoto3, run } from "./support.js";

const REGION = "eu-west-1";
/** Each AWS CLI or Python run starts an interpreter: slow on a loaded 2-core machine. */
const SLOW = { timeout: 180_000 };
let ses: SesLocal;
let scratch: { dir: string; remove: () => Promise<void> };

beforeAll(async () => {
  scratch = await tempDir();
  ses = await startSesLocal({ smtpPort: 0, httpPort: 0, dataDir: scratch.dir, domains: ["example.com"], rate: 0 });
});

afterAll(async () => {
  await ses?.close();
  await scratch?.remove();
});

/** A message from alice@example.org to bob@ and carol@example.com; returns its SES id. */
function receive(subject: string): Promise<string> {
  return deliver(ses.smtpPort, mail({ subject, to: "bob@example.com, carol@example.com", messageId: `<${subject.replace(/\W/g, "")}@mail.example.org>` }), "alice@example.org", [
    "bob@example.com",
    "carol@example.com",
  ]);
}

interface PyRead {
  defects: string[];
  content_type: string;
  report_type: string | null;
  top: Record<string, string | null>;
  parts: string[];
  text: string | null;
  per_message: Record<string, string> | null;
  recipients: Record<string, string>[];
  original: Record<string, string> | null;
}

/** Reads a bounce in the outbox with Python's email package and with core's parseDsn, and checks both. */
async function checkBounce(bounceId: string, expected: { subject: string; sender: string; recipient: string; status: string; reportingMta: string; explanation?: string }) {
  const path = ses.outboxPath(bounceId);
  const raw = await readFile(path);
  expect(path.endsWith(`/${bounceId}.eml`)).toBe(true);

  const python = await findPythonWithBoto3();
  const r = await run(python, [HELPER, "read-dsn", path]);
  expect(r.code, r.stderr).toBe(0);
  const py = JSON.parse(r.stdout) as PyRead;
  expect(py.defects).toEqual([]);
  expect(py.content_type).toBe("multipart/report");
  expect(py.report_type).toBe("delivery-status");
  expect(py.parts).toEqual(["text/plain", "message/delivery-status", "text/rfc822-headers"]);
  expect(py.top.to).toBe("alice@example.org");
  // SES's layout: no Auto-Submitted or In-Reply-To; the fields SES's outbound servers add.
  expect(py.top["auto-submitted"]).toBeNull();
  expect(py.top["in-reply-to"]).toBeNull();
  expect(py.top["x-ses-outgoing"]).toMatch(/^\d{4}\.\d{2}\.\d{2}-127\.0\.0\.1$/);
  expect(py.top["feedback-id"]).toMatch(new RegExp(`^1\\.${REGION}\\.[A-Za-z0-9+/]{43}=:AmazonSES$`));
  expect(py.top["from"]).toContain(expected.sender);
  expect(py.per_message?.["reporting-mta"]).toBe(`dns; ${expected.reportingMta}`);
  expect(py.per_message?.["arrival-date"]).toMatch(/^\w{3}, \d{2} \w{3} \d{2} \d{2}:\d{2}:\d{2} UTC$/);
  expect(py.recipients).toHaveLength(1);
  expect(py.recipients[0]!["final-recipient"]).toBe(`rfc822; ${expected.recipient}`);
  expect(py.recipients[0]!.action).toBe("failed");
  expect(py.recipients[0]!.status).toBe(expected.status);
  expect(py.recipients[0]!["diagnostic-code"]).toMatch(new RegExp(`^smtp; 5\\d\\d ${expected.status.replace(/\./g, "\\.")} `));
  expect(py.original?.subject).toBe(expected.subject);
  expect(py.original?.["return-path"]).toBe("<alice@example.org>");
  if (expected.explanation !== undefined) expect(py.text).toContain(expected.explanation);

  const dsn = parseDsn(raw);
  // SES's Arrival-Date zone UTC is what there is to tolerate.
  expect(dsn.tolerances.map((t) => t.code)).toEqual(["date-obsolete"]);
  expect(dsn.message.from?.address).toBe(expected.sender);
  expect(dsn.message.to).toBe("alice@example.org");
  expect(dsn.message.messageId).toBe(`<${bounceId}@${REGION}.amazonses.com>`);
  expect(dsn.message.inReplyTo).toBeUndefined();
  expect(dsn.deliveryStatus.perMessage.reportingMta).toEqual({ type: "dns", name: expected.reportingMta });
  expect(dsn.deliveryStatus.recipients).toHaveLength(1);
  expect(dsn.deliveryStatus.recipients[0].finalRecipient).toEqual({ type: "rfc822", address: expected.recipient });
  expect(dsn.deliveryStatus.recipients[0].originalRecipient).toEqual({ type: "rfc822", address: expected.recipient });
  expect(dsn.deliveryStatus.recipients[0].action).toBe("failed");
  expect(dsn.deliveryStatus.recipients[0].status).toBe(expected.status);
  expect(dsn.original?.type).toBe("text/rfc822-headers");
  expect(dsn.original?.headers.find((h) => h.name === "Subject")?.value).toBe(expected.subject);
  if (expected.explanation !== undefined) expect(dsn.explanation).toContain(expected.explanation);
}

describe("the AWS CLI version 1", SLOW, () => {
  test("verify-email-identity and send-bounce against --endpoint-url", async () => {
    const aws = await findAwsCliV1();
    const env = awsEnv({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, region: REGION }, scratch.dir);
    const common = ["--endpoint-url", ses.endpoint, "--region", REGION, "--output", "json"];
    const id = await receive("Sent with the AWS CLI");

    const verify = await run(aws, ["ses", "verify-email-identity", "--email-address", "mailer-daemon@example.net", ...common], { env });
    expect(verify.code, verify.stderr).toBe(0);

    const r = await run(
      aws,
      [
        "ses",
        "send-bounce",
        "--original-message-id",
        id,
        "--bounce-sender",
        "mailer-daemon@example.net",
        "--explanation",
        "Bob no longer works here.",
        "--message-dsn",
        JSON.stringify({ ReportingMta: "dns; mx.example.com", ArrivalDate: "2026-11-26T09:59:58Z", ExtensionFields: [{ Name: "Rule", Value: "departed" }] }),
        "--bounced-recipient-info-list",
        "Recipient=bob@example.com,BounceType=DoesNotExist",
        ...common,
      ],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    const bounceId = (JSON.parse(r.stdout) as { MessageId: string }).MessageId;
    expect(ses.bounce(bounceId)?.originalMessageId).toBe(id);
    await checkBounce(bounceId, {
      subject: "Sent with the AWS CLI",
      sender: "mailer-daemon@example.net",
      recipient: "bob@example.com",
      status: "5.1.1",
      reportingMta: "mx.example.com",
      explanation: "Bob no longer works here.",
    });
    expect(ses.bounce(bounceId)!.raw.toString()).toContain("Arrival-Date: Thu, 26 Nov 26 09:59:58 UTC\r\nX-Rule: departed\r\n");
  });

  test("an error comes back as the CLI reports SES errors: code and message, exit 255", async () => {
    const aws = await findAwsCliV1();
    const env = awsEnv({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, region: REGION }, scratch.dir);
    const r = await run(
      aws,
      ["ses", "send-bounce", "--original-message-id", "no-such-message", "--bounce-sender", "mailer-daemon@example.com", "--bounced-recipient-info-list", "Recipient=bob@example.com,BounceType=DoesNotExist", "--endpoint-url", ses.endpoint, "--region", REGION],
      { env },
    );
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(/An error occurred \(MessageRejected\) when calling the SendBounce operation: Message no-such-message was not received/);
  });
});

describe("boto3", SLOW, () => {
  const boto3 = async (operation: string, params: unknown, key = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET }) => {
    const python = await findPythonWithBoto3();
    const r = await run(python, [HELPER, "boto3", ses.endpoint, REGION, key.accessKeyId, key.secretAccessKey, operation, JSON.stringify(params)]);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { result?: Record<string, unknown>; error?: { code: string; message: string; status: number } };
  };

  test("verify_email_identity and send_bounce with explicit DSN fields", async () => {
    const id = await receive("Sent with boto3");
    expect((await boto3("verify_email_identity", { EmailAddress: "postmaster@example.org" })).error).toBeUndefined();
    const r = await boto3("send_bounce", {
      OriginalMessageId: id,
      BounceSender: "Mail Delivery System <postmaster@example.org>",
      BouncedRecipientInfoList: [
        {
          Recipient: "carol@example.com",
          RecipientDsnFields: { Action: "failed", Status: "5.2.2", DiagnosticCode: "smtp; 552 5.2.2 Mailbox full", LastAttemptDate: "2026-11-26T09:59:59Z" },
        },
      ],
    });
    expect(r.error).toBeUndefined();
    const bounceId = r.result!.MessageId as string;
    await checkBounce(bounceId, { subject: "Sent with boto3", sender: "postmaster@example.org", recipient: "carol@example.com", status: "5.2.2", reportingMta: `inbound-smtp.${REGION}.amazonaws.com` });
  });

  test("boto3 sees MessageRejected (400) and SignatureDoesNotMatch (403) as botocore ClientErrors", async () => {
    const id = await receive("Refused for boto3");
    const unverified = await boto3("send_bounce", { OriginalMessageId: id, BounceSender: "nobody@unverified.example", BouncedRecipientInfoList: [{ Recipient: "bob@example.com", BounceType: "DoesNotExist" }] });
    expect(unverified.error).toMatchObject({ code: "MessageRejected", status: 400 });
    const badKey = await boto3("list_identities", {}, { accessKeyId: ACCESS_KEY_ID, secretAccessKey: "wrong" });
    expect(badKey.error).toMatchObject({ code: "SignatureDoesNotMatch", status: 403 });
  });
});

describe("the AWS SDK for JavaScript v3", SLOW, () => {
  const client = (secretAccessKey = SECRET, endpoint = ses.endpoint) =>
    new SESClient({ endpoint, region: REGION, credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey }, maxAttempts: 1 });

  test("VerifyEmailIdentityCommand and SendBounceCommand", async () => {
    const id = await receive("Sent with the JS SDK");
    const ses1 = client();
    await ses1.send(new VerifyEmailIdentityCommand({ EmailAddress: "bounces@example.org" }));
    const out = await ses1.send(
      new SendBounceCommand({
        OriginalMessageId: id,
        BounceSender: "bounces@example.org",
        MessageDsn: { ReportingMta: "mx.example.org", ArrivalDate: new Date("2026-11-26T09:59:58Z") },
        BouncedRecipientInfoList: [{ Recipient: "bob@example.com", BounceType: "ExceededQuota" }],
      }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    await checkBounce(out.MessageId!, { subject: "Sent with the JS SDK", sender: "bounces@example.org", recipient: "bob@example.com", status: "5.2.2", reportingMta: "mx.example.org" });
  });

  test("MessageRejected is the SDK's MessageRejected class; Throttling an SESServiceException named Throttling", async () => {
    const id = await receive("Refused for the JS SDK");
    const rejected = await client()
      .send(new SendBounceCommand({ OriginalMessageId: id, BounceSender: "bounces@example.org", BouncedRecipientInfoList: [{ Recipient: "dave@example.com", BounceType: "DoesNotExist" }] }))
      .catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(MessageRejected);
    expect((rejected as MessageRejected).$metadata.httpStatusCode).toBe(400);

    const t = await tempDir();
    const limited = await startSesLocal({ smtpPort: 0, httpPort: 0, dataDir: t.dir, domains: ["example.com"], rate: 1 });
    try {
      const c = client(SECRET, limited.endpoint);
      const other = await deliver(limited.smtpPort, mail());
      const call = () =>
        c.send(new SendBounceCommand({ OriginalMessageId: other, BounceSender: "postmaster@example.com", BouncedRecipientInfoList: [{ Recipient: "bob@example.com", BounceType: "DoesNotExist" }] }));
      await call();
      const throttled = await call().catch((e: unknown) => e);
      expect(throttled).toBeInstanceOf(SESServiceException);
      expect((throttled as SESServiceException).name).toBe("Throttling");
      expect((throttled as SESServiceException).message).toBe("Maximum sending rate exceeded.");
      expect((throttled as SESServiceException).$metadata.httpStatusCode).toBe(400);
    } finally {
      await limited.close();
      await t.remove();
    }
  });
});
