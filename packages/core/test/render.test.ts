import { describe, expect, test } from "vitest";
import { DsnValidationError, formatIssues, renderBounce, renderDsn, resolveBounce } from "@dsnkit/core";
import type { Bounce, RenderBounceOptions, SendBounceRequest } from "@dsnkit/core";

const request: SendBounceRequest = {
  OriginalMessageId: "0100019abc",
  BounceSender: "mailer-daemon@example.com",
  BouncedRecipientInfoList: [{ Recipient: "nobody@example.com", BounceType: "DoesNotExist" }],
};
const fixed: RenderBounceOptions = { originalSender: "sender@example.org", now: new Date("2026-11-26T10:00:00Z"), messageId: "<b1@example.com>", boundary: "b1" };
const ORIGINAL = "Return-Path: <sender@example.org>\r\nFrom: S <sender@example.org>\r\nSubject: hi\r\nMessage-ID: <o1@example.org>\r\n\r\nbody\r\n";

/** Splits a rendered multipart into its parts (headers + body), by its boundary. */
function parts(raw: string, boundary: string): string[] {
  const chunks = raw.split(`\r\n--${boundary}`);
  expect(chunks.at(-1)).toBe("--\r\n");
  return chunks.slice(1, -1).map((c) => c.replace(/^\r\n/, ""));
}

function bounceModel(): Bounce {
  const { boundary: _, ...context } = fixed;
  return resolveBounce(request, context);
}

describe("renderDsn", () => {
  test("is deterministic with an injected clock, Message-ID and boundary", () => {
    expect(renderBounce(request, fixed).raw).toBe(renderBounce(request, fixed).raw);
  });

  test("returns the envelope: a null reverse-path and the original's sender", () => {
    expect(renderBounce(request, fixed).envelope).toEqual({ mailFrom: "", rcptTo: ["sender@example.org"] });
  });

  test("writes the top-level headers of a multipart/report (RFC 6522, RFC 3834)", () => {
    const { raw } = renderBounce(request, { ...fixed, original: ORIGINAL });
    const head = raw.slice(0, raw.indexOf("\r\n\r\n"));
    expect(head.split("\r\n")).toEqual([
      "From: mailer-daemon@example.com",
      "To: sender@example.org",
      "Subject: Delivery Status Notification (Failure)",
      "Date: Thu, 26 Nov 2026 10:00:00 +0000",
      "Message-ID: <b1@example.com>",
      "In-Reply-To: <o1@example.org>",
      "References: <o1@example.org>",
      "Auto-Submitted: auto-replied",
      "MIME-Version: 1.0",
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    ]);
  });

  test("three parts in RFC 6522 order: text, delivery-status, the original's headers", () => {
    const r = renderBounce(request, { ...fixed, original: ORIGINAL });
    const [text, ds, orig, ...rest] = parts(r.raw, "b1");
    expect(rest).toEqual([]);
    expect(text).toMatch(/^Content-Type: text\/plain; charset=us-ascii\r\n/);
    expect(ds).toBe(
      "Content-Type: message/delivery-status\r\nContent-Description: Delivery report\r\n\r\n" +
        "Reporting-MTA: dns; inbound-smtp.us-east-1.amazonaws.com\r\n\r\n" +
        "Final-Recipient: rfc822; nobody@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n" +
        "Diagnostic-Code: smtp; 550 5.1.1 Mailbox does not exist\r\n",
    );
    expect(orig).toBe(
      "Content-Type: text/rfc822-headers\r\nContent-Description: Undelivered message headers\r\n\r\n" +
        "Return-Path: <sender@example.org>\r\nFrom: S <sender@example.org>\r\nSubject: hi\r\nMessage-ID: <o1@example.org>\r\n",
    );
    expect(r.original).toEqual({ returned: "headers", omittedHeaders: [] });
    expect(renderBounce(request, { ...fixed, original: ORIGINAL, returnOriginal: "none" }).raw).not.toContain("rfc822-headers");
  });

  test("every RFC 3464 field of a model built directly, in ABNF order, extension fields last", () => {
    const b = bounceModel();
    b.deliveryStatus = {
      perMessage: {
        originalEnvelopeId: "QQ314159",
        reportingMta: { type: "dns", name: "mx.example.com" },
        dsnGateway: { type: "dns", name: "gw.example.com" },
        receivedFromMta: { type: "dns", name: "client.example.org" },
        arrivalDate: new Date("2026-11-26T09:00:00Z"),
        extensionFields: [{ name: "X-Queue", value: "q1" }],
      },
      recipients: [
        {
          originalRecipient: { type: "rfc822", address: "list@example.com" },
          finalRecipient: { type: "rfc822", address: "member@example.com" },
          action: "delayed",
          status: "4.4.7",
          remoteMta: { type: "dns", name: "mx.member.example" },
          diagnosticCode: { type: "smtp", text: "451 4.4.7 try later" },
          lastAttemptDate: new Date("2026-11-26T09:30:00Z"),
          finalLogId: "1A2B3C",
          willRetryUntil: new Date("2026-11-30T09:00:00Z"),
          extensionFields: [{ name: "X-Attempts", value: "3" }],
        },
      ],
    };
    const ds = parts(renderDsn(b, { boundary: "b1" }).raw, "b1")[1]!;
    expect(ds.split("\r\n").slice(3)).toEqual([
      "Original-Envelope-Id: QQ314159",
      "Reporting-MTA: dns; mx.example.com",
      "DSN-Gateway: dns; gw.example.com",
      "Received-From-MTA: dns; client.example.org",
      "Arrival-Date: Thu, 26 Nov 2026 09:00:00 +0000",
      "X-Queue: q1",
      "",
      "Original-Recipient: rfc822; list@example.com",
      "Final-Recipient: rfc822; member@example.com",
      "Action: delayed",
      "Status: 4.4.7",
      "Remote-MTA: dns; mx.member.example",
      "Diagnostic-Code: smtp; 451 4.4.7 try later",
      "Last-Attempt-Date: Thu, 26 Nov 2026 09:30:00 +0000",
      "Final-Log-ID: 1A2B3C",
      "Will-Retry-Until: Mon, 30 Nov 2026 09:00:00 +0000",
      "X-Attempts: 3",
      "",
    ]);
  });

  test("a model with problems is refused with every issue and its path", () => {
    const b = bounceModel();
    b.messageId = "no-brackets";
    b.subject = "a\r\nBcc: victim@example.com";
    b.deliveryStatus.recipients[0]!.status = "5.1";
    b.deliveryStatus.recipients[0]!.finalRecipient = { type: "rfc822", address: "用户@例子.广告" };
    b.deliveryStatus.recipients[0]!.extensionFields = [{ name: "Status", value: "x" }];
    try {
      renderDsn(b);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DsnValidationError);
      expect(formatIssues((e as DsnValidationError).issues)).toMatchInlineSnapshot(`
        "subject: subject has the control character CR (U+000D) at character 1 [control_character]
        messageId: messageId "no-brackets": it must look like <left@right>, with angle brackets [invalid_message_id]
        deliveryStatus.recipients[0].finalRecipient.type: Final-Recipient has a non-ASCII address: its type must be "utf-8" (RFC 6533), not "rfc822" [invalid_mailbox]
        deliveryStatus.recipients[0].status: Status "5.1" is not an RFC 3463 status code: it must be three numbers separated by dots, like 5.1.1 [invalid_status]
        deliveryStatus.recipients[0].extensionFields[0].name: extension field "Status" would shadow the RFC 3464 field of that name [reserved_extension_name]"
      `);
    }
  });

  test("the boundary never occurs in a part: an injected one gets a suffix, a random one is redrawn", () => {
    const explained = { ...request, Explanation: "see --b1 and b1_1 here" };
    const r = renderBounce(explained, fixed);
    expect(r.boundary).toBe("b1_2");
    expect(parts(r.raw, "b1_2")).toHaveLength(3 - 1);
    const random = renderBounce(explained, { ...fixed, boundary: undefined });
    expect(random.boundary).toMatch(/^=_dsnkit_[0-9a-f]{24}$/);
    expect(renderBounce(request, { ...fixed, boundary: undefined }).boundary).not.toBe(random.boundary);
  });

  test("an invalid boundary or option is refused", () => {
    expect(() => renderBounce(request, { ...fixed, boundary: "has\"quote" })).toThrow(/boundary must be 1 to 70 characters/);
    expect(() => renderBounce(request, { ...fixed, boundary: "x".repeat(71) })).toThrow(DsnValidationError);
    expect(() => renderBounce(request, { ...fixed, returnOriginal: "all" as never })).toThrow(/returnOriginal/);
    expect(() => renderBounce(request, { ...fixed, maxOriginalSize: -1 })).toThrow(/maxOriginalSize/);
  });

  test("the whole original on request; LF-only line ends become CRLF; over the cap, headers instead", () => {
    const lf = "From: S <sender@example.org>\nSubject: hi\n\nline 1\nline 2\n";
    const whole = renderBounce(request, { ...fixed, original: lf, returnOriginal: "message" });
    expect(parts(whole.raw, "b1")[2]).toBe(
      "Content-Type: message/rfc822\r\nContent-Description: Undelivered message\r\n\r\nFrom: S <sender@example.org>\r\nSubject: hi\r\n\r\nline 1\r\nline 2\r\n",
    );
    const over = renderBounce(request, { ...fixed, original: lf, returnOriginal: "message", maxOriginalSize: 50 });
    expect(over.original).toEqual({
      returned: "headers",
      omittedHeaders: [],
      reason: "the whole original is over the cap of 50 octets: its headers are returned instead",
    });
  });

  test("an 8-bit original: UTF-8 headers go as message/global-headers, the message is labelled 8bit", () => {
    const utf8 = new TextEncoder().encode("From: Zoë <zoe@example.org>\r\nSubject: Grüße\r\n\r\nKörper\r\n");
    const r = renderBounce(request, { ...fixed, original: utf8 });
    expect(parts(r.raw, "b1")[2]).toMatch(/^Content-Type: message\/global-headers\r\nContent-Description: Undelivered message headers\r\nContent-Transfer-Encoding: 8bit\r\n\r\nFrom: Zoë/);
    expect(r.raw).toMatch(/boundary="b1"\r\nContent-Transfer-Encoding: 8bit\r\n/);
    const whole = renderBounce(request, { ...fixed, original: utf8, returnOriginal: "message" });
    expect(parts(whole.raw, "b1")[2]).toMatch(/^Content-Type: message\/global\r\n/);
  });

  test("a whole original that cannot travel as it is (invalid UTF-8, NUL, a line over 998) is returned as headers", () => {
    const bad = [
      new Uint8Array([...new TextEncoder().encode("Subject: x\r\n\r\n"), 0xff, 0xfe, 0x0d, 0x0a]),
      "Subject: x\r\n\r\na\0b\r\n",
      "Subject: x\r\n\r\n" + "y".repeat(1000) + "\r\n",
    ];
    const reasons = bad.map((original) => renderBounce(request, { ...fixed, original, returnOriginal: "message" }).original.reason);
    expect(reasons).toEqual([
      "the original cannot be returned whole (its body is not valid UTF-8): its headers are returned instead",
      "the original cannot be returned whole (its body has a NUL character): its headers are returned instead",
      "the original cannot be returned whole (its body has a line over 998 octets): its headers are returned instead",
    ]);
  });

  test("malformed header lines of the original are dropped, never copied out", () => {
    const original = "Subject: ok\r\nno colon here\r\nX-Bare: a\rb\r\nX-Nul: a\0b\r\nX-Long: " + "z".repeat(1000) + "\r\nTo: a@example.com\r\n\r\n";
    const r = renderBounce(request, { ...fixed, original, originalSender: "s@example.org" });
    expect(parts(r.raw, "b1")[2]!.split("\r\n\r\n")[1]).toBe("Subject: ok\r\nTo: a@example.com\r\n");
    expect(r.original.omittedHeaders).toEqual(["(4 malformed lines)"]);
  });

  test("non-ASCII addresses: utf-8; with \\x{HHHH} by default; raw UTF-8 in message/global-delivery-status on request", () => {
    const utf = { ...request, BouncedRecipientInfoList: [{ Recipient: "zoë@example.com", BounceType: "DoesNotExist" as const }] };
    const classic = renderBounce(utf, fixed);
    expect(classic.deliveryStatusType).toBe("message/delivery-status");
    expect(classic.raw).toContain("Final-Recipient: utf-8; zo\\x{EB}@example.com\r\n");
    const global = renderBounce(utf, { ...fixed, global: true });
    expect(global.deliveryStatusType).toBe("message/global-delivery-status");
    expect(global.raw).toContain("Content-Type: message/global-delivery-status\r\nContent-Description: Delivery report\r\nContent-Transfer-Encoding: 8bit\r\n");
    expect(global.raw).toContain("Final-Recipient: utf-8; zoë@example.com\r\n");
  });

  test("non-ASCII text in a field other than an address switches to message/global-delivery-status", () => {
    const r = renderBounce(
      { ...request, BouncedRecipientInfoList: [{ Recipient: "a@example.com", RecipientDsnFields: { Action: "failed", Status: "5.0.0", DiagnosticCode: "550 Empfänger unbekannt" } }] },
      fixed,
    );
    expect(r.deliveryStatusType).toBe("message/global-delivery-status");
    expect(r.raw).toContain("Diagnostic-Code: smtp; 550 Empfänger unbekannt\r\n");
  });

  test("CRLF only: no bare CR or LF anywhere, whatever line ends the inputs use", () => {
    const r = renderBounce({ ...request, Explanation: "a\nb\r\nc\rd" }, { ...fixed, original: "Subject: x\nTo: y@example.com\r\n\nbody\rmore\n", returnOriginal: "message" });
    expect(r.raw.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });
});
