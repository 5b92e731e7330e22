import { describe, expect, test } from "vitest";
import { test as prop } from "@fast-check/vitest";
import { renderBounce } from "@dsnkit/core";
import type { SendBounceRequest } from "@dsnkit/core";
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
    // In SES's layout: what SES will send.
    expect(p.raw).toBe(renderBounce(request, { ...FIXED, original: ORIGINAL, profile: "ses" }).raw);
    expect(p.raw).toContain("Reporting-MTA: dns; mx.example.com\r\n");
    expect(p.raw).toContain("Status: 5.1.1\r\n");
    expect(p.raw).toContain("Content-Description: Undelivered Message\r\n");
    expect(p.raw).not.toContain("Auto-Submitted:");
    expect(p.envelope).toEqual({ mailFrom: "", rcptTo: ["sender@example.org"] });
    expect(p.input).toEqual(toSendBounceInput(request));
  });

  test('profile: "default" previews in dsnkit\'s RFC-clean layout', () => {
    const p = preview(bounce("0100019abc"), { ...FIXED, original: ORIGINAL, profile: "default" });
    expect(p.raw).toBe(renderBounce(bounce("0100019abc"), { ...FIXED, original: ORIGINAL }).raw);
    expect(p.raw).toContain("In-Reply-To: <original-1@example.org>\r\n");
    expect(p.raw).toContain("Auto-Submitted: auto-replied\r\n");
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

describe("toSendBounceInput keeps the meaning of the request", () => {
  prop.prop([sendBounceRequest()])("what SES is sent renders to the same DSN as the request itself, and converting twice changes nothing", (r) => {
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
