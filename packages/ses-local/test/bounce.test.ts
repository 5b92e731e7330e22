/**
 * renderSesBounce: the one place ses-local renders a bounce (SendBounce, receipt-rule Bounce
 * actions), deterministic when the clock and the ids are.
 */
import { describe, expect, test } from "vitest";
import { renderBounce } from "@dsnkit/core";
import type { SendBounceRequest } from "@dsnkit/core";
import { ownAddressOf, renderSesBounce } from "@dsnkit/ses-local";
import type { SesBounceContext } from "@dsnkit/ses-local";
import { mail } from "./helpers.js";

const now = new Date("2026-11-26T10:00:00.123Z");
const ID = "010001a2174c357b-1b4e28ba-2fa1-41d2-883f-0016d3cca427-000000";
const ctx = (over: Partial<SesBounceContext> = {}): SesBounceContext => ({ clock: () => now, newId: () => ID, renderProfile: "ses", ownAddress: "127.0.0.1", ...over });
const request: SendBounceRequest = {
  OriginalMessageId: "0100019abc",
  BounceSender: "Mail Delivery <mailer-daemon@example.com>",
  BouncedRecipientInfoList: [{ Recipient: "bob@example.com", BounceType: "DoesNotExist" }],
};
const original = { raw: Buffer.from("Return-Path: <alice@example.org>\r\n" + mail()), mailFrom: "alice@example.org", arrival: new Date("2026-11-26T09:59:58Z") };

describe("renderSesBounce", () => {
  test("the same bytes for the same clock and id: SES's Message-ID and JavaMail boundary, then SES's outbound fields", () => {
    const a = renderSesBounce(ctx(), request, original, "eu-west-1");
    expect(renderSesBounce(ctx(), request, original, "eu-west-1")).toEqual(a);
    expect(a.bounceId).toBe(ID);
    expect(a.to).toBe("alice@example.org");
    const head = a.raw.slice(0, a.raw.indexOf("\r\n\r\n")).split("\r\n");
    expect(head.slice(0, 6)).toEqual([
      "Date: Thu, 26 Nov 2026 10:00:00 +0000",
      "From: Mail Delivery <mailer-daemon@example.com>",
      "To: alice@example.org",
      `Message-ID: <${ID}@eu-west-1.amazonses.com>`,
      "Subject: Delivery Status Notification (Failure)",
      "MIME-Version: 1.0",
    ]);
    expect(head[7]).toMatch(/^\tboundary="----=_Part_\d{1,10}_\d{1,10}\.1795687200123"; $/);
    expect(head.slice(-2)).toEqual(["X-SES-Outgoing: 2026.11.26-127.0.0.1", expect.stringMatching(/^Feedback-ID: 1\.eu-west-1\.[A-Za-z0-9+/]{43}=:AmazonSES$/)]);
    expect(a.raw).toContain("Arrival-Date: Thu, 26 Nov 26 09:59:58 UTC\r\n");
    // Another id, another boundary.
    expect(renderSesBounce(ctx({ newId: () => ID.replace("427", "428") }), request, original, "eu-west-1").raw).not.toContain(head[7]!.slice(11, 40));
  });

  test("Feedback-ID is stable for a sender and a region, and differs between them", () => {
    const feedback = (r: SendBounceRequest, region: string) => /Feedback-ID: (\S+)/.exec(renderSesBounce(ctx(), r, original, region).raw)![1];
    const other = { ...request, BounceSender: "postmaster@example.com" };
    expect(feedback(request, "us-east-1")).toBe(feedback({ ...request, BounceSender: "MAILER-DAEMON@example.com" }, "us-east-1"));
    expect(feedback(request, "us-east-1")).not.toBe(feedback(other, "us-east-1"));
    expect(feedback(request, "us-east-1")).not.toBe(feedback(request, "eu-west-1").replace("eu-west-1", "us-east-1"));
  });

  test("with the default profile: what renderBounce writes for the same inputs, with the same Message-ID", () => {
    const d = renderSesBounce(ctx({ renderProfile: "default" }), request, original, "us-east-1");
    const boundary = /boundary="([^"]+)"/.exec(d.raw)![1]!;
    expect(d.raw).toBe(
      renderBounce(request, {
        original: original.raw,
        originalSender: original.mailFrom,
        now,
        region: "us-east-1",
        arrivalDate: original.arrival,
        messageId: `<${ID}@us-east-1.amazonses.com>`,
        boundary,
      }).raw,
    );
    expect(d.raw).not.toContain("X-SES-Outgoing");
  });
});

test("ownAddressOf: the listening address, or loopback for every address and names", () => {
  expect(["127.0.0.1", "0.0.0.0", "::", "::1", "localhost", "192.0.2.7"].map(ownAddressOf)).toEqual(["127.0.0.1", "127.0.0.1", "::1", "::1", "127.0.0.1", "192.0.2.7"]);
});
