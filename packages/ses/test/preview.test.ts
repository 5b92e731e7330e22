import { describe, expect, test } from "vitest";
import { fc, test as prop } from "@fast-check/vitest";
import { renderBounce } from "@dsnkit/core";
import type { BouncedRecipientInfo, SendBounceRequest } from "@dsnkit/core";
import { BounceValidationError, BounceWindowExpiredError, preview, toSendBounceInput } from "@dsnkit/ses";
import { sendBounceRequest } from "@dsnkit/testing";
import { bounce } from "./support/fixtures.js";

const FIXED = { now: new Date("2026-11-26T10:00:00Z"), messageId: "<preview-1@example.com>", boundary: "preview-boundary" };

const ORIGINAL = [
  "Return-Path: <sender@example.org>",
  "From: Sender <sender@example.org>",
  "To: nobody@example.com",
  "Subject: Hello",
  "Date: Thu, 26 Nov 2026 09:59:50 +0000",
  "Message-ID: <original-1@example.org>",
  "",
  "Hi.",
  "",
].join("\r\n");

describe("preview", () => {
  test("renders with core the DSN the call asks SES for, and returns the input it would send", () => {
    const request: SendBounceRequest = {
      ...bounce("0100019abc"),
      MessageDsn: { ReportingMta: "mx.example.com", ArrivalDate: "2026-11-26T09:59:58Z" },
    };
    const p = preview(request, { ...FIXED, original: ORIGINAL });
    expect(p.raw).toBe(renderBounce(request, { ...FIXED, original: ORIGINAL }).raw);
    expect(p.raw).toContain("Reporting-MTA: dns; mx.example.com\r\n");
    expect(p.raw).toContain("Status: 5.1.1\r\n");
    expect(p.raw).toContain("In-Reply-To: <original-1@example.org>\r\n");
    expect(p.envelope).toEqual({ mailFrom: "", rcptTo: ["sender@example.org"] });
    expect(p.input).toEqual(toSendBounceInput(request));
  });

  test("without a Reporting-MTA it shows SES's default for the region", () => {
    const p = preview(bounce(), { ...FIXED, originalSender: "sender@example.org", region: "eu-west-1" });
    expect(p.raw).toContain("Reporting-MTA: dns; inbound-smtp.eu-west-1.amazonaws.com\r\n");
    expect(p.input.MessageDsn).toBeUndefined();
  });

  test("fails as the call would: an invalid request, a context it cannot render, an expired window", () => {
    expect(() => preview({ ...bounce(), BounceSender: "nope" }, { originalSender: "s@example.org" })).toThrow(BounceValidationError);
    let error: unknown;
    try {
      preview(bounce(), {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BounceValidationError);
    expect((error as BounceValidationError).issues).toMatchObject([{ code: "missing_original_sender", path: ["context"] }]);
    expect(() => preview(bounce(), { ...FIXED, originalSender: "s@example.org", arrivalDate: "2026-11-25T09:00:00Z" })).toThrow(BounceWindowExpiredError);
    expect(() => preview(bounce(), { ...FIXED, originalSender: "s@example.org", arrivalDate: "2026-11-25T09:00:00Z", maxAgeMs: 26 * 3600_000 })).not.toThrow();
  });
});

// Requests with every kind of field the conversion touches: bare and typed MTA names and
// diagnostics, the three timestamp forms with milliseconds, extension fields.
const mta = fc.constantFrom("mx.example.com", "dns; mx.example.com", "DNS;mx2.example.com", "  relay.example.net  ", "x-local; queue-7");
const diagnostic = fc.constantFrom("550 5.1.1 No such user", "smtp; 550 5.1.1 No such user", "X-Postfix; host said: 552 full", "SMTP;421 try later");
const timestamp = fc
  .integer({ min: Date.UTC(2026, 10, 25, 11), max: Date.UTC(2026, 10, 26, 10) })
  .chain((ms) => fc.constantFrom<Date | string | number>(new Date(ms), new Date(ms).toISOString(), ms / 1000));
const extensions = fc.array(
  fc.record({ Name: fc.constantFrom("Rule", "X-Tenant", "Queue-Id"), Value: fc.constantFrom("a", "b c", "x; y", "") }),
  { maxLength: 3 },
);
const recipient: fc.Arbitrary<BouncedRecipientInfo> = fc.record(
  {
    Recipient: fc.constantFrom("a@example.com", "b@example.com", "ü@example.com"),
    BounceType: fc.constantFrom("DoesNotExist", "MessageTooLarge", "ExceededQuota", "ContentRejected", "Undefined", "TemporaryFailure"),
    RecipientDsnFields: fc.record(
      {
        FinalRecipient: fc.constantFrom("final@example.com"),
        Action: fc.constant("failed" as const),
        RemoteMta: mta,
        Status: fc.constantFrom("5.1.1", "5.2.2", "4.4.7"),
        DiagnosticCode: diagnostic,
        LastAttemptDate: timestamp,
        ExtensionFields: extensions,
      },
      { requiredKeys: ["Action", "Status"] },
    ),
  },
  { requiredKeys: ["Recipient", "BounceType"] },
);
const request: fc.Arbitrary<SendBounceRequest> = fc.record(
  {
    OriginalMessageId: fc.constantFrom("0100019abc-1111-000000", "m1"),
    BounceSender: fc.constantFrom("mailer-daemon@example.com", "Mail Delivery <mailer-daemon@example.com>"),
    Explanation: fc.constantFrom("Sorry.", "Line one\nLine two"),
    MessageDsn: fc.record({ ReportingMta: mta, ArrivalDate: timestamp, ExtensionFields: extensions }, { requiredKeys: ["ReportingMta"] }),
    BouncedRecipientInfoList: fc.array(recipient, { minLength: 1, maxLength: 4 }),
    BounceSenderArn: fc.constant("arn:aws:ses:eu-west-1:123456789012:identity/example.com"),
  },
  { requiredKeys: ["OriginalMessageId", "BounceSender", "BouncedRecipientInfoList"] },
);

describe("toSendBounceInput keeps the meaning of the request", () => {
  prop.prop([fc.oneof(request, sendBounceRequest())])("what SES is sent renders to the same DSN as the request itself, and converting twice changes nothing", (r) => {
    const input = toSendBounceInput(r);
    const again = input as unknown as SendBounceRequest;
    const context = { ...FIXED, originalSender: "sender@example.org", region: "eu-west-1" };
    expect(renderBounce(again, context).raw).toBe(renderBounce(r, context).raw);
    expect(toSendBounceInput(again)).toEqual(input);
    // Only whole-second Dates and typed "type; value" strings reach the SDK.
    const dates = [input.MessageDsn?.ArrivalDate, ...input.BouncedRecipientInfoList!.map((i) => i.RecipientDsnFields?.LastAttemptDate)];
    for (const d of dates) if (d !== undefined) expect(d instanceof Date && d.getTime() % 1000 === 0).toBe(true);
    for (const s of [input.MessageDsn?.ReportingMta, ...input.BouncedRecipientInfoList!.flatMap((i) => [i.RecipientDsnFields?.RemoteMta, i.RecipientDsnFields?.DiagnosticCode])])
      if (s !== undefined) expect(s).toMatch(/^[a-z0-9-]+; \S/);
  });
});
