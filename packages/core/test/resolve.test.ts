import { describe, expect, test } from "vitest";
import { BOUNCE_TYPE_DEFAULTS, DsnValidationError, formatIssues, resolveBounce } from "@dsnkit/core";
import type { ResolveContext, SendBounceRequest } from "@dsnkit/core";

const now = new Date("2026-11-26T10:00:00.250Z");
const ctx: ResolveContext = { originalSender: "sender@example.org", now, messageId: "<b1@example.com>" };
const req = (list: SendBounceRequest["BouncedRecipientInfoList"], extra: Partial<SendBounceRequest> = {}): SendBounceRequest => ({
  OriginalMessageId: "0100019abc",
  BounceSender: "mailer-daemon@example.com",
  BouncedRecipientInfoList: list,
  ...extra,
});
const failure = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof DsnValidationError) return formatIssues(e.issues);
    throw e;
  }
  throw new Error("expected a DsnValidationError");
};

describe("resolveBounce", () => {
  test("a BounceType alone gives SES's defaults, FinalRecipient from Recipient, Reporting-MTA from the region", () => {
    const b = resolveBounce(req([{ Recipient: "nobody@example.com", BounceType: "ExceededQuota" }]), { ...ctx, region: "eu-west-1" });
    expect(b).toEqual({
      from: { address: "mailer-daemon@example.com" },
      to: "sender@example.org",
      subject: "Delivery Status Notification (Failure)",
      date: new Date("2026-11-26T10:00:00Z"),
      messageId: "<b1@example.com>",
      explanation:
        "This is an automatically generated Delivery Status Notification\nfrom inbound-smtp.eu-west-1.amazonaws.com.\n\n" +
        "Your message could not be delivered to the following recipients:\n\n    nobody@example.com: 552 5.2.2 Mailbox full\n",
      deliveryStatus: {
        perMessage: { reportingMta: { type: "dns", name: "inbound-smtp.eu-west-1.amazonaws.com" }, extensionFields: [] },
        recipients: [
          {
            finalRecipient: { type: "rfc822", address: "nobody@example.com" },
            action: "failed",
            status: "5.2.2",
            diagnosticCode: { type: "smtp", text: "552 5.2.2 Mailbox full" },
            extensionFields: [],
          },
        ],
      },
    });
  });

  test("explicit RecipientDsnFields win; the BounceType fills the Diagnostic-Code they leave out", () => {
    const b = resolveBounce(
      req([
        { Recipient: "a@example.com", BounceType: "DoesNotExist", RecipientDsnFields: { Action: "failed", Status: "5.1.1", FinalRecipient: "final@example.com", RemoteMta: "mx.example.com" } },
        { Recipient: "b@example.com", BounceType: "DoesNotExist", RecipientDsnFields: { Action: "failed", Status: "5.1.10" } },
        { Recipient: "c@example.com", BounceType: "DoesNotExist", RecipientDsnFields: { Action: "delayed", Status: "4.4.7" } },
        { Recipient: "d@example.com", BounceType: "DoesNotExist", RecipientDsnFields: { Action: "failed", Status: "5.1.1", DiagnosticCode: "x-unix; no such user" } },
      ]),
      ctx,
    );
    const [a, b2, c, d] = b.deliveryStatus.recipients;
    expect(a).toMatchObject({ finalRecipient: { type: "rfc822", address: "final@example.com" }, remoteMta: { type: "dns", name: "mx.example.com" }, diagnosticCode: { type: "smtp", text: "550 5.1.1 Mailbox does not exist" } });
    // A different Status keeps the text from contradicting it: the reply code and status only.
    expect(b2!.diagnosticCode).toEqual({ type: "smtp", text: "550 5.1.10" });
    expect(c!.diagnosticCode).toEqual({ type: "smtp", text: "450 4.4.7" });
    expect(d!.diagnosticCode).toEqual({ type: "x-unix", text: "no such user" });
  });

  test("bare names get dns; and smtp;, types are lower-cased, values trimmed, dates to whole seconds", () => {
    const b = resolveBounce(
      req([{ Recipient: "a@example.com", RecipientDsnFields: { Action: "failed", Status: "5.0.0", RemoteMta: "DNS; mx.example.com ", DiagnosticCode: "554 5.0.0 no", LastAttemptDate: "2026-11-26T09:59:59.999Z", ExtensionFields: [{ Name: "Rule", Value: "  r1 " }, { Name: "x-Keep", Value: "k" }] } }], {
        MessageDsn: { ReportingMta: "mx.example.com", ArrivalDate: 1795687198 },
      }),
      ctx,
    );
    expect(b.deliveryStatus.perMessage).toEqual({ reportingMta: { type: "dns", name: "mx.example.com" }, arrivalDate: new Date("2026-11-26T09:59:58Z"), extensionFields: [] });
    expect(b.deliveryStatus.recipients[0]).toEqual({
      finalRecipient: { type: "rfc822", address: "a@example.com" },
      action: "failed",
      status: "5.0.0",
      remoteMta: { type: "dns", name: "mx.example.com" },
      diagnosticCode: { type: "smtp", text: "554 5.0.0 no" },
      lastAttemptDate: new Date("2026-11-26T09:59:59Z"),
      extensionFields: [{ name: "X-Rule", value: "r1" }, { name: "x-Keep", value: "k" }],
    });
  });

  test("an optional field given as null is absent, as validation reads it", () => {
    const request = JSON.parse(
      '{"OriginalMessageId":"0100019abc","BounceSender":"mailer-daemon@example.com","MessageDsn":{"ReportingMta":"mx.example.com","ArrivalDate":null},' +
        '"BouncedRecipientInfoList":[{"Recipient":"a@example.com","BounceType":"DoesNotExist","RecipientDsnFields":{"Action":"failed","Status":"5.1.1","RemoteMta":null,"DiagnosticCode":null,"LastAttemptDate":null}}]}',
    ) as SendBounceRequest;
    const b = resolveBounce(request, { ...ctx, arrivalDate: "2026-11-26T09:00:00Z" });
    expect(b.deliveryStatus.perMessage.arrivalDate).toEqual(new Date("2026-11-26T09:00:00Z"));
    expect(b.deliveryStatus.recipients[0]).toEqual({
      finalRecipient: { type: "rfc822", address: "a@example.com" },
      action: "failed",
      status: "5.1.1",
      diagnosticCode: { type: "smtp", text: "550 5.1.1 Mailbox does not exist" },
      extensionFields: [],
    });
  });

  test("non-ASCII recipients get the utf-8 address type (RFC 6533)", () => {
    const b = resolveBounce(req([{ Recipient: "用户@例子.广告", BounceType: "DoesNotExist" }]), ctx);
    expect(b.deliveryStatus.recipients[0]!.finalRecipient).toEqual({ type: "utf-8", address: "用户@例子.广告" });
  });

  test("the original: its Return-Path (else its From) receives the bounce, its Message-ID is replied to", () => {
    const original = "Return-Path: <bounces+x@list.example.org>\r\nFrom: Alice <alice@example.org>\r\nMessage-ID: <m1@example.org>\r\n\r\nbody";
    const b = resolveBounce(req([{ Recipient: "a@example.com", BounceType: "Undefined" }]), { now, original });
    expect(b.to).toBe("bounces+x@list.example.org");
    expect(b.inReplyTo).toBe("<m1@example.org>");
    expect(b.original).toBe(original);
    const noReturnPath = resolveBounce(req([{ Recipient: "a@example.com", BounceType: "Undefined" }]), { now, original: new TextEncoder().encode("From: \"Doe, J\" <j@example.org>\n\nx") });
    expect(noReturnPath.to).toBe("j@example.org");
    const overridden = resolveBounce(req([{ Recipient: "a@example.com", BounceType: "Undefined" }]), { now, original, originalSender: "other@example.org" });
    expect(overridden.to).toBe("other@example.org");
  });

  test("never bounces a bounce, and says when there is nobody to send to", () => {
    const r = req([{ Recipient: "a@example.com", BounceType: "Undefined" }]);
    expect(failure(() => resolveBounce(r, { original: "Return-Path: <>\r\nFrom: MAILER-DAEMON@example.org\r\n\r\n" }))).toBe(
      "context.original: the original's Return-Path is <>: it is itself a notification and must not be bounced (RFC 5321 §4.5.5); pass originalSender to override [null_sender]",
    );
    expect(failure(() => resolveBounce(r, {}))).toBe("context: nobody to send the bounce to: give the original message or originalSender [missing_original_sender]");
    expect(failure(() => resolveBounce(r, { original: "Subject: x\r\n\r\n" }))).toMatch(/neither a Return-Path nor a From/);
  });

  test("request and context problems are reported together", () => {
    expect(
      failure(() =>
        resolveBounce({ ...req([{ Recipient: "bad", BounceType: "Undefined" }]) }, { originalSender: "nope", region: "Mars", messageId: "x y@example.com", now: new Date("x"), extra: 1 } as never),
      ),
    ).toMatchInlineSnapshot(`
      "BouncedRecipientInfoList[0].Recipient: Recipient "bad" is not a valid mailbox: it has no @ [invalid_mailbox]
      context.extra: unknown key "extra"; context has only original, originalSender, now, region, messageId, subject, arrivalDate, bounceTypeDefaults, profile [unknown_key]
      context.now: now is not usable: it is not a valid date [invalid_date]
      context.region: region "Mars" is not an AWS region name like us-east-1 [invalid_option]
      context.messageId: messageId "<x y@example.com>": it has the character " ", which a msg-id cannot hold [invalid_message_id]
      context.originalSender: originalSender "nope" is not a valid mailbox: it has no @ [invalid_mailbox]"
    `);
  });

  test("the defaults table can be read and overridden, and an override is validated", () => {
    const table = { DoesNotExist: { ...BOUNCE_TYPE_DEFAULTS.DoesNotExist, smtpReply: 551, text: "User has moved" } };
    const b = resolveBounce(req([{ Recipient: "a@example.com", BounceType: "DoesNotExist" }]), { ...ctx, bounceTypeDefaults: table });
    expect(b.deliveryStatus.recipients[0]!.diagnosticCode).toEqual({ type: "smtp", text: "551 5.1.1 User has moved" });
    expect(
      failure(() => resolveBounce(req([{ Recipient: "a@example.com", BounceType: "DoesNotExist" }]), { ...ctx, bounceTypeDefaults: { DoesNotExist: { status: "2.0.0", smtpReply: 42, text: "x", action: "failed" } } })),
    ).toMatchInlineSnapshot(`
      "context.bounceTypeDefaults.DoesNotExist.smtpReply: smtpReply must be an SMTP reply code from 200 to 599 [invalid_option]
      context.bounceTypeDefaults.DoesNotExist.status: Action failed needs a 4.x.x or 5.x.x status, not 2.0.0 [action_status_mismatch]"
    `);
    expect(Object.isFrozen(BOUNCE_TYPE_DEFAULTS) && Object.isFrozen(BOUNCE_TYPE_DEFAULTS.DoesNotExist)).toBe(true);
  });

  test("Subject and explanation follow the actions; a given Explanation is kept with LF line ends", () => {
    const delayed = resolveBounce(req([{ Recipient: "a@example.com", RecipientDsnFields: { Action: "delayed", Status: "4.4.7" } }]), ctx);
    expect(delayed.subject).toBe("Delivery Status Notification (Delay)");
    expect(delayed.explanation).toContain("has been delayed");
    const delivered = resolveBounce(req([{ Recipient: "a@example.com", RecipientDsnFields: { Action: "delivered", Status: "2.0.0" } }]), ctx);
    expect(delivered.subject).toBe("Delivery Status Notification (Success)");
    expect(delivered.explanation).toContain("    a@example.com: status 2.0.0\n");
    const given = resolveBounce(req([{ Recipient: "a@example.com", BounceType: "Undefined" }], { Explanation: "line 1\r\nline 2\rline 3" }), ctx);
    expect(given.explanation).toBe("line 1\nline 2\nline 3\n");
  });

  test("without an injected Message-ID, a random one at the BounceSender's domain", () => {
    const r = req([{ Recipient: "a@example.com", BounceType: "Undefined" }]);
    const a = resolveBounce(r, { originalSender: "s@example.org" }).messageId;
    const b = resolveBounce(r, { originalSender: "s@example.org" }).messageId;
    expect(a).toMatch(/^<[0-9a-f]{32}@example\.com>$/);
    expect(a).not.toBe(b);
    expect(resolveBounce(r, { ...ctx, messageId: "bare@example.com" }).messageId).toBe("<bare@example.com>");
  });
});
