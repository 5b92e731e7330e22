import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { DsnValidationError, RENDER_PROFILES, renderBounce, renderDsn, resolveBounce } from "@dsnkit/core";
import type { RenderBounceOptions, RenderProfile, SendBounceRequest } from "@dsnkit/core";
import { formatObsoleteUtcDate } from "../src/syntax/dates.js";

const request: SendBounceRequest = {
  OriginalMessageId: "0100019abc",
  BounceSender: "mailer-daemon@example.com",
  MessageDsn: { ReportingMta: "dns; inbound-smtp.us-east-1.amazonaws.com", ArrivalDate: "2026-11-26T09:59:58Z" },
  BouncedRecipientInfoList: [{ Recipient: "nobody@example.com", BounceType: "DoesNotExist" }],
};
const fixed: RenderBounceOptions = { originalSender: "sender@example.org", now: new Date("2026-11-26T10:00:00Z"), messageId: "<b1@example.com>", boundary: "b1" };
const ORIGINAL = "Return-Path: <sender@example.org>\r\nFrom: S <sender@example.org>\r\nSubject: hi\r\nMessage-ID: <o1@example.org>\r\n\r\nbody\r\n";

function issuesOf(f: () => unknown): { code: string; path: readonly (string | number)[]; message: string }[] {
  try {
    f();
  } catch (e) {
    if (e instanceof DsnValidationError) return e.issues;
    throw e;
  }
  throw new Error("expected a DsnValidationError");
}

/** Names of a header block's fields, in order. */
function names(block: string): string[] {
  return block
    .split("\r\n")
    .filter((l) => l !== "" && !/^[ \t]/.test(l))
    .map((l) => l.slice(0, l.indexOf(":")));
}

describe("the ses profile", () => {
  test("writes SES's top-level fields, in SES's order, with Content-Type's parameters folded as JavaMail folds them", () => {
    const { raw } = renderBounce(request, { ...fixed, original: ORIGINAL, profile: "ses", boundary: "----=_Part_1_2.1795687200000" });
    expect(raw.slice(0, raw.indexOf("\r\n\r\n")).split("\r\n")).toEqual([
      "Date: Thu, 26 Nov 2026 10:00:00 +0000",
      "From: mailer-daemon@example.com",
      "To: sender@example.org",
      "Message-ID: <b1@example.com>",
      "Subject: Delivery Status Notification (Failure)",
      "MIME-Version: 1.0",
      "Content-Type: multipart/report; ",
      '\tboundary="----=_Part_1_2.1795687200000"; ',
      "\treport-type=delivery-status",
    ]);
    // No preamble: the first boundary follows the empty line.
    expect(raw).toContain("\r\n\r\n------=_Part_1_2.1795687200000\r\nContent-Type: text/plain; charset=us-ascii\r\n");
  });

  test("parts: type, 7bit, SES's descriptions; the delivery status in SES's field order, two empty lines after each recipient", () => {
    const two: SendBounceRequest = {
      ...request,
      BouncedRecipientInfoList: [...request.BouncedRecipientInfoList, { Recipient: "full@example.com", BounceType: "ExceededQuota" }],
    };
    const { raw } = renderBounce(two, { ...fixed, original: ORIGINAL, profile: "ses" });
    expect(raw).toContain(
      "--b1\r\nContent-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\nContent-Description: Notification\r\n\r\n" +
        "This message could not be delivered.\r\n--b1\r\n" +
        "Content-Type: message/delivery-status\r\nContent-Transfer-Encoding: 7bit\r\nContent-Description: Delivery Status Notification\r\n\r\n" +
        "Reporting-MTA: dns; inbound-smtp.us-east-1.amazonaws.com\r\nArrival-Date: Thu, 26 Nov 26 09:59:58 UTC\r\n\r\n" +
        "Action: failed\r\nFinal-Recipient: rfc822; nobody@example.com\r\nOriginal-Recipient: rfc822; nobody@example.com\r\n" +
        "Diagnostic-Code: smtp; 550 5.1.1 Mailbox does not exist\r\nStatus: 5.1.1\r\n\r\n\r\n" +
        "Action: failed\r\nFinal-Recipient: rfc822; full@example.com\r\nOriginal-Recipient: rfc822; full@example.com\r\n" +
        "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\r\nStatus: 5.2.2\r\n\r\n\r\n--b1\r\n" +
        "Content-Type: text/rfc822-headers\r\nContent-Transfer-Encoding: 7bit\r\nContent-Description: Undelivered Message\r\n\r\n",
    );
  });

  test("the request's Explanation and explicit fields win; fields SES was not seen to write follow Status", () => {
    const { raw } = renderBounce(
      {
        ...request,
        Explanation: "Gone.",
        BouncedRecipientInfoList: [
          {
            Recipient: "nobody@example.com",
            RecipientDsnFields: { Action: "failed", Status: "5.1.1", RemoteMta: "mx.example.com", LastAttemptDate: "2026-11-26T09:59:59Z", ExtensionFields: [{ Name: "Rule", Value: "r1" }] },
          },
        ],
      },
      { ...fixed, profile: "ses" },
    );
    expect(raw).toContain("Content-Description: Notification\r\n\r\nGone.\r\n--b1\r\n");
    expect(raw).toContain(
      "Action: failed\r\nFinal-Recipient: rfc822; nobody@example.com\r\nOriginal-Recipient: rfc822; nobody@example.com\r\nStatus: 5.1.1\r\n" +
        "Remote-MTA: dns; mx.example.com\r\nLast-Attempt-Date: Thu, 26 Nov 2026 09:59:59 +0000\r\nX-Rule: r1\r\n\r\n\r\n--b1",
    );
  });

  test("content that needs an encoding gets it in the encoding's place; 8-bit content labels the message", () => {
    const { raw } = renderBounce({ ...request, Explanation: "Grüße" }, { ...fixed, profile: "ses", global: true, original: "From: Zoë <zoe@example.org>\r\nSubject: ü\r\n\r\nx\r\n" });
    expect(raw).toContain("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Description: Notification\r\n");
    expect(raw).toContain("Content-Type: message/global-delivery-status\r\nContent-Transfer-Encoding: 7bit\r\nContent-Description: Delivery Status Notification\r\n");
    expect(raw).toContain("Content-Type: message/global-headers\r\nContent-Transfer-Encoding: 8bit\r\nContent-Description: Undelivered Message\r\n");
    expect(raw).toContain("\treport-type=delivery-status\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
  });

  test("what a request resolves to for SES: its text, Original-Recipient from Recipient, a Message-ID at <region>.amazonses.com", () => {
    const { messageId: _, boundary: __, ...context } = fixed;
    const b = resolveBounce(request, { ...context, profile: "ses", region: "eu-west-1" });
    expect(b.explanation).toBe("This message could not be delivered.");
    expect(b.deliveryStatus.recipients[0]!.originalRecipient).toEqual({ type: "rfc822", address: "nobody@example.com" });
    expect(b.messageId).toMatch(/^<[0-9a-f]{32}@eu-west-1\.amazonses\.com>$/);
    const d = resolveBounce(request, context);
    expect(d.deliveryStatus.recipients[0]!.originalRecipient).toBeUndefined();
    expect(d.messageId).toMatch(/^<[0-9a-f]{32}@example\.com>$/);
  });

  test("a random boundary has JavaMail's form, with the bounce's date in epoch milliseconds", () => {
    const { boundary: _, ...options } = fixed;
    const a = renderBounce(request, { ...options, profile: "ses" });
    const b = renderBounce(request, { ...options, profile: "ses" });
    expect(a.boundary).toMatch(/^----=_Part_\d{1,10}_\d{1,10}\.1795687200000$/);
    expect(a.boundary).not.toBe(b.boundary);
    expect(a.raw).toContain(`\tboundary="${a.boundary}"; \r\n`);
  });

  test("renderDsn writes a model in the profile's layout without changing its content", () => {
    const { boundary: _, ...context } = fixed;
    const bounce = resolveBounce(request, context);
    const raw = renderDsn(bounce, { boundary: "b1", profile: "ses" }).raw;
    expect(raw).toContain("Action: failed\r\nFinal-Recipient: rfc822; nobody@example.com\r\nDiagnostic-Code: smtp; 550 5.1.1 Mailbox does not exist\r\nStatus: 5.1.1\r\n");
    expect(raw).toContain("Content-Description: Notification\r\n\r\nThis is an automatically generated Delivery Status Notification\r\n");
  });

  test("obsolete-utc dates: two-digit year and UTC", () => {
    expect(formatObsoleteUtcDate(new Date("2015-10-01T13:48:54Z"))).toBe("Thu, 01 Oct 15 13:48:54 UTC");
    expect(formatObsoleteUtcDate(new Date("1999-12-31T23:59:59Z"))).toBe("Fri, 31 Dec 99 23:59:59 UTC");
    expect(formatObsoleteUtcDate(new Date("2000-01-01T00:00:00Z"))).toBe("Sat, 01 Jan 00 00:00:00 UTC");
  });
});

describe("profile option", () => {
  test("default is the RFC-clean layout, named or not", () => {
    expect(renderBounce(request, { ...fixed, profile: "default" }).raw).toBe(renderBounce(request, fixed).raw);
    expect(renderBounce(request, { ...fixed, profile: RENDER_PROFILES.default }).raw).toBe(renderBounce(request, fixed).raw);
    expect(renderBounce(request, { ...fixed, profile: RENDER_PROFILES.ses }).raw).toBe(renderBounce(request, { ...fixed, profile: "ses" }).raw);
  });

  test("an unknown name is refused, naming the option", () => {
    expect(issuesOf(() => renderBounce(request, { ...fixed, profile: "postfix" as never }))).toEqual([
      { code: "invalid_option", path: ["context", "profile"], message: 'profile "postfix" is not a render profile: give "default", "ses" or a RenderProfile object' },
    ]);
    const { boundary: _, ...context } = fixed;
    expect(issuesOf(() => renderDsn(resolveBounce(request, context), { profile: 7 as never }))[0]!.path).toEqual(["options", "profile"]);
  });

  test("a malformed profile is refused with every problem and its path", () => {
    const bad = {
      ...RENDER_PROFILES.default,
      name: "no spaces please",
      headerFields: ["Date", "From", "From", "X-Mailer"],
      recipientFields: RENDER_PROFILES.default.recipientFields.slice(1),
      descriptions: { ...RENDER_PROFILES.default.descriptions, text: "two\r\nlines" },
      emptyLinesAfterRecipient: 0,
      boundary: "random",
    } as unknown as RenderProfile;
    const issues = issuesOf(() => renderBounce(request, { ...fixed, profile: bad }));
    expect(issues.map((i) => [i.code, i.path.join(".")])).toEqual([
      ["invalid_option", "context.profile.name"],
      ["invalid_option", "context.profile.headerFields.2"],
      ["invalid_enum", "context.profile.headerFields.3"],
      ["required", "context.profile.headerFields"],
      ["invalid_option", "context.profile.descriptions.text"],
      ["required", "context.profile.recipientFields"],
      ["invalid_enum", "context.profile.emptyLinesAfterRecipient"],
      ["invalid_enum", "context.profile.boundary"],
    ]);
    expect(issues[3]!.message).toBe("headerFields must list To, Subject, Message-ID, MIME-Version, Content-Type, Content-Transfer-Encoding");
    expect(issues[5]!.message).toBe("recipientFields must list Original-Recipient");
  });

  test("the built-in profiles cannot be changed", () => {
    expect(Object.isFrozen(RENDER_PROFILES.ses)).toBe(true);
    expect(Object.isFrozen(RENDER_PROFILES.ses.recipientFields)).toBe(true);
    expect(Object.isFrozen(RENDER_PROFILES.ses.descriptions)).toBe(true);
  });
});

describe("a second layout is data", () => {
  // Postfix's layout as a profile: field orders, labels and the preamble, nothing else. Held
  // against a bounce Postfix 3.7 wrote (core's fixture): the same fields, in the same order.
  const postfix: RenderProfile = {
    ...RENDER_PROFILES.default,
    name: "postfix",
    headerFields: ["Date", "From", "Subject", "To", "Auto-Submitted", "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Message-ID"],
    preamble: "This is a MIME-encapsulated message.",
    partFields: ["Content-Description", "Content-Type", "Content-Transfer-Encoding"],
    descriptions: { text: "Notification", deliveryStatus: "Delivery report", headers: "Undelivered Message Headers", message: "Undelivered Message" },
    recipientFields: ["Final-Recipient", "Original-Recipient", "Action", "Status", "Remote-MTA", "Diagnostic-Code", "Last-Attempt-Date", "Final-Log-ID", "Will-Retry-Until"],
  };
  const sample = readFileSync(join(import.meta.dirname, "fixtures/postfix/postfix-remote-userunknown.eml"), "utf8").replace(/\r?\n/g, "\r\n");
  const { raw } = renderBounce(
    { ...request, BouncedRecipientInfoList: [{ Recipient: "nobody@remote.test", RecipientDsnFields: { Action: "failed", Status: "5.1.1", RemoteMta: "127.0.0.1", DiagnosticCode: "smtp; 550 5.1.1 unknown" } }] },
    { ...fixed, original: "From: a@example.org\r\nSubject: s\r\n\r\nHello.\r\n", returnOriginal: "message", profile: postfix },
  );
  const split = (m: string, boundary: string) => m.split(`--${boundary}`).map((p) => p.replace(/^\r\n/, ""));
  const ours = split(raw, "b1");
  const theirs = split(sample, "6B148170091.1795680057/mta.localhost");
  // Postfix's own trace fields come from its delivery, and it labels its text 8bit whatever it holds.
  const delivery = new Set(["return-path", "x-original-to", "delivered-to", "received", "content-transfer-encoding"]);
  const top = (m: string) => names(m.slice(0, m.indexOf("\r\n\r\n") + 2)).filter((n) => !delivery.has(n.toLowerCase())).map((n) => n.toLowerCase());

  test("top-level fields and preamble", () => {
    expect(top(raw)).toEqual(top(sample));
    expect(ours[0]!.split("\r\n\r\n")[1]).toBe(theirs[0]!.split("\r\n\r\n")[1]);
  });

  test("each part's header fields, in order, with Postfix's labels", () => {
    for (let i = 1; i <= 3; i++) {
      const head = (p: string) => p.slice(0, p.indexOf("\r\n\r\n") + 2).split("\r\n").filter((l) => !/^Content-Transfer-Encoding/.test(l) && l !== "");
      expect(head(ours[i]!).map((l) => l.replace(/;.*/, ""))).toEqual(head(theirs[i]!).map((l) => l.replace(/;.*/, "")));
    }
  });

  test("recipient fields in Postfix's order", () => {
    const block = (p: string) => names(p.slice(p.indexOf("\r\n\r\n") + 4).split("\r\n\r\n")[1]!);
    expect(block(ours[2]!)).toEqual(block(theirs[2]!).filter((n) => n !== "Original-Recipient"));
  });
});
