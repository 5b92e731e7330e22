import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { checkDsn, decodeEncodedWords, DsnParseError, parseDsn, TOLERANCE_RULES } from "@dsnkit/core";
import type { DeliveryStatus, ParseOptions, ToleranceCode } from "@dsnkit/core";
import { build, forwarded, insertAfter, lineOf, replaceLine } from "./fixtures/base-dsn.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures");
const utf8 = new TextEncoder();

const BASE_MODEL: DeliveryStatus = {
  perMessage: {
    reportingMta: { type: "dns", name: "mx.example.com" },
    arrivalDate: new Date("2026-11-26T09:59:58Z"),
    extensionFields: [{ name: "X-Queue-ID", value: "1A2B3C" }],
  },
  recipients: [
    {
      finalRecipient: { type: "rfc822", address: "nobody@example.com" },
      action: "failed",
      status: "5.1.1",
      remoteMta: { type: "dns", name: "mx.example.net" },
      diagnosticCode: { type: "smtp", text: "550 5.1.1 Mailbox does not exist" },
      lastAttemptDate: new Date("2026-11-26T09:59:59Z"),
      extensionFields: [],
    },
  ],
};

function base64Lines(bytes: Uint8Array): string[] {
  const b64 = btoa(String.fromCharCode(...bytes));
  const out: string[] = [];
  for (let i = 0; i < b64.length; i += 76) out.push(b64.slice(i, i + 76));
  return out;
}

/** Replaces the body of the delivery-status part (base lines 21–30). */
function dsBody(lines: string[], body: string[]): void {
  const start = lines.indexOf("Reporting-MTA: dns; mx.example.com");
  const end = lines.indexOf("Last-Attempt-Date: Thu, 26 Nov 2026 09:59:59 +0000");
  lines.splice(start, end - start + 1, ...body);
}

const BASE_DS_TEXT = [
  "Reporting-MTA: dns; mx.example.com",
  "Arrival-Date: Thu, 26 Nov 2026 09:59:58 +0000",
  "X-Queue-ID: 1A2B3C",
  "",
  "Final-Recipient: rfc822; nobody@example.com",
  "Action: failed",
  "Status: 5.1.1",
  "Remote-MTA: dns; mx.example.net",
  "Diagnostic-Code: smtp; 550 5.1.1 Mailbox does not exist",
  "Last-Attempt-Date: Thu, 26 Nov 2026 09:59:59 +0000",
].join("\r\n") + "\r\n";

describe("parseDsn on the base DSN", () => {
  const dsn = parseDsn(build(), { strict: true });

  test("reads the RFC 3464 model exactly, with no tolerance", () => {
    expect(dsn.deliveryStatus).toStrictEqual(BASE_MODEL);
    expect(dsn.tolerances).toEqual([]);
  });

  test("reads the same from octets", () => {
    expect(parseDsn(utf8.encode(build()), { strict: true }).deliveryStatus).toStrictEqual(BASE_MODEL);
  });

  test("reads the top-level header, decoded where it is encoded", () => {
    expect(dsn.headers.slice(0, 3)).toEqual([
      { name: "From", value: "Mail Delivery System <mailer-daemon@example.com>", line: 1 },
      { name: "To", value: "sender@example.org", line: 2 },
      { name: "Subject", value: "Delivery Status Notification (Failure)", line: 3 },
    ]);
    expect(dsn.headers.find((h) => h.name === "Content-Type")).toEqual({
      name: "Content-Type",
      value: 'multipart/report; report-type=delivery-status; boundary="b1"',
      line: 8,
    });
    expect(dsn.message).toEqual({
      from: { name: "Mail Delivery System", address: "mailer-daemon@example.com" },
      to: "sender@example.org",
      subject: "Delivery Status Notification (Failure)",
      date: new Date("2026-11-26T10:00:00Z"),
      messageId: "<dsn-1@example.com>",
    });
  });

  test("reads the explanation and the returned header", () => {
    expect(dsn.explanation).toBe("Your message could not be delivered.\n");
    expect(dsn.original).toEqual({
      type: "text/rfc822-headers",
      line: 33,
      headers: [
        { name: "From", value: "sender@example.org", line: 35 },
        { name: "To", value: "nobody@example.com", line: 36 },
        { name: "Subject", value: "hello", line: 37 },
        { name: "Message-ID", value: "<orig-1@example.org>", line: 38 },
      ],
    });
  });

  test("keeps each field's raw text and line, the Status numbers and the SMTP reply beside the model", () => {
    expect(dsn.details).toMatchObject({ type: "message/delivery-status", transferEncoding: "7bit", line: 19 });
    expect(dsn.details.perMessage).toEqual({
      line: 21,
      fields: [
        { name: "Reporting-MTA", value: "dns; mx.example.com", raw: "Reporting-MTA: dns; mx.example.com", line: 21 },
        { name: "Arrival-Date", value: "Thu, 26 Nov 2026 09:59:58 +0000", raw: "Arrival-Date: Thu, 26 Nov 2026 09:59:58 +0000", line: 22 },
        { name: "X-Queue-ID", value: "1A2B3C", raw: "X-Queue-ID: 1A2B3C", line: 23 },
      ],
    });
    const r = dsn.details.recipients[0]!;
    expect(r).toMatchObject({ line: 25, status: { class: 5, subject: 1, detail: 1 }, smtp: { code: 550, enhancedStatus: "5.1.1" } });
    expect(r.fields.map((f) => [f.name, f.line])).toEqual([
      ["Final-Recipient", 25],
      ["Action", 26],
      ["Status", 27],
      ["Remote-MTA", 28],
      ["Diagnostic-Code", 29],
      ["Last-Attempt-Date", 30],
    ]);
  });
});

describe("parseDsn reads real-world variants", () => {
  test("delivery-status field names in any case (RFC 5322 §1.2.2): the same model, the names as written", () => {
    const raw = build((l) => {
      for (let i = 20; i < 30; i++) {
        const colon = l[i]!.indexOf(":");
        const name = l[i]!.slice(0, colon);
        l[i] = (i % 2 === 0 ? name.toUpperCase() : name.toLowerCase()) + l[i]!.slice(colon);
      }
    });
    const dsn = parseDsn(raw);
    expect(dsn.deliveryStatus).toStrictEqual({ ...BASE_MODEL, perMessage: { ...BASE_MODEL.perMessage, extensionFields: [{ name: "X-QUEUE-ID", value: "1A2B3C" }] } });
    expect(dsn.tolerances).toEqual([]);
    expect(dsn.details.recipients[0]!.fields.map((f) => f.name)).toEqual(["FINAL-RECIPIENT", "action", "STATUS", "remote-mta", "DIAGNOSTIC-CODE", "last-attempt-date"]);
    expect(dsn.details.recipients[0]!.fields[1]).toEqual({ name: "action", value: "failed", raw: "action: failed", line: 26 });
    expect(checkDsn(raw)).toEqual([]);
  });

  test("LF-only line ends (a mailbox file)", () => {
    const dsn = parseDsn(build(undefined, "\n"));
    expect(dsn.deliveryStatus).toStrictEqual(BASE_MODEL);
    expect(dsn.explanation).toBe("Your message could not be delivered.\n");
    expect(dsn.tolerances).toEqual([expect.objectContaining({ code: "lf-line-ends", rule: "rfc5322.lf-line-ends", line: 1 })]);
  });

  test("Gmail-style folded Diagnostic-Code whose continuation lines lack leading white space", () => {
    const raw = build((l) =>
      replaceLine(
        l,
        "Diagnostic-Code: smtp; 550 5.1.1 Mailbox does not exist",
        "Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does",
        "550-5.1.1 not exist. Please try double-checking the recipient's email",
        "550 5.1.1  address. https://support.google.com/mail/?p=NoSuchUser a1si",
      ),
    );
    const dsn = parseDsn(raw);
    expect(dsn.deliveryStatus.recipients[0]!.diagnosticCode).toEqual({
      type: "smtp",
      text:
        "550-5.1.1 The email account that you tried to reach does 550-5.1.1 not exist. Please try double-checking the recipient's email " +
        "550 5.1.1  address. https://support.google.com/mail/?p=NoSuchUser a1si",
    });
    expect(dsn.deliveryStatus.recipients[0]!.lastAttemptDate).toEqual(new Date("2026-11-26T09:59:59Z"));
    expect(dsn.tolerances.map((t) => [t.code, t.line])).toEqual([
      ["ds-folding-without-whitespace", 30],
      ["ds-folding-without-whitespace", 31],
    ]);
    expect(dsn.details.recipients[0]!.fields[4]!.raw).toBe(raw.slice(raw.indexOf("Diagnostic-Code"), raw.indexOf("a1si") + 4));
  });

  test("a base64 delivery-status part", () => {
    const raw = build((l) => {
      dsBody(l, base64Lines(utf8.encode(BASE_DS_TEXT)));
      insertAfter(l, "Content-Type: message/delivery-status", "Content-Transfer-Encoding: base64");
    });
    const dsn = parseDsn(raw);
    expect(dsn.deliveryStatus).toStrictEqual(BASE_MODEL);
    expect(dsn.details.transferEncoding).toBe("base64");
    expect(dsn.tolerances.map((t) => t.code)).toEqual(["delivery-status-encoded"]);
  });

  test("a quoted-printable delivery-status part", () => {
    const qp = BASE_DS_TEXT.replace("Mailbox does not exist", "Mailbox does=\r\n not exist").replace("X-Queue-ID: 1A2B3C", "X-Queue-ID: 1A2B=3D3C");
    const raw = build((l) => {
      dsBody(l, qp.slice(0, -2).split("\r\n"));
      insertAfter(l, "Content-Type: message/delivery-status", "Content-Transfer-Encoding: quoted-printable");
    });
    const dsn = parseDsn(raw);
    expect(dsn.deliveryStatus.recipients).toStrictEqual(BASE_MODEL.recipients);
    expect(dsn.deliveryStatus.perMessage.extensionFields).toEqual([{ name: "X-Queue-ID", value: "1A2B=3C" }]);
    expect(dsn.tolerances.map((t) => t.code)).toEqual(["delivery-status-encoded"]);
  });

  test("a base64 message/global-delivery-status part is allowed to be encoded", () => {
    const text = BASE_DS_TEXT.replace("rfc822; nobody@example.com", "utf-8; 用户@例子.广告");
    const raw = build((l) => {
      dsBody(l, base64Lines(utf8.encode(text)));
      replaceLine(l, "Content-Type: message/delivery-status", "Content-Type: message/global-delivery-status", "Content-Transfer-Encoding: base64");
    });
    const dsn = parseDsn(raw, { strict: true });
    expect(dsn.deliveryStatus.recipients[0]!.finalRecipient).toEqual({ type: "utf-8", address: "用户@例子.广告" });
    expect(dsn.details.type).toBe("message/global-delivery-status");
  });

  test("no empty line between the blocks", () => {
    const raw = build((l) => {
      l.splice(23, 1);
      insertAfter(l, "Last-Attempt-Date: Thu, 26 Nov 2026 09:59:59 +0000", "Final-Recipient: rfc822; other@example.com", "Action: failed", "Status: 5.1.2");
    });
    const dsn = parseDsn(raw);
    expect(dsn.deliveryStatus).toStrictEqual({
      perMessage: BASE_MODEL.perMessage,
      recipients: [...BASE_MODEL.recipients, { finalRecipient: { type: "rfc822", address: "other@example.com" }, action: "failed", status: "5.1.2", extensionFields: [] }],
    });
    expect(dsn.tolerances.map((t) => [t.code, t.line])).toEqual([
      ["ds-block-separator-missing", 24],
      ["ds-block-separator-missing", 30],
    ]);
  });

  test("Postfix order (Final-Recipient before Original-Recipient) is one block", () => {
    const raw = build((l) => insertAfter(l, "Final-Recipient: rfc822; nobody@example.com", "Original-Recipient: rfc822;Nobody@Example.com"));
    const dsn = parseDsn(raw, { strict: true });
    expect(dsn.deliveryStatus.recipients).toHaveLength(1);
    expect(dsn.deliveryStatus.recipients[0]!.originalRecipient).toEqual({ type: "rfc822", address: "Nobody@Example.com" });
  });

  test("RFC 6533 utf-8 addresses with \\x{HHHH} escapes are decoded", () => {
    const raw = build((l) => {
      replaceLine(l, "Final-Recipient: rfc822; nobody@example.com", "Final-Recipient: utf-8; \\x{7528}\\x{6237}@\\x{4F8B}\\x{5B50}.\\x{5E7F}\\x{544A}");
      insertAfter(l, "Action: failed", "X-Note: a\\x{41}b");
    });
    const dsn = parseDsn(raw, { strict: true });
    expect(dsn.deliveryStatus.recipients[0]!.finalRecipient).toEqual({ type: "utf-8", address: "用户@例子.广告" });
    expect(dsn.deliveryStatus.recipients[0]!.extensionFields).toEqual([{ name: "X-Note", value: "a\\x{41}b" }]);
  });

  test("a report nested in multipart/mixed (a forwarded bounce)", () => {
    const raw = build((l) => {
      replaceLine(l, "Content-Type: multipart/report; report-type=delivery-status;", "Content-Type: multipart/mixed; boundary=outer", "", "--outer", "Content-Type: multipart/report; report-type=delivery-status;");
      l.push("", "--outer--");
    });
    const dsn = parseDsn(raw);
    expect(dsn.deliveryStatus).toStrictEqual(BASE_MODEL);
    expect(dsn.explanation).toBe("Your message could not be delivered.\n");
    expect(dsn.tolerances.map((t) => t.code)).toEqual(["not-multipart-report"]);
  });

  test("a human-readable part that is multipart/alternative gives its text/plain", () => {
    const raw = build((l) =>
      replaceLine(
        l,
        "Content-Type: text/plain; charset=us-ascii",
        "Content-Type: multipart/alternative; boundary=alt",
        "",
        "--alt",
        "Content-Type: text/html",
        "",
        "<p>Your message could not be delivered.</p>",
        "--alt",
        "Content-Type: text/plain",
        "",
        "Plain text.",
        "--alt--",
      ),
    );
    const dsn = parseDsn(raw, { strict: true });
    expect(dsn.explanation).toBe("Plain text.");
  });

  test("8-bit text in its declared charset, from octets", () => {
    const text = build((l) => {
      insertAfter(l, "MIME-Version: 1.0", "Content-Transfer-Encoding: 8bit");
      replaceLine(l, "Content-Type: text/plain; charset=us-ascii", "Content-Type: text/plain; charset=iso-8859-1", "Content-Transfer-Encoding: 8bit");
      replaceLine(l, "Your message could not be delivered.", "Ihre Nachricht konnte nicht zugestellt werden: Empf\u00e4nger unbekannt.");
    });
    const octets = Uint8Array.from(text, (c) => c.charCodeAt(0)); // latin-1: not UTF-8
    const dsn = parseDsn(octets, { strict: true });
    expect(dsn.explanation).toBe("Ihre Nachricht konnte nicht zugestellt werden: Empfänger unbekannt.\n");
    expect(dsn.deliveryStatus).toStrictEqual(BASE_MODEL);
  });

  test("quoted-printable UTF-8 explanation and encoded-word Subject and display name", () => {
    const raw = build((l) => {
      replaceLine(l, "Subject: Delivery Status Notification (Failure)", "Subject: =?UTF-8?B?R3LDvMOfZQ==?= =?UTF-8?Q?_aus_K=C3=B6ln?=");
      replaceLine(l, "From: Mail Delivery System <mailer-daemon@example.com>", 'From: "Mail \\"Delivery\\" System" <mailer-daemon@example.com>');
      replaceLine(l, "Content-Type: text/plain; charset=us-ascii", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable");
      replaceLine(l, "Your message could not be delivered.", "Zustellung fehlgeschlagen f=C3=BCr =", "alle Empf=C3=A4nger.=20", "Zweite Zeile.");
    });
    const dsn = parseDsn(raw, { strict: true });
    expect(dsn.message.subject).toBe("Grüße aus Köln");
    expect(dsn.message.from).toEqual({ name: 'Mail "Delivery" System', address: "mailer-daemon@example.com" });
    expect(dsn.explanation).toBe("Zustellung fehlgeschlagen für alle Empfänger. \nZweite Zeile.\n");
  });

  test("From and To whose quoted parts hold <, > and commas", () => {
    const raw = build((l) => {
      replaceLine(l, "From: Mail Delivery System <mailer-daemon@example.com>", 'From: "Doe, <Jane>" (the daemon) <">"@example.com>');
      replaceLine(l, "To: sender@example.org", 'To: "a,b"@example.org (first), other@example.org');
    });
    const dsn = parseDsn(raw, { strict: true });
    expect(dsn.message.from).toEqual({ name: "Doe, <Jane>", address: '">"@example.com' });
    expect(dsn.message.to).toBe('"a,b"@example.org');
  });

  test("a returned message/rfc822 keeps its body", () => {
    const raw = build((l) => {
      replaceLine(l, "Content-Type: text/rfc822-headers", "Content-Type: message/rfc822");
      replaceLine(l, "Message-ID: <orig-1@example.org>", "Message-ID: <orig-1@example.org>", "", "Hello,", "", "world.");
    });
    const dsn = parseDsn(raw, { strict: true });
    expect(dsn.original).toMatchObject({ type: "message/rfc822", body: "Hello,\r\n\r\nworld.\r\n" });
    expect(dsn.original!.headers.map((h) => h.name)).toEqual(["From", "To", "Subject", "Message-ID"]);
  });

  test("a Status with a comment, and Action in capitals, need no tolerance", () => {
    const raw = build((l) => {
      replaceLine(l, "Status: 5.1.1", "Status: 5.1.1 (bad destination mailbox address)");
      replaceLine(l, "Action: failed", "Action: Failed");
    });
    const dsn = parseDsn(raw, { strict: true });
    expect(dsn.deliveryStatus.recipients[0]).toMatchObject({ action: "failed", status: "5.1.1" });
  });

  test("a missing Status is left out, not taken from the Diagnostic-Code or made up", () => {
    const dsn = parseDsn(build((l) => replaceLine(l, "Status: 5.1.1")));
    const r = dsn.deliveryStatus.recipients[0]!;
    expect(r.status).toBeUndefined();
    expect("status" in r).toBe(false);
    expect(r.unrecognized).toBeUndefined();
    expect(r.action).toBe("failed");
    expect(dsn.details.recipients[0]!.status).toBeUndefined();
    expect(dsn.details.recipients[0]!.smtp).toEqual({ code: 550, enhancedStatus: "5.1.1" });
    expect(dsn.tolerances.map((t) => t.code)).toEqual(["required-field-missing"]);
  });

  test("a missing Action is left out, not taken from the Status class", () => {
    const dsn = parseDsn(build((l) => {
      replaceLine(l, "Action: failed");
      replaceLine(l, "Status: 5.1.1", "Status: 4.4.7");
    }));
    const r = dsn.deliveryStatus.recipients[0]!;
    expect("action" in r).toBe(false);
    expect(r.status).toBe("4.4.7");
    expect(dsn.tolerances.map((t) => [t.code, t.line])).toEqual([["required-field-missing", 25]]);
  });

  test.each([
    ["deliverable", "2.0.0"],
    ["expired", "4.4.7"],
    ["bounced", "5.1.1"],
    ["failed, for now", "4.4.7"],
  ])("an unrecognized Action %j is kept as written, never read as one of the five", (written, status) => {
    const dsn = parseDsn(build((l) => {
      replaceLine(l, "Action: failed", `Action: ${written}`);
      replaceLine(l, "Status: 5.1.1", `Status: ${status}`);
    }));
    const r = dsn.deliveryStatus.recipients[0]!;
    expect("action" in r).toBe(false);
    expect(r).toMatchObject({ status, unrecognized: { action: written } });
    expect(dsn.tolerances).toEqual([expect.objectContaining({ code: "action-invalid", line: 26 })]);
  });

  test.each([
    ["", ""],
    ["5.1", "5.1"],
    ["user unknown", "user unknown"],
  ])("an unrecognized Status %j is kept as written", (written, kept) => {
    const dsn = parseDsn(build((l) => replaceLine(l, "Status: 5.1.1", `Status: ${written}`)));
    const r = dsn.deliveryStatus.recipients[0]!;
    expect("status" in r).toBe(false);
    expect(r).toMatchObject({ action: "failed", unrecognized: { status: kept } });
    expect(dsn.details.recipients[0]!.status).toBeUndefined();
    expect(dsn.tolerances).toEqual([expect.objectContaining({ code: "status-invalid", line: 27 })]);
  });

  test("an Action with a comment is recognized", () => {
    const dsn = parseDsn(build((l) => replaceLine(l, "Action: failed", "Action: failed (permanent)")), { strict: true });
    expect(dsn.deliveryStatus.recipients[0]!.action).toBe("failed");
  });

  test("what real DSNs write and is already read right stays so: Name : value, RFC 2047 look-alikes in an address", () => {
    const raw = build((l) => {
      replaceLine(l, "Status: 5.1.1", "Status : 5.1.1");
      replaceLine(l, "Final-Recipient: rfc822; nobody@example.com", "Final-Recipient\t: rfc822; =?utf-8?q?nobody?=@example.com");
      replaceLine(l, "Subject: Delivery Status Notification (Failure)", "Subject : Delivery Status Notification (Failure)");
    });
    const dsn = parseDsn(raw);
    expect(dsn.deliveryStatus.recipients[0]).toMatchObject({ finalRecipient: { type: "rfc822", address: "=?utf-8?q?nobody?=@example.com" }, status: "5.1.1" });
    expect(dsn.details.recipients[0]!.fields.map((f) => f.name)).toContain("Status");
    expect(dsn.message.subject).toBe("Delivery Status Notification (Failure)");
  });

  test("delivery-status dates are RFC 822 date-times: GMT and two-digit years are their syntax; the Date field is RFC 5322's", () => {
    const raw = build((l) => {
      replaceLine(l, "Arrival-Date: Thu, 26 Nov 2026 09:59:58 +0000", "Arrival-Date: Thu, 26 Nov 26 09:59:58 GMT");
      replaceLine(l, "Last-Attempt-Date: Thu, 26 Nov 2026 09:59:59 +0000", "Last-Attempt-Date: Thu, 26 Nov 2026 04:59:59 EST");
    });
    const dsn = parseDsn(raw, { strict: true });
    expect(dsn.deliveryStatus).toStrictEqual(BASE_MODEL);
    const sendmail = build((l) => replaceLine(l, "Date: Thu, 26 Nov 2026 10:00:00 +0000", "Date: Thu, 26 Nov 2026 10:00:00 GMT"));
    expect(parseDsn(sendmail).tolerances.map((t) => [t.code, t.line])).toEqual([["date-obsolete", 4]]);
    const ses = build((l) => replaceLine(l, "Arrival-Date: Thu, 26 Nov 2026 09:59:58 +0000", "Arrival-Date: Thu, 26 Nov 26 09:59:58 UTC"));
    expect(parseDsn(ses).tolerances).toEqual([expect.objectContaining({ code: "date-obsolete", line: 22, message: expect.stringContaining('"UTC"') })]);
  });

  test("a DSN forwarded as a message/rfc822 attachment is read, with a tolerance saying where", () => {
    const dsn = parseDsn(forwarded(build()));
    expect(dsn.deliveryStatus).toStrictEqual(BASE_MODEL);
    expect(dsn.explanation).toBe("Your message could not be delivered.\n");
    expect(dsn.message.subject).toBe("Delivery Status Notification (Failure)");
    expect(dsn.headers[0]).toEqual({ name: "From", value: "Mail Delivery System <mailer-daemon@example.com>", line: 16 });
    expect(dsn.details.recipients[0]!.line).toBe(40);
    expect(dsn.original?.headers.map((h) => h.name)).toEqual(["From", "To", "Subject", "Message-ID"]);
    expect(dsn.tolerances).toEqual([
      expect.objectContaining({ code: "report-forwarded", line: 14, message: expect.stringContaining("message/rfc822 attachment at line 14") }),
    ]);
  });

  test("a DSN forwarded twice is read too; a message with no DSN anywhere is still not_a_dsn", () => {
    const twice = forwarded(forwarded(build()));
    expect(parseDsn(twice).deliveryStatus).toStrictEqual(BASE_MODEL);
    const notDsn = forwarded("From: a@example.org\r\nSubject: hi\r\n\r\nhello\r\n");
    expect(() => parseDsn(notDsn)).toThrow(expect.objectContaining({ code: "not_a_dsn" }));
  });

  test("CR-only line ends are line ends: the same model, lines and text as CRLF", () => {
    const crlf = parseDsn(build());
    const cr = parseDsn(build(undefined, "\r"));
    expect(cr.deliveryStatus).toStrictEqual(crlf.deliveryStatus);
    expect(cr.explanation).toBe(crlf.explanation);
    expect(cr.headers).toEqual(crlf.headers);
    expect(cr.details.recipients[0]!.fields.map((f) => [f.name, f.line])).toEqual(crlf.details.recipients[0]!.fields.map((f) => [f.name, f.line]));
    expect(cr.tolerances).toEqual([expect.objectContaining({ code: "cr-line-ends", rule: "rfc5322.cr-line-ends", line: 1 })]);
  });

  test("a returned message whose header has a broken fold keeps its later fields and its body", () => {
    const raw = build((l) => {
      replaceLine(l, "Content-Type: text/rfc822-headers", "Content-Type: message/rfc822");
      replaceLine(l, "Subject: hello", "Subject: a subject that was", "folded without white space");
      replaceLine(l, "Message-ID: <orig-1@example.org>", "Message-ID: <orig-1@example.org>", "", "Hello,", "world.");
    });
    const dsn = parseDsn(raw);
    expect(dsn.original!.headers.map((h) => [h.name, h.value])).toEqual([
      ["From", "sender@example.org"],
      ["To", "nobody@example.com"],
      ["Subject", "a subject that was folded without white space"],
      ["Message-ID", "<orig-1@example.org>"],
    ]);
    expect(dsn.original!.body).toBe("Hello,\r\nworld.\r\n");
    expect(dsn.tolerances.map((t) => [t.code, t.line])).toEqual([["original-header-syntax", 38]]);
  });

  test("a returned message whose header runs into its body without an empty line keeps the body", () => {
    const raw = build((l) => {
      replaceLine(l, "Content-Type: text/rfc822-headers", "Content-Type: message/rfc822");
      replaceLine(l, "Message-ID: <orig-1@example.org>", "Message-ID: <orig-1@example.org>", "Hello, world.");
    });
    const dsn = parseDsn(raw);
    expect(dsn.original!.body).toBe("Hello, world.\r\n");
    expect(dsn.tolerances.map((t) => t.code)).toEqual(["original-header-syntax"]);
  });

  test("a text part in UTF-7 (RFC 2152), registered but unknown to TextDecoder, is decoded", () => {
    const raw = build((l) => {
      replaceLine(l, "Content-Type: text/plain; charset=us-ascii", "Content-Type: text/plain; charset=unicode-1-1-utf-7");
      replaceLine(l, "Your message could not be delivered.", "Zustellung an +AMQ-rger fehlgeschlagen: 1+-1=2.");
    });
    const dsn = parseDsn(raw, { strict: true });
    expect(dsn.explanation).toBe("Zustellung an \u00c4rger fehlgeschlagen: 1+1=2.\n");
    expect(checkDsn(raw)).toEqual([]);
  });

  test("the types are lower-cased", () => {
    const raw = build((l) => {
      replaceLine(l, "Reporting-MTA: dns; mx.example.com", "Reporting-MTA: DNS; mx.example.com");
      replaceLine(l, "Final-Recipient: rfc822; nobody@example.com", "Final-Recipient: RFC822; nobody@example.com");
      replaceLine(l, "Diagnostic-Code: smtp; 550 5.1.1 Mailbox does not exist", "Diagnostic-Code: X-Postfix; 550 5.1.1 Mailbox does not exist");
    });
    const ds = parseDsn(raw, { strict: true }).deliveryStatus;
    expect(ds.perMessage.reportingMta.type).toBe("dns");
    expect(ds.recipients[0]!.finalRecipient.type).toBe("rfc822");
    expect(ds.recipients[0]!.diagnosticCode!.type).toBe("x-postfix");
  });
});

interface ToleranceCase {
  raw: string | Uint8Array;
  line: number | string;
  options?: ParseOptions;
}

const TOLERANCES: Record<ToleranceCode, ToleranceCase> = {
  "lf-line-ends": { raw: build(undefined, "\n"), line: 1 },
  "bare-lf": { raw: build().replace("delivered.\r\n", "delivered.\n"), line: 16 },
  "bare-cr": { raw: build((l) => replaceLine(l, "Your message could not be delivered.", "Your message\rcould not be delivered.")), line: 16 },
  "mbox-from-line": { raw: build((l) => l.unshift("From mailer-daemon@example.com Thu Nov 26 10:00:00 2026")), line: 1 },
  "header-line-malformed": { raw: build((l) => l.splice(13, 0, " orphan")), line: 14 },
  "header-body-separator-missing": { raw: build((l) => l.splice(14, 1)), line: 15 },
  "header-not-utf8": {
    raw: Uint8Array.from(build((l) => replaceLine(l, "Subject: Delivery Status Notification (Failure)", "Subject: Zustellung \u00fc")), (c) => c.charCodeAt(0)),
    line: 3,
  },
  "content-type-invalid": { raw: build((l) => replaceLine(l, "Content-Type: text/plain; charset=us-ascii", "Content-Type: text")), line: 14 },
  "transfer-encoding-invalid": { raw: build((l) => insertAfter(l, "Content-Type: text/plain; charset=us-ascii", "Content-Transfer-Encoding: x-uuencode")), line: 15 },
  "base64-invalid": {
    raw: build((l) => {
      insertAfter(l, "Content-Type: text/plain; charset=us-ascii", "Content-Transfer-Encoding: base64");
      replaceLine(l, "Your message could not be delivered.", "WW91ciBtZXNzYWdl*IGNvdWxkIG5vdA==");
    }),
    line: 17,
  },
  "charset-unknown": { raw: build((l) => replaceLine(l, "Content-Type: text/plain; charset=us-ascii", "Content-Type: text/plain; charset=no-such-charset")), line: 14 },
  "charset-undecodable": {
    raw: build((l) => {
      replaceLine(l, "Content-Type: text/plain; charset=us-ascii", "Content-Type: text/plain; charset=IBM037", "Content-Transfer-Encoding: base64");
      replaceLine(l, "Your message could not be delivered.", "6JaZ");
    }),
    line: 14,
  },
  "cr-line-ends": { raw: build(undefined, "\r"), line: 1 },
  "header-folding-without-whitespace": { raw: build((l) => insertAfter(l, "Subject: Delivery Status Notification (Failure)", "for nobody@example.com")), line: 4 },
  "original-header-syntax": { raw: build((l) => insertAfter(l, "Subject: hello", "and more of the subject")), line: 38 },
  "report-forwarded": { raw: forwarded(build()), line: 14 },
  "charset-mismatch": { raw: build((l) => replaceLine(l, "Your message could not be delivered.", "Your message could not be délivered.")), line: 14 },
  "not-multipart-report": { raw: build((l) => replaceLine(l, "Content-Type: multipart/report; report-type=delivery-status;", "Content-Type: multipart/mixed;")), line: 8 },
  "report-type-missing": { raw: build((l) => replaceLine(l, "Content-Type: multipart/report; report-type=delivery-status;", "Content-Type: multipart/report;")), line: 8 },
  "report-type-mismatch": {
    raw: build((l) => replaceLine(l, "Content-Type: multipart/report; report-type=delivery-status;", "Content-Type: multipart/report; report-type=feedback-report;")),
    line: 8,
  },
  "part-order": { raw: build((l) => l.splice(12, 5)), line: 14 },
  "boundary-missing": { raw: build((l) => replaceLine(l, ' boundary="b1"', " x=y")), line: 8 },
  "delimiter-missing": { raw: build((l) => replaceLine(l, "Content-Type: text/plain; charset=us-ascii", "Content-Type: multipart/alternative; boundary=alt")), line: 14 },
  "closing-delimiter-missing": { raw: build((l) => l.pop()), line: 40 },
  "nesting-too-deep": {
    raw: build((l) => replaceLine(l, "Content-Type: text/plain; charset=us-ascii", "Content-Type: multipart/alternative; boundary=alt")),
    line: 14,
    options: { limits: { maxDepth: 1 } },
  },
  "delivery-status-encoded": {
    raw: build((l) => {
      dsBody(l, base64Lines(utf8.encode(BASE_DS_TEXT)));
      insertAfter(l, "Content-Type: message/delivery-status", "Content-Transfer-Encoding: base64");
    }),
    line: 19,
  },
  "non-ascii-in-classic": { raw: build((l) => replaceLine(l, "Final-Recipient: rfc822; nobody@example.com", "Final-Recipient: utf-8; 用户@example.com")), line: 25 },
  "ds-extra-blank-line": { raw: build((l) => l.splice(24, 0, "")), line: 25 },
  "ds-block-separator-missing": { raw: build((l) => l.splice(23, 1)), line: 24 },
  "ds-folding-without-whitespace": { raw: build((l) => insertAfter(l, "Diagnostic-Code: smtp; 550 5.1.1 Mailbox does not exist", "in virtual table")), line: 30 },
  "ds-line-not-field": { raw: build((l) => l.splice(20, 0, "not a field")), line: 21 },
  "ds-field-repeated": { raw: build((l) => insertAfter(l, "Status: 5.1.1", "Status: 5.1.1")), line: 28 },
  "ds-field-wrong-block": { raw: build((l) => insertAfter(l, "Status: 5.1.1", "Reporting-MTA: dns; mx.example.com")), line: 28 },
  "required-field-missing": { raw: build((l) => replaceLine(l, "Action: failed")), line: 25 },
  "recipient-block-skipped": {
    raw: build((l) => insertAfter(l, "Last-Attempt-Date: Thu, 26 Nov 2026 09:59:59 +0000", "", "Action: failed", "Status: 5.1.1")),
    line: 32,
  },
  "action-invalid": { raw: build((l) => replaceLine(l, "Action: failed", "Action: bounced")), line: 26 },
  "status-invalid": { raw: build((l) => replaceLine(l, "Status: 5.1.1", "Status: 5.01.1")), line: 27 },
  "address-type-missing": { raw: build((l) => replaceLine(l, "Final-Recipient: rfc822; nobody@example.com", "Final-Recipient: nobody@example.com")), line: 25 },
  "address-angle-brackets": { raw: build((l) => replaceLine(l, "Final-Recipient: rfc822; nobody@example.com", "Final-Recipient: rfc822; <nobody@example.com>")), line: 25 },
  "utf8-address-malformed": { raw: build((l) => replaceLine(l, "Final-Recipient: rfc822; nobody@example.com", "Final-Recipient: utf-8; a\\x{D800}@example.com")), line: 25 },
  "mta-name-type-missing": { raw: build((l) => replaceLine(l, "Remote-MTA: dns; mx.example.net", "Remote-MTA: mx.example.net")), line: 28 },
  "diagnostic-type-missing": {
    raw: build((l) => replaceLine(l, "Diagnostic-Code: smtp; 550 5.1.1 Mailbox does not exist", "Diagnostic-Code: 550 5.1.1 Mailbox does not exist")),
    line: 29,
  },
  "date-unreadable": { raw: build((l) => replaceLine(l, "Arrival-Date: Thu, 26 Nov 2026 09:59:58 +0000", "Arrival-Date: 2026-11-26")), line: 22 },
  "date-obsolete": { raw: build((l) => replaceLine(l, "Arrival-Date: Thu, 26 Nov 2026 09:59:58 +0000", "Arrival-Date: Thu, 26 Nov 26 09:59:58 UTC")), line: 22 },
  "date-weekday": { raw: build((l) => replaceLine(l, "Arrival-Date: Thu, 26 Nov 2026 09:59:58 +0000", "Arrival-Date: Mon, 26 Nov 2026 09:59:58 +0000")), line: 22 },
  "headers-only-message": { raw: build((l) => replaceLine(l, "Content-Type: text/rfc822-headers", "Content-Type: message/rfc822")), line: 33 },
};

describe("tolerances", () => {
  test("every tolerance code has a case here, and a rule", () => {
    expect(Object.keys(TOLERANCES).sort()).toEqual(Object.keys(TOLERANCE_RULES).sort());
  });

  for (const [code, c] of Object.entries(TOLERANCES) as [ToleranceCode, ToleranceCase][]) {
    test(`${code}: read leniently and listed; refused in strict mode`, () => {
      const dsn = parseDsn(c.raw, c.options);
      const text = typeof c.raw === "string" ? c.raw : new TextDecoder("latin1").decode(c.raw);
      const line = typeof c.line === "number" ? c.line : lineOf(text, c.line);
      const found = dsn.tolerances.filter((t) => t.code === code);
      expect(found.length).toBeGreaterThan(0);
      expect(found[0]).toMatchObject({ rule: TOLERANCE_RULES[code], line });
      expect(found[0]!.message.length).toBeGreaterThan(10);
      let error: unknown;
      try {
        parseDsn(c.raw, { ...c.options, strict: true });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DsnParseError);
      expect((error as DsnParseError).code).toBe("strict");
      expect((error as DsnParseError).tolerance).toEqual(dsn.tolerances[0]);
      expect((error as DsnParseError).line).toBe(dsn.tolerances[0]!.line);
    });
  }
});

describe("errors", () => {
  function error(raw: unknown, options?: ParseOptions): DsnParseError {
    try {
      parseDsn(raw as string, options);
    } catch (e) {
      if (e instanceof DsnParseError) return e;
      throw e;
    }
    throw new Error("no error");
  }

  test("not a DSN", () => {
    expect(error("Subject: hello\r\n\r\nnot a bounce\r\n")).toMatchObject({ code: "not_a_dsn", line: 1, message: "line 1: no message/delivery-status part: the message is text/plain" });
    expect(error(build((l) => replaceLine(l, "Content-Type: message/delivery-status", "Content-Type: text/plain")))).toMatchObject({ code: "not_a_dsn", line: 8 });
  });

  test("no recipient", () => {
    expect(error(build((l) => l.splice(23, 7)))).toMatchObject({ code: "no_recipients", line: 21 });
  });

  test("not a string or octets, or empty", () => {
    expect(error(42)).toMatchObject({ code: "invalid_input", message: "line 1: a DSN must be a string or a Uint8Array, not number" });
    expect(error(null)).toMatchObject({ code: "invalid_input", message: "line 1: a DSN must be a string or a Uint8Array, not null" });
    expect(error("")).toMatchObject({ code: "invalid_input", message: "line 1: the input is empty" });
  });

  test("over a limit", () => {
    expect(error(build(), { limits: { maxParts: 2 } })).toMatchObject({ code: "limit_exceeded", line: 19 });
    expect(error(build(), { limits: { maxHeaderFields: 3 } })).toMatchObject({ code: "limit_exceeded", line: 4 });
    expect(error(build(), { limits: { maxHeaderBytes: 100 } })).toMatchObject({ code: "limit_exceeded", line: 3 });
    expect(error(build(), { limits: { maxInputLength: 100 } })).toMatchObject({ code: "limit_exceeded", line: 1 });
    const two = build((l) => insertAfter(l, "Last-Attempt-Date: Thu, 26 Nov 2026 09:59:59 +0000", "", "Final-Recipient: rfc822; b@example.com", "Action: failed", "Status: 5.1.1"));
    expect(error(two, { limits: { maxRecipients: 1 } })).toMatchObject({ code: "limit_exceeded", line: 32 });
  });

  test("limits are checked", () => {
    expect(() => parseDsn(build(), { limits: { maxDepth: 0 } })).toThrow(new RangeError("limits.maxDepth must be a whole number from 1 to 1000, not 0"));
    expect(() => parseDsn(build(), { limits: { maxParts: 1.5 } })).toThrow(RangeError);
    expect(() => parseDsn(build(), { limits: { maxDept: 3 } as never })).toThrow('limits has no option "maxDept"');
  });
});

describe("the real DSNs in fixtures read as Python's email package reads them", () => {
  const same = (a: string | null | undefined, b: string | undefined) => expect(b ?? null).toBe(a ?? null);
  const typed = (t: string | null) => (t === null ? null : t.toLowerCase());
  for (const dir of ["postfix", "ses-like"]) {
    const files = readdirSync(join(fixtures, dir)).filter((f) => f.endsWith(".eml"));
    for (const file of files) {
      test(`${dir}/${file}`, () => {
        const raw = readFileSync(join(fixtures, dir, file));
        const py = JSON.parse(readFileSync(join(fixtures, dir, file.replace(/\.eml$/, ".py.json")), "utf8"));
        const dsn = parseDsn(raw);
        const ds = dsn.deliveryStatus;
        // Top level.
        const header = (name: string) => dsn.headers.find((h) => h.name.toLowerCase() === name)?.value;
        same(py.top.from, header("from"));
        same(py.top.to, header("to"));
        same(py.top.subject, dsn.message.subject);
        same(py.top.message_id, header("message-id"));
        same(py.top.auto_submitted, header("auto-submitted"));
        expect(dsn.message.date).toEqual(new Date(py.top.date));
        // Per-message block.
        expect(ds.perMessage.reportingMta).toEqual({ type: typed(py.per_message.reporting_mta_type), name: py.per_message.reporting_mta });
        expect(ds.perMessage.arrivalDate).toEqual(new Date(py.per_message.arrival_date));
        const standard = new Set(["original-envelope-id", "reporting-mta", "dsn-gateway", "received-from-mta", "arrival-date"]);
        expect(ds.perMessage.extensionFields.map((x) => [x.name.toLowerCase(), x.value])).toEqual(
          Object.entries(py.per_message.fields as Record<string, string>).filter(([k]) => !standard.has(k)),
        );
        // Recipient blocks.
        expect(ds.recipients).toHaveLength(py.recipients.length);
        py.recipients.forEach((p: Record<string, string | null>, i: number) => {
          const r = ds.recipients[i]!;
          const d = dsn.details.recipients[i]!;
          expect(r.finalRecipient).toEqual({ type: typed(p.final_recipient_type!), address: p.final_recipient });
          if (p.original_recipient === null) expect(r.originalRecipient).toBeUndefined();
          else expect(r.originalRecipient).toEqual({ type: typed(p.original_recipient_type!), address: p.original_recipient });
          expect(r.action).toBe(p.action);
          expect(r.status).toBe(p.status);
          expect(d.status?.class).toBe(p.status_class);
          if (p.remote_mta === null) expect(r.remoteMta).toBeUndefined();
          else expect(r.remoteMta).toEqual({ type: typed(p.remote_mta_type!), name: p.remote_mta });
          if (p.diagnostic_text === null) expect(r.diagnosticCode).toBeUndefined();
          else expect(r.diagnosticCode).toEqual({ type: typed(p.diagnostic_type!), text: p.diagnostic_text });
          expect(d.smtp?.code ?? null).toBe(p.smtp_reply_code === null ? null : Number(p.smtp_reply_code));
          expect(d.smtp?.enhancedStatus ?? null).toBe(p.diagnostic_enhanced_code);
          expect(r.lastAttemptDate ?? null).toEqual(p.last_attempt_date === null ? null : new Date(p.last_attempt_date));
          expect(r.willRetryUntil ?? null).toEqual(p.will_retry_until === null ? null : new Date(p.will_retry_until));
          const standardR = new Set(["original-recipient", "final-recipient", "action", "status", "remote-mta", "diagnostic-code", "last-attempt-date", "final-log-id", "will-retry-until"]);
          expect(r.extensionFields.map((x) => [x.name.toLowerCase(), x.value])).toEqual(
            Object.entries(p.fields as unknown as Record<string, string>).filter(([k]) => !standardR.has(k)),
          );
        });
        // The human-readable part and the original.
        // Python keeps the CRLFs of CRLF input; dsnkit gives \n line ends.
        expect(dsn.explanation).toBe(py.human_readable.text.replace(/\r\n/g, "\n"));
        expect(dsn.original?.type).toBe(py.original.content_type);
        const oh = (name: string) => dsn.original!.headers.find((h) => h.name.toLowerCase() === name)?.value;
        same(py.original.from, decodeEncodedWords(oh("from")!));
        same(py.original.to, oh("to"));
        same(py.original.subject, decodeEncodedWords(oh("subject")!));
        same(py.original.date, oh("date"));
        same(py.original.message_id, oh("message-id"));
        // What was tolerated: LF line ends for Postfix (a mailbox copy); bare LFs in the SES-like text parts.
        const expected = dir === "postfix" ? [["lf-line-ends", 1]] : file === "ses-outgoing-multi.eml" ? [] : [["bare-lf", 15]];
        expect(dsn.tolerances.map((t) => [t.code, t.line])).toEqual(expected);
      });
    }
  }
});
