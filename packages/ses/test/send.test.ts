import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { MessageRejected } from "@aws-sdk/client-ses";
import type { SESClient } from "@aws-sdk/client-ses";
import type { SendBounceRequest } from "@dsnkit/core";
import {
  BounceOutcomeUnknownError,
  BounceRejectedError,
  BounceServiceError,
  BounceThrottledError,
  BounceValidationError,
  BounceWindowExpiredError,
  sendBounce,
  toSendBounceInput,
} from "@dsnkit/ses";
import { startSesQueryFake } from "./support/ses-query-fake.js";
import type { SesQueryFake } from "./support/ses-query-fake.js";
import { bounce, clientFor, queryEncode } from "./support/fixtures.js";

let fake: SesQueryFake;
let client: SESClient;

beforeEach(async () => {
  fake = await startSesQueryFake();
  client = clientFor(fake);
});
afterEach(async () => {
  client.destroy();
  await fake.close();
});

const NOW = new Date("2026-11-26T10:00:00Z");
const now = () => NOW;

/** Every field SES has, lists of several members, extension fields at both levels, the three timestamp forms. */
const FULL: SendBounceRequest = {
  OriginalMessageId: "0100019abc-1111-2222-3333-444455556666-000000",
  BounceSender: "Mail Delivery System <mailer-daemon@example.com>",
  Explanation: "Your message could not be delivered.\nWrite to postmaster@example.com (24h).",
  MessageDsn: {
    ReportingMta: "mx.example.com",
    ArrivalDate: "2026-11-26T09:59:58.750Z",
    ExtensionFields: [
      { Name: "Rule", Value: "unknown-user" },
      { Name: "X-Tenant", Value: "acme; eu & co" },
    ],
  },
  BouncedRecipientInfoList: [
    { Recipient: "nobody@example.com", BounceType: "DoesNotExist" },
    {
      Recipient: "full@example.com",
      RecipientArn: "arn:aws:ses:eu-west-1:123456789012:identity/example.com",
      BounceType: "ExceededQuota",
      RecipientDsnFields: {
        FinalRecipient: "full.final@example.com",
        Action: "failed",
        RemoteMta: "DNS; mx2.example.com",
        Status: "5.2.2",
        DiagnosticCode: "552 5.2.2 Mailbox full",
        LastAttemptDate: 1795687190,
        ExtensionFields: [
          { Name: "Quota", Value: "100%" },
          { Name: "Store", Value: "s3://mail/full" },
        ],
      },
    },
    {
      Recipient: "later@example.com",
      RecipientDsnFields: { Action: "delayed", Status: "4.4.7", LastAttemptDate: new Date("2026-11-26T09:59:59.999Z") },
    },
  ],
  BounceSenderArn: "arn:aws:ses:eu-west-1:123456789012:identity/example.com",
};

/**
 * What the SDK must put on the wire for FULL, in its order: each structure's required members
 * first, then its optional ones, each group in the order of the SES model.
 */
const FULL_FORM: [string, string][] = [
  ["Action", "SendBounce"],
  ["Version", "2010-12-01"],
  ["OriginalMessageId", "0100019abc-1111-2222-3333-444455556666-000000"],
  ["BounceSender", "Mail Delivery System <mailer-daemon@example.com>"],
  ["BouncedRecipientInfoList.member.1.Recipient", "nobody@example.com"],
  ["BouncedRecipientInfoList.member.1.BounceType", "DoesNotExist"],
  ["BouncedRecipientInfoList.member.2.Recipient", "full@example.com"],
  ["BouncedRecipientInfoList.member.2.RecipientArn", "arn:aws:ses:eu-west-1:123456789012:identity/example.com"],
  ["BouncedRecipientInfoList.member.2.BounceType", "ExceededQuota"],
  ["BouncedRecipientInfoList.member.2.RecipientDsnFields.Action", "failed"],
  ["BouncedRecipientInfoList.member.2.RecipientDsnFields.Status", "5.2.2"],
  ["BouncedRecipientInfoList.member.2.RecipientDsnFields.FinalRecipient", "full.final@example.com"],
  ["BouncedRecipientInfoList.member.2.RecipientDsnFields.RemoteMta", "dns; mx2.example.com"],
  ["BouncedRecipientInfoList.member.2.RecipientDsnFields.DiagnosticCode", "smtp; 552 5.2.2 Mailbox full"],
  ["BouncedRecipientInfoList.member.2.RecipientDsnFields.LastAttemptDate", "2026-11-26T09:59:50Z"],
  ["BouncedRecipientInfoList.member.2.RecipientDsnFields.ExtensionFields.member.1.Name", "Quota"],
  ["BouncedRecipientInfoList.member.2.RecipientDsnFields.ExtensionFields.member.1.Value", "100%"],
  ["BouncedRecipientInfoList.member.2.RecipientDsnFields.ExtensionFields.member.2.Name", "Store"],
  ["BouncedRecipientInfoList.member.2.RecipientDsnFields.ExtensionFields.member.2.Value", "s3://mail/full"],
  ["BouncedRecipientInfoList.member.3.Recipient", "later@example.com"],
  ["BouncedRecipientInfoList.member.3.RecipientDsnFields.Action", "delayed"],
  ["BouncedRecipientInfoList.member.3.RecipientDsnFields.Status", "4.4.7"],
  ["BouncedRecipientInfoList.member.3.RecipientDsnFields.LastAttemptDate", "2026-11-26T09:59:59Z"],
  ["Explanation", "Your message could not be delivered.\nWrite to postmaster@example.com (24h)."],
  ["MessageDsn.ReportingMta", "dns; mx.example.com"],
  ["MessageDsn.ArrivalDate", "2026-11-26T09:59:58Z"],
  ["MessageDsn.ExtensionFields.member.1.Name", "Rule"],
  ["MessageDsn.ExtensionFields.member.1.Value", "unknown-user"],
  ["MessageDsn.ExtensionFields.member.2.Name", "X-Tenant"],
  ["MessageDsn.ExtensionFields.member.2.Value", "acme; eu & co"],
  ["BounceSenderArn", "arn:aws:ses:eu-west-1:123456789012:identity/example.com"],
];

describe("sendBounce on the wire", () => {
  test("a full request is sent as exactly this form-encoded body, signed with the caller's credentials and region", async () => {
    fake.setScript([{ kind: "success", messageId: "0100019abd-bounce-000000" }]);
    const result = await sendBounce(client, FULL, { now });
    expect(result).toEqual({ messageId: "0100019abd-bounce-000000", attempts: 1 });

    expect(fake.requests).toHaveLength(1);
    const [req] = fake.requests;
    expect(req!.method).toBe("POST");
    expect(req!.url).toBe("/");
    expect(req!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(req!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/ses\/aws4_request, /);
    expect(req!.form).toEqual(FULL_FORM);
    expect(req!.body).toBe(queryEncode(FULL_FORM));
  });

  test("toSendBounceInput gives the SDK Dates of whole seconds and typed MTA names and diagnostics; the caller's request is untouched", () => {
    const before = structuredClone(FULL);
    const input = toSendBounceInput(FULL);
    expect(input.MessageDsn).toEqual({
      ReportingMta: "dns; mx.example.com",
      ArrivalDate: new Date("2026-11-26T09:59:58Z"),
      ExtensionFields: [
        { Name: "Rule", Value: "unknown-user" },
        { Name: "X-Tenant", Value: "acme; eu & co" },
      ],
    });
    expect(input.BouncedRecipientInfoList![2]!.RecipientDsnFields!.LastAttemptDate).toEqual(new Date("2026-11-26T09:59:59Z"));
    expect(input.BouncedRecipientInfoList![0]).toEqual({ Recipient: "nobody@example.com", BounceType: "DoesNotExist" });
    expect(FULL).toEqual(before);
  });

  test("the minimal request carries only the required fields", async () => {
    await sendBounce(client, bounce("m-min"));
    expect(fake.requests[0]!.form).toEqual([
      ["Action", "SendBounce"],
      ["Version", "2010-12-01"],
      ["OriginalMessageId", "m-min"],
      ["BounceSender", "mailer-daemon@example.com"],
      ["BouncedRecipientInfoList.member.1.Recipient", "nobody@example.com"],
      ["BouncedRecipientInfoList.member.1.BounceType", "DoesNotExist"],
    ]);
  });
});

describe("sendBounce refuses before any call", () => {
  test("an invalid request: every problem in one BounceValidationError, and no request", async () => {
    const bad = {
      OriginalMessageId: "m1",
      BounceSender: "not an address",
      BouncedRecipientInfoList: [
        { Recipient: "a@example.com", RecipientDsnFields: { Action: "failed", Status: "2.0.0" } },
        { Recipient: "b@example.com" },
      ],
      MessageDsn: { ReportingMta: "dns; mx.example.com", ExtensionFields: [{ Name: "Status", Value: "x" }] },
    } as unknown as SendBounceRequest;
    const error = await sendBounce(client, bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BounceValidationError);
    const v = error as BounceValidationError;
    expect(v.name).toBe("BounceValidationError");
    expect(v.issues.map((i) => [i.code, i.path.join(".")])).toEqual([
      ["invalid_mailbox", "BounceSender"],
      ["reserved_extension_name", "MessageDsn.ExtensionFields.0.Name"],
      ["action_status_mismatch", "BouncedRecipientInfoList.0.RecipientDsnFields.Status"],
      ["missing_bounce_type", "BouncedRecipientInfoList.1"],
    ]);
    expect(v.message).toMatch(/^the bounce was not sent: 4 problems found:\nBounceSender: /);
    expect(fake.requests).toHaveLength(0);
  });

  test("JSON that is not a request at all is refused with issues, not a crash", async () => {
    const error = await sendBounce(client, JSON.parse('{"__proto__": {"x": 1}, "OriginalMessageId": 7}') as SendBounceRequest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BounceValidationError);
    expect((error as BounceValidationError).issues.map((i) => i.code)).toEqual(
      expect.arrayContaining(["forbidden_key", "invalid_type", "required"]),
    );
    expect(fake.requests).toHaveLength(0);
  });

  test("an original that arrived 26.5 hours ago (MessageDsn.ArrivalDate): BounceWindowExpiredError saying by how much, and no request", async () => {
    const request = { ...bounce(), MessageDsn: { ReportingMta: "dns; mx.example.com", ArrivalDate: "2026-11-25T07:30:00Z" } };
    const error = await sendBounce(client, request, { now }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BounceWindowExpiredError);
    const w = error as BounceWindowExpiredError;
    expect(w.expiredByMs).toBe(2.5 * 3600_000);
    expect(w.deadline.toISOString()).toBe("2026-11-26T07:30:00.000Z");
    expect(w.message).toBe(
      "the bounce was not sent: the original arrived at 2026-11-25T07:30:00Z, 26 h 30 min ago, and SES accepts SendBounce " +
        "only within 24 h of receipt: the window closed at 2026-11-26T07:30:00Z, 2 h 30 min too late",
    );
    expect(fake.requests).toHaveLength(0);
  });

  test("ignoreWindow: true sends a bounce past the window, in one request, and SES's answer decides", async () => {
    const request = { ...bounce(), MessageDsn: { ReportingMta: "dns; mx.example.com", ArrivalDate: "2026-11-25T07:30:00Z" } };
    await expect(sendBounce(client, request, { now, ignoreWindow: true })).resolves.toMatchObject({ attempts: 1 });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.form).toContainEqual(["MessageDsn.ArrivalDate", "2026-11-25T07:30:00Z"]);
  });

  test("the arrivalDate option counts too, and the earlier of the two is checked", async () => {
    const request = { ...bounce(), MessageDsn: { ReportingMta: "dns; mx.example.com", ArrivalDate: "2026-11-26T09:00:00Z" } };
    const error = await sendBounce(client, request, { now, arrivalDate: "2026-11-25T09:59:59Z" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BounceWindowExpiredError);
    expect((error as BounceWindowExpiredError).expiredByMs).toBe(1000);
    expect(fake.requests).toHaveLength(0);
    // Exactly 24 hours is still inside the window.
    await expect(sendBounce(client, bounce(), { now, arrivalDate: "2026-11-25T10:00:00Z" })).resolves.toMatchObject({ attempts: 1 });
    expect(fake.requests).toHaveLength(1);
  });

  test("bad options are BounceValidationErrors naming the option", async () => {
    await expect(sendBounce(client, bounce(), { arrivalDate: "yesterday" })).rejects.toMatchObject({
      name: "BounceValidationError",
      issues: [{ code: "invalid_date", path: ["options", "arrivalDate"] }],
    });
    await expect(sendBounce(client, bounce(), { timeoutMs: -1 })).rejects.toMatchObject({
      issues: [{ code: "invalid_option", path: ["options", "timeoutMs"], message: "timeoutMs must be a number greater than 0 (or Infinity), not -1" }],
    });
    expect(fake.requests).toHaveLength(0);
  });

  test("an aborted signal: rejects with its reason, no request", async () => {
    const reason = new Error("shutting down");
    await expect(sendBounce(client, bounce(), { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(fake.requests).toHaveLength(0);
  });
});

describe("sendBounce maps SES's answers to typed errors, one request each", () => {
  test("MessageRejected: BounceRejectedError keeping SES's message and the SDK's exception as cause", async () => {
    const sesMessage = "Email address is not verified. The following identities failed the check in region EU-WEST-1: mailer-daemon@example.com";
    fake.setScript([{ kind: "error", code: "MessageRejected", message: sesMessage }]);
    const error = await sendBounce(client, bounce()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BounceRejectedError);
    const r = error as BounceRejectedError;
    expect(r.name).toBe("BounceRejectedError");
    expect(r.sesMessage).toBe(sesMessage);
    expect(r.message).toBe(`SES rejected the bounce (MessageRejected): ${sesMessage}`);
    expect(r.cause).toBeInstanceOf(MessageRejected);
    expect(fake.requests).toHaveLength(1);
  });

  test("Throttling: BounceThrottledError with Retry-After, and the SDK's default retries do not happen", async () => {
    fake.setScript([{ kind: "error", code: "Throttling", message: "Maximum sending rate exceeded.", headers: { "Retry-After": "3" } }]);
    const error = await sendBounce(client, bounce()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BounceThrottledError);
    expect(error).toMatchObject({ reason: "retries-spent", attempts: 1, retryAfterMs: 3000 });
    expect((error as Error).cause).toMatchObject({ name: "Throttling", $fault: "client" });
    expect(fake.requests).toHaveLength(1);
  });

  test("500 then success: one request, a BounceServiceError; the SDK (maxAttempts 3 by default) does not retry", async () => {
    fake.setScript([{ kind: "error", code: "InternalFailure", message: "Internal failure.", type: "Receiver", status: 500 }]);
    const error = await sendBounce(client, bounce()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BounceServiceError);
    expect(error).toMatchObject({ code: "InternalFailure", statusCode: 500, attempts: 1 });
    expect((error as Error).message).toBe("the SendBounce call failed (HTTP 500 InternalFailure): Internal failure.");
    expect(fake.requests).toHaveLength(1);
    // The same call again succeeds: the fake answered the first request only with 500.
    await expect(sendBounce(client, bounce())).resolves.toEqual({ messageId: "fake-2", attempts: 1 });
    expect(fake.requests).toHaveLength(2);
  });

  test("even a client configured for 10 attempts makes one", async () => {
    const eager = clientFor(fake, { maxAttempts: 10 });
    try {
      fake.setScript(() => ({ kind: "raw", status: 503, body: "" }));
      await expect(sendBounce(eager, bounce())).rejects.toMatchObject({ name: "BounceServiceError", statusCode: 503 });
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0]!.headers["amz-sdk-request"]).toBe("attempt=1; max=10");
    } finally {
      eager.destroy();
    }
  });

  test("a server that never answers: BounceOutcomeUnknownError after timeoutMs, one request, not retried", async () => {
    fake.setScript(() => ({ kind: "hang" }));
    const error = await sendBounce(client, bounce(), { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BounceOutcomeUnknownError);
    expect(error).toMatchObject({ reason: "timeout", attempts: 1 });
    expect((error as Error).cause).toMatchObject({ name: "AbortError" });
    expect(fake.requests).toHaveLength(1);
  });

  test("the caller's signal aborts a request in flight: rejects with its reason", async () => {
    fake.setScript(() => ({ kind: "hang" }));
    const controller = new AbortController();
    const pending = sendBounce(client, bounce(), { signal: controller.signal });
    while (fake.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    const reason = new Error("user cancelled");
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(fake.requests).toHaveLength(1);
  });

  test("nothing listening: BounceServiceError ECONNREFUSED", async () => {
    const endpoint = fake.endpoint;
    await fake.close();
    const orphan = clientFor({ endpoint } as SesQueryFake);
    try {
      await expect(sendBounce(orphan, bounce())).rejects.toMatchObject({ name: "BounceServiceError", code: "ECONNREFUSED" });
    } finally {
      orphan.destroy();
    }
    fake = await startSesQueryFake();
  });

  test("other SES errors: BounceServiceError with SES's code", async () => {
    fake.setScript([{ kind: "error", code: "InvalidClientTokenId", message: "The security token included in the request is invalid.", status: 403 }]);
    await expect(sendBounce(client, bounce())).rejects.toMatchObject({
      name: "BounceServiceError",
      code: "InvalidClientTokenId",
      statusCode: 403,
      message: "the SendBounce call failed (HTTP 403 InvalidClientTokenId): The security token included in the request is invalid.",
    });
    expect(fake.requests).toHaveLength(1);
  });
});
