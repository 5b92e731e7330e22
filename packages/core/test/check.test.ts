import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { checkDsn, RULES, ruleById, TOLERANCE_RULES } from "@dsnkit/core";
import type { CheckOptions, Finding } from "@dsnkit/core";
import { BASE_LINES, build, forwarded, insertAfter, lineOf, replaceLine } from "./fixtures/base-dsn.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures");
const utf8 = new TextEncoder();

function base64Lines(text: string): string[] {
  const b64 = btoa(String.fromCharCode(...utf8.encode(text)));
  const out: string[] = [];
  for (let i = 0; i < b64.length; i += 76) out.push(b64.slice(i, i + 76));
  return out;
}

/** The base DSN with its delivery-status part as message/global-delivery-status, 8bit (and the message 8bit). */
function globalDs(lines: string[]): void {
  replaceLine(lines, "Content-Type: message/delivery-status", "Content-Type: message/global-delivery-status", "Content-Transfer-Encoding: 8bit");
  insertAfter(lines, "MIME-Version: 1.0", "Content-Transfer-Encoding: 8bit");
}

interface Case {
  /** What the test DSN does wrong. */
  name: string;
  raw: string | Uint8Array;
  /** The line of the finding: a number, or a text whose line it is. */
  line: number | string;
  /** Rules that cannot help breaking too (said why in `name`). */
  also?: string[];
  options?: CheckOptions;
}

const CASES: Record<string, Case[]> = {
  "rfc3464.delivery-status-missing": [
    { name: "the second part is not a delivery status", raw: build((l) => replaceLine(l, "Content-Type: message/delivery-status", "Content-Type: text/plain")), line: 8 },
  ],
  "rfc3464.delivery-status-encoding": [
    {
      name: "the delivery-status part is base64",
      raw: build((l) => {
        const start = l.indexOf("Reporting-MTA: dns; mx.example.com");
        const body = l.slice(start, l.indexOf("", start + 4) + 0);
        const end = l.indexOf("--b1", start) - 1;
        const text = l.slice(start, end).join("\r\n") + "\r\n";
        void body;
        l.splice(start, end - start, ...base64Lines(text));
        insertAfter(l, "Content-Type: message/delivery-status", "Content-Transfer-Encoding: base64");
      }),
      line: "Content-Type: message/delivery-status",
    },
  ],
  "rfc3464.block-separator": [
    { name: "no empty line between the per-message and the recipient block", raw: build((l) => l.splice(23, 1)), line: "Final-Recipient" },
    {
      name: "no empty line between two recipient blocks",
      raw: build((l) => insertAfter(l, "Last-Attempt-Date: Thu, 26 Nov 2026 09:59:59 +0000", "Final-Recipient: rfc822; other@example.com", "Action: failed", "Status: 5.1.2")),
      line: "Final-Recipient: rfc822; other",
    },
  ],
  "rfc3464.empty-block": [
    { name: "two empty lines between blocks", raw: build((l) => l.splice(24, 0, "")), line: 25 },
    { name: "an empty line before the per-message block", raw: build((l) => l.splice(20, 0, "")), line: 21 },
  ],
  "rfc3464.field-syntax": [
    { name: "a line that is not a field", raw: build((l) => l.splice(20, 0, "this is not a field")), line: 21 },
  ],
  "rfc3464.required-field": [
    { name: "no Action", raw: build((l) => replaceLine(l, "Action: failed")), line: 25 },
    { name: "no Status", raw: build((l) => replaceLine(l, "Status: 5.1.1")), line: 25 },
    { name: "no Final-Recipient", raw: build((l) => replaceLine(l, "Final-Recipient: rfc822; nobody@example.com", "Original-Recipient: rfc822; nobody@example.com")), line: 25 },
    { name: "no Reporting-MTA", raw: build((l) => replaceLine(l, "Reporting-MTA: dns; mx.example.com")), line: 21 },
    {
      name: "no recipient block at all",
      raw: build((l) => l.splice(23, 7)),
      line: 21,
    },
  ],
  "rfc3464.field-repeated": [
    { name: "Status twice", raw: build((l) => insertAfter(l, "Status: 5.1.1", "Status: 5.1.1")), line: 28 },
    { name: "Reporting-MTA twice", raw: build((l) => insertAfter(l, "Reporting-MTA: dns; mx.example.com", "Reporting-MTA: dns; mx.example.com")), line: 22 },
  ],
  "rfc3464.field-wrong-block": [
    { name: "Arrival-Date in a recipient block", raw: build((l) => insertAfter(l, "Status: 5.1.1", "Arrival-Date: Thu, 26 Nov 2026 09:59:58 +0000")), line: 28 },
  ],
  "rfc3464.action-value": [{ name: "Action: bounced", raw: build((l) => replaceLine(l, "Action: failed", "Action: bounced")), line: "Action: bounced" }],
  "rfc3464.status-syntax": [
    { name: "a leading zero", raw: build((l) => replaceLine(l, "Status: 5.1.1", "Status: 5.01.1")), line: "Status:" },
    { name: "two numbers", raw: build((l) => replaceLine(l, "Status: 5.1.1", "Status: 5.1")), line: "Status:" },
    { name: "text after the code that is not a comment", raw: build((l) => replaceLine(l, "Status: 5.1.1", "Status: 5.1.1 user unknown")), line: "Status:" },
  ],
  "rfc3464.action-status-mismatch": [
    { name: "delayed with a 5.x.x status", raw: build((l) => replaceLine(l, "Action: failed", "Action: delayed")), line: "Status:" },
    { name: "delivered with a 5.x.x status", raw: build((l) => replaceLine(l, "Action: failed", "Action: delivered")), line: "Status:" },
  ],
  "rfc3464.will-retry-until-not-delayed": [
    {
      name: "Will-Retry-Until for a failed recipient",
      raw: build((l) => insertAfter(l, "Last-Attempt-Date: Thu, 26 Nov 2026 09:59:59 +0000", "Will-Retry-Until: Fri, 27 Nov 2026 10:00:00 +0000")),
      line: "Will-Retry-Until",
    },
  ],
  "rfc3464.remote-mta-is-reporting-mta": [
    { name: "Remote-MTA names the Reporting-MTA", raw: build((l) => replaceLine(l, "Remote-MTA: dns; mx.example.net", "Remote-MTA: dns; MX.example.com")), line: "Remote-MTA" },
  ],
  "rfc3464.last-attempt-after-date": [
    {
      name: "the last attempt is after the DSN was written",
      raw: build((l) => replaceLine(l, "Last-Attempt-Date: Thu, 26 Nov 2026 09:59:59 +0000", "Last-Attempt-Date: Thu, 26 Nov 2026 10:00:01 +0000")),
      line: "Last-Attempt-Date",
    },
  ],
  "rfc3464.address-type": [
    { name: "Final-Recipient without its type", raw: build((l) => replaceLine(l, "Final-Recipient: rfc822; nobody@example.com", "Final-Recipient: nobody@example.com")), line: "Final-Recipient" },
  ],
  "rfc3464.address-syntax": [
    { name: "angle brackets", raw: build((l) => replaceLine(l, "Final-Recipient: rfc822; nobody@example.com", "Final-Recipient: rfc822; <nobody@example.com>")), line: "Final-Recipient" },
    { name: "no domain", raw: build((l) => replaceLine(l, "Final-Recipient: rfc822; nobody@example.com", "Final-Recipient: rfc822; nobody")), line: "Final-Recipient" },
  ],
  "rfc3464.mta-name-type": [
    { name: "Reporting-MTA without its type", raw: build((l) => replaceLine(l, "Reporting-MTA: dns; mx.example.com", "Reporting-MTA: mx.example.com")), line: "Reporting-MTA" },
  ],
  "rfc3464.dns-name": [
    { name: "a dns name that is not a host name", raw: build((l) => replaceLine(l, "Remote-MTA: dns; mx.example.net", "Remote-MTA: dns; mx!example.net")), line: "Remote-MTA" },
  ],
  "rfc3464.diagnostic-type": [
    {
      name: "Diagnostic-Code without its type",
      raw: build((l) => replaceLine(l, "Diagnostic-Code: smtp; 550 5.1.1 Mailbox does not exist", "Diagnostic-Code: 550 5.1.1 Mailbox does not exist")),
      line: "Diagnostic-Code",
    },
  ],
  "rfc3464.extension-field-name": [{ name: "a dot in the name", raw: build((l) => replaceLine(l, "X-Queue-ID: 1A2B3C", "X-Queue.ID: 1A2B3C")), line: "X-Queue.ID" }],
  "rfc3464.extension-field-unregistered": [{ name: "no X- prefix", raw: build((l) => replaceLine(l, "X-Queue-ID: 1A2B3C", "Queue-ID: 1A2B3C")), line: "Queue-ID" }],
  "rfc6522.not-multipart-report": [
    {
      name: "multipart/mixed instead of multipart/report",
      raw: build((l) => replaceLine(l, "Content-Type: multipart/report; report-type=delivery-status;", "Content-Type: multipart/mixed;")),
      line: 8,
    },
    {
      name: "the report nested in multipart/mixed",
      raw: build((l) => {
        replaceLine(l, "Content-Type: multipart/report; report-type=delivery-status;", "Content-Type: multipart/mixed; boundary=outer", "", "--outer", "Content-Type: multipart/report; report-type=delivery-status;");
        l.push("", "--outer--");
      }),
      line: 8,
    },
  ],
  "rfc6522.report-type-missing": [
    { name: "no report-type", raw: build((l) => replaceLine(l, "Content-Type: multipart/report; report-type=delivery-status;", "Content-Type: multipart/report;")), line: 8 },
  ],
  "rfc6522.report-type-mismatch": [
    {
      name: "report-type=disposition-notification",
      raw: build((l) => replaceLine(l, "Content-Type: multipart/report; report-type=delivery-status;", "Content-Type: multipart/report; report-type=disposition-notification;")),
      line: 8,
    },
  ],
  "rfc6522.part-order": [
    { name: "no human-readable part: the delivery status comes first", raw: build((l) => l.splice(12, 5)), line: "Content-Type: message/delivery-status" },
    {
      name: "four parts",
      raw: build((l) => insertAfter(l, "Message-ID: <orig-1@example.org>", "", "--b1", "Content-Type: text/plain", "", "more")),
      line: 8,
    },
    {
      name: "the first part is not text",
      raw: build((l) => replaceLine(l, "Content-Type: text/plain; charset=us-ascii", "Content-Type: application/octet-stream")),
      line: "Content-Type: application/octet-stream",
    },
  ],
  "rfc6522.report-forwarded": [{ name: "a DSN forwarded as a message/rfc822 attachment", raw: forwarded(build()), line: 14 }],
  "rfc6522.original-header-syntax": [
    {
      name: "a returned header field folded without white space",
      raw: build((l) => insertAfter(l, "Subject: hello", "and more of the subject")),
      line: "and more of the subject",
    },
  ],
  "rfc6522.headers-only-message": [
    { name: "a header labelled message/rfc822", raw: build((l) => replaceLine(l, "Content-Type: text/rfc822-headers", "Content-Type: message/rfc822")), line: "Content-Type: message/rfc822" },
  ],
  "rfc6522.original-type": [
    { name: "a text/plain third part", raw: build((l) => replaceLine(l, "Content-Type: text/rfc822-headers", "Content-Type: text/plain")), line: 33 },
  ],
  "rfc2045.mime-version-missing": [{ name: "no MIME-Version", raw: build((l) => replaceLine(l, "MIME-Version: 1.0")), line: 9 }],
  "rfc2045.content-type-syntax": [
    { name: "a type without subtype", raw: build((l) => replaceLine(l, "Content-Type: text/plain; charset=us-ascii", "Content-Type: text")), line: 14 },
  ],
  "rfc2045.transfer-encoding": [
    { name: "an unknown encoding", raw: build((l) => insertAfter(l, "Content-Type: text/plain; charset=us-ascii", "Content-Transfer-Encoding: x-uuencode")), line: 15 },
    {
      name: "base64 on message/rfc822 (it is decoded and read all the same)",
      raw: build((l) => {
        replaceLine(l, "Content-Type: text/rfc822-headers", "Content-Type: message/rfc822", "Content-Transfer-Encoding: base64");
        const start = l.indexOf("From: sender@example.org", 30);
        l.splice(start, 4, ...base64Lines("Subject: hello\r\n\r\nbody\r\n"));
      }),
      line: "Content-Transfer-Encoding: base64",
    },
    {
      name: "a character outside the base64 alphabet",
      raw: build((l) => {
        insertAfter(l, "Content-Type: text/plain; charset=us-ascii", "Content-Transfer-Encoding: base64");
        replaceLine(l, "Your message could not be delivered.", "WW91ciBtZXNzYWdl*IGNvdWxkIG5vdA==");
      }),
      line: "WW91",
    },
  ],
  "rfc2045.8bit-undeclared": [
    {
      name: "8-bit text in a 7bit part (and so in the 7bit message)",
      raw: build((l) => {
        replaceLine(l, "Content-Type: text/plain; charset=us-ascii", "Content-Type: text/plain; charset=utf-8");
        replaceLine(l, "Your message could not be delivered.", "Your message could not be délivered.");
      }),
      line: 14,
    },
  ],
  "rfc2045.nul": [{ name: "a NUL in the text", raw: build((l) => replaceLine(l, "Your message could not be delivered.", "Your message\0could not be delivered.")), line: 16 }],
  "rfc2046.charset": [
    {
      name: "8-bit text declared us-ascii",
      raw: build((l) => {
        insertAfter(l, "MIME-Version: 1.0", "Content-Transfer-Encoding: 8bit");
        replaceLine(l, "Content-Type: text/plain; charset=us-ascii", "Content-Type: text/plain; charset=us-ascii", "Content-Transfer-Encoding: 8bit");
        replaceLine(l, "Your message could not be delivered.", "Your message could not be délivered.");
      }),
      line: "Content-Type: text/plain",
    },
    { name: "an unknown charset", raw: build((l) => replaceLine(l, "Content-Type: text/plain; charset=us-ascii", "Content-Type: text/plain; charset=no-such-charset")), line: 14 },
  ],
  "rfc2046.boundary-missing": [
    { name: "no boundary parameter", raw: build((l) => replaceLine(l, ' boundary="b1"', " charset=us-ascii")), line: 8 },
  ],
  "rfc2046.boundary-syntax": [
    { name: "a character outside bchars", raw: build((l) => l.forEach((s, i) => (l[i] = s.replace("b1", "b{1}")))), line: 8 },
  ],
  "rfc2046.boundary-in-part": [
    { name: "a line in a part starts with the delimiter", raw: build((l) => replaceLine(l, "Your message could not be delivered.", "--b1x is not a delimiter")), line: 16 },
  ],
  "rfc2046.delimiter-missing": [
    {
      name: "the boundary parameter names a boundary no line uses (so no delivery-status part is found)",
      raw: build((l) => replaceLine(l, ' boundary="b1"', ' boundary="b2"')),
      line: 8,
      also: ["rfc3464.delivery-status-missing"],
    },
  ],
  "rfc2046.closing-delimiter": [{ name: "no close delimiter", raw: build((l) => l.pop()), line: 40 }],
  "rfc5322.bare-lf": [
    {
      name: "one line ends in LF",
      raw: build().replace("Your message could not be delivered.\r\n", "Your message could not be delivered.\n"),
      line: 16,
    },
  ],
  "rfc5322.bare-cr": [{ name: "a CR inside a line", raw: build((l) => replaceLine(l, "Your message could not be delivered.", "Your message\rcould not be delivered.")), line: 16 }],
  "rfc5322.lf-line-ends": [{ name: "every line ends in LF", raw: build(undefined, "\n"), line: 1 }],
  "rfc5322.cr-line-ends": [{ name: "every line ends in CR", raw: build(undefined, "\r"), line: 1 }],
  "rfc5322.mbox-from-line": [{ name: "an mbox From line", raw: build((l) => l.unshift("From mailer-daemon@example.com Thu Nov 26 10:00:00 2026")), line: 1 }],
  "rfc5322.line-too-long": [{ name: "a line of 1000 characters", raw: build((l) => replaceLine(l, "Your message could not be delivered.", "x".repeat(1000))), line: 16 }],
  "rfc5322.line-over-78": [{ name: "a line of 80 characters", raw: build((l) => replaceLine(l, "Your message could not be delivered.", "x".repeat(80))), line: 16 }],
  "rfc5322.header-syntax": [
    { name: "a part header that starts with a continuation line", raw: build((l) => l.splice(13, 0, " orphan")), line: 14 },
    {
      name: "a header field that is not UTF-8",
      raw: (() => {
        const text = build((l) => replaceLine(l, "Subject: Delivery Status Notification (Failure)", "Subject: Zustellung fehlgeschlagen \u00fc"));
        return Uint8Array.from(text, (c) => c.charCodeAt(0));
      })(),
      line: 3,
    },
  ],
  "rfc5322.folding": [
    {
      name: "a header field continued on a line without white space",
      raw: build((l) => insertAfter(l, "Subject: Delivery Status Notification (Failure)", "for nobody@example.com")),
      line: "for nobody@example.com",
    },
    {
      name: "a Gmail-style continuation line without white space",
      raw: build((l) =>
        replaceLine(l, "Diagnostic-Code: smtp; 550 5.1.1 Mailbox does not exist", "Diagnostic-Code: smtp; 550-5.1.1 The account you tried to reach does", "550 5.1.1 not exist."),
      ),
      line: "550 5.1.1 not exist",
    },
  ],
  "rfc5322.date-missing": [{ name: "no Date", raw: build((l) => replaceLine(l, "Date: Thu, 26 Nov 2026 10:00:00 +0000")), line: 9 }],
  "rfc5322.from-missing": [{ name: "no From", raw: build((l) => l.shift()), line: 9 }],
  "rfc5322.header-repeated": [{ name: "Subject twice", raw: build((l) => insertAfter(l, "Subject: Delivery Status Notification (Failure)", "Subject: again")), line: 4 }],
  "rfc5322.message-id-missing": [{ name: "no Message-ID", raw: build((l) => replaceLine(l, "Message-ID: <dsn-1@example.com>")), line: 9 }],
  "rfc5322.date-syntax": [
    { name: "Date is not a date-time", raw: build((l) => replaceLine(l, "Date: Thu, 26 Nov 2026 10:00:00 +0000", "Date: 2026-11-26T10:00:00Z")), line: 4 },
    {
      name: "Arrival-Date is not a date-time",
      raw: build((l) => replaceLine(l, "Arrival-Date: Thu, 26 Nov 2026 09:59:58 +0000", "Arrival-Date: yesterday")),
      line: "Arrival-Date",
    },
  ],
  "rfc5322.obsolete-date": [
    { name: "GMT", raw: build((l) => replaceLine(l, "Date: Thu, 26 Nov 2026 10:00:00 +0000", "Date: Thu, 26 Nov 2026 10:00:00 GMT")), line: 4 },
    { name: "a two-digit year in Date", raw: build((l) => replaceLine(l, "Date: Thu, 26 Nov 2026 10:00:00 +0000", "Date: Thu, 26 Nov 26 10:00:00 +0000")), line: 4 },
    { name: "an Arrival-Date in UTC (a zone not even RFC 822 has), as SES writes it", raw: build((l) => replaceLine(l, "Arrival-Date: Thu, 26 Nov 2026 09:59:58 +0000", "Arrival-Date: Thu, 26 Nov 26 09:59:58 UTC")), line: 22 },
  ],
  "rfc5322.date-weekday": [{ name: "a Friday that is a Thursday", raw: build((l) => replaceLine(l, "Date: Thu, 26 Nov 2026 10:00:00 +0000", "Date: Fri, 26 Nov 2026 10:00:00 +0000")), line: 4 }],
  "rfc2047.encoded-word-not-allowed": [
    { name: "in a Message-ID", raw: build((l) => replaceLine(l, "Message-ID: <dsn-1@example.com>", "Message-ID: <=?utf-8?q?dsn?=@example.com>")), line: 5 },
    { name: "in an address", raw: build((l) => replaceLine(l, "To: sender@example.org", "To: =?utf-8?q?sender?=@example.org")), line: 2 },
    { name: "in a Final-Recipient", raw: build((l) => replaceLine(l, "Final-Recipient: rfc822; nobody@example.com", "Final-Recipient: rfc822; =?utf-8?q?nobody?=@example.com")), line: 25 },
  ],
  "rfc2047.encoded-word-in-quoted-string": [
    {
      name: "a quoted display name",
      raw: build((l) => replaceLine(l, "From: Mail Delivery System <mailer-daemon@example.com>", 'From: "=?utf-8?q?Mail_Delivery?=" <mailer-daemon@example.com>')),
      line: 1,
    },
  ],
  "rfc2047.encoded-word-too-long": [
    { name: "an encoded-word of 76 characters", raw: build((l) => replaceLine(l, "Subject: Delivery Status Notification (Failure)", "Subject:", ` =?utf-8?q?${"a".repeat(64)}?=`)), line: 3 },
  ],
  "rfc3834.auto-submitted-missing": [{ name: "no Auto-Submitted", raw: build((l) => replaceLine(l, "Auto-Submitted: auto-replied")), line: 9 }],
  "rfc3834.auto-submitted-value": [{ name: "Auto-Submitted: no", raw: build((l) => replaceLine(l, "Auto-Submitted: auto-replied", "Auto-Submitted: no")), line: 6 }],
  "rfc3834.auto-submitted-syntax": [{ name: "Auto-Submitted with no keyword", raw: build((l) => replaceLine(l, "Auto-Submitted: auto-replied", "Auto-Submitted: (automatic)")), line: 6 }],
  "rfc6533.utf8-address": [
    { name: "a malformed escape", raw: build((l) => replaceLine(l, "Final-Recipient: rfc822; nobody@example.com", "Final-Recipient: utf-8; nob\\x{ZZ}dy@example.com")), line: 25 },
  ],
  "rfc6533.non-ascii-address-type": [
    {
      name: "a UTF-8 address typed rfc822 (in a global part, which may hold it)",
      raw: build((l) => {
        globalDs(l);
        replaceLine(l, "Final-Recipient: rfc822; nobody@example.com", "Final-Recipient: rfc822; 用户@example.com");
      }),
      line: "Final-Recipient",
    },
  ],
  "rfc6533.non-ascii-in-classic": [
    {
      name: "raw UTF-8 in message/delivery-status",
      raw: build((l) => {
        insertAfter(l, "MIME-Version: 1.0", "Content-Transfer-Encoding: 8bit");
        insertAfter(l, "Content-Type: message/delivery-status", "Content-Transfer-Encoding: 8bit");
        replaceLine(l, "Final-Recipient: rfc822; nobody@example.com", "Final-Recipient: utf-8; 用户@example.com");
      }),
      line: "Final-Recipient",
    },
    {
      name: "raw UTF-8 in text/rfc822-headers",
      raw: build((l) => {
        insertAfter(l, "MIME-Version: 1.0", "Content-Transfer-Encoding: 8bit");
        insertAfter(l, "Content-Type: text/rfc822-headers", "Content-Transfer-Encoding: 8bit");
        replaceLine(l, "Subject: hello", "Subject: grüße");
      }),
      line: "Subject: grüße",
    },
  ],
  "rfc6533.global-type-unneeded": [
    { name: "an ASCII delivery status as message/global-delivery-status", raw: build((l) => replaceLine(l, "Content-Type: message/delivery-status", "Content-Type: message/global-delivery-status")), line: 19 },
  ],
  "dsnkit.charset-undecodable": [
    {
      name: "text in a registered charset the platform has no decoder for (EBCDIC)",
      raw: build((l) => {
        replaceLine(l, "Content-Type: text/plain; charset=us-ascii", "Content-Type: text/plain; charset=IBM037", "Content-Transfer-Encoding: base64");
        replaceLine(l, "Your message could not be delivered.", "6JaZ");
      }),
      line: 14,
    },
  ],
  "dsnkit.limit-exceeded": [
    { name: "more parts than limits.maxParts", raw: build(), line: "Content-Type: text/rfc822-headers", options: { limits: { maxParts: 3 } } },
    {
      name: "multiparts nested deeper than limits.maxDepth (so the report inside is not read)",
      raw: build((l) => {
        replaceLine(l, "Content-Type: multipart/report; report-type=delivery-status;", "Content-Type: multipart/mixed; boundary=outer", "", "--outer", "Content-Type: multipart/report; report-type=delivery-status;");
        l.push("", "--outer--");
      }),
      line: "Content-Type: multipart/report",
      options: { limits: { maxDepth: 1 } },
      also: ["rfc3464.delivery-status-missing"],
    },
  ],
  "dsnkit.unicode-line-break": [
    {
      name: "U+2028 in the Subject, before a forged field",
      raw: build((l) => replaceLine(l, "Subject: Delivery Status Notification (Failure)", "Subject: Failure\u2028Final-Recipient: rfc822; forged@example.net")),
      line: 3,
    },
    {
      name: "U+2029 in a Diagnostic-Code of message/global-delivery-status",
      raw: build((l) => {
        globalDs(l);
        replaceLine(l, "Diagnostic-Code: smtp; 550 5.1.1 Mailbox does not exist", "Diagnostic-Code: smtp; 550 5.1.1 Mailbox does not exist\u2029Status: 2.0.0");
      }),
      line: "Diagnostic-Code: smtp; 550",
    },
    { name: "VT in an extension field", raw: build((l) => replaceLine(l, "X-Queue-ID: 1A2B3C", "X-Queue-ID: 1A2B3C\vAction: delivered")), line: "X-Queue-ID: 1A2B3C" },
    { name: "FF at the end of a returned header field", raw: build((l) => replaceLine(l, "To: nobody@example.com", "To: nobody@example.com\f")), line: 36 },
  ],
  "dsnkit.invalid-input": [
    { name: "empty input", raw: "", line: 1 },
    { name: "not a string", raw: 42 as unknown as string, line: 1 },
  ],
};

describe("checkDsn", () => {
  test("the base DSN breaks no rule", () => {
    expect(checkDsn(build())).toEqual([]);
  });

  test("every rule has at least one test DSN, and every test is for a rule", () => {
    expect(Object.keys(CASES).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  for (const rule of RULES) {
    describe(rule.id, () => {
      for (const c of CASES[rule.id] ?? []) {
        test(`${c.name}: breaks exactly ${rule.id}${c.also ? ` (and ${c.also.join(", ")})` : ""}`, () => {
          const findings = checkDsn(c.raw, c.options);
          expect([...new Set(findings.map((f) => f.rule))].sort()).toEqual([rule.id, ...(c.also ?? [])].sort());
          const line = typeof c.line === "number" ? c.line : lineOf(typeof c.raw === "string" ? c.raw : new TextDecoder().decode(c.raw), c.line);
          const mine = findings.filter((f) => f.rule === rule.id);
          expect(mine.map((f) => f.line)).toContain(line);
          for (const f of mine) {
            expect(f).toMatchObject({ rfc: rule.rfc, severity: rule.severity });
            expect(f.message.length).toBeGreaterThan(10);
          }
        });
      }
    });
  }

  test("findings come in line order", () => {
    const raw = build((l) => {
      replaceLine(l, "Status: 5.1.1", "Status: 5.01.1");
      replaceLine(l, "Auto-Submitted: auto-replied", "Auto-Submitted: no");
      replaceLine(l, "Your message could not be delivered.", "x".repeat(90));
    });
    expect(checkDsn(raw).map((f) => [f.line, f.rule])).toEqual([
      [6, "rfc3834.auto-submitted-value"],
      [16, "rfc5322.line-over-78"],
      [27, "rfc3464.status-syntax"],
    ]);
  });

  test("a rule broken on many lines is reported 20 times, then summed up", () => {
    const raw = build((l) => replaceLine(l, "Your message could not be delivered.", ...Array.from({ length: 30 }, () => "y".repeat(80))));
    const findings = checkDsn(raw).filter((f) => f.rule === "rfc5322.line-over-78");
    expect(findings).toHaveLength(21);
    expect(findings[20]).toMatchObject({ message: "10 more times after these", line: 36 });
  });

  test("a status with a comment is conforming", () => {
    expect(checkDsn(build((l) => replaceLine(l, "Status: 5.1.1", "Status: 5.1.1 (user unknown)")))).toEqual([]);
  });

  test("Action is case-insensitive", () => {
    expect(checkDsn(build((l) => replaceLine(l, "Action: failed", "Action: FAILED")))).toEqual([]);
  });

  test("failed with a 4.x.x status is allowed (a retrying MTA that gave up)", () => {
    expect(checkDsn(build((l) => replaceLine(l, "Status: 5.1.1", "Status: 4.4.7")))).toEqual([]);
  });

  test("Will-Retry-Until on a delayed recipient is allowed", () => {
    const raw = build((l) => {
      replaceLine(l, "Action: failed", "Action: delayed");
      replaceLine(l, "Status: 5.1.1", "Status: 4.4.7");
      insertAfter(l, "Last-Attempt-Date: Thu, 26 Nov 2026 09:59:59 +0000", "Will-Retry-Until: Fri, 27 Nov 2026 10:00:00 +0000");
    });
    expect(checkDsn(raw)).toEqual([]);
  });

  test("a utf-8 address with escapes in message/delivery-status is conforming", () => {
    const raw = build((l) => replaceLine(l, "Final-Recipient: rfc822; nobody@example.com", "Final-Recipient: utf-8; \\x{7528}\\x{6237}@example.com"));
    expect(checkDsn(raw)).toEqual([]);
  });

  test("extension values and Diagnostic-Code are free text: encoded-word look-alikes there are literal", () => {
    // 76 characters: too long for an encoded-word, which it is not.
    const raw = build((l) => replaceLine(l, "X-Queue-ID: 1A2B3C", "X-Note:", ` =?utf-8?q?${"a".repeat(64)}?=`));
    expect(checkDsn(raw)).toEqual([]);
  });

  test("never throws, whatever the input", () => {
    for (const raw of [null, undefined, 42, {}, [], "x", "\r", "\n\n\n", new Uint8Array([0xff, 0xfe, 0]), "--b1--"] as unknown[]) {
      const findings = checkDsn(raw as string);
      expect(Array.isArray(findings)).toBe(true);
      expect(findings.some((f: Finding) => f.severity === "error")).toBe(true);
    }
  });

  test("bad limits are a finding, not an exception", () => {
    expect(checkDsn(build(), { limits: { maxDepth: 0 } })).toEqual([
      expect.objectContaining({ rule: "dsnkit.invalid-input", message: "the options are not usable: limits.maxDepth must be a whole number from 1 to 1000, not 0" }),
    ]);
  });
});

describe("checkDsn on real DSNs", () => {
  const postfix = readdirSync(join(fixtures, "postfix")).filter((f) => f.endsWith(".eml"));
  test.each(postfix)("%s (Postfix 3.7) has no error", (file) => {
    const findings = checkDsn(readFileSync(join(fixtures, "postfix", file)));
    expect(findings.filter((f) => f.severity === "error")).toEqual([]);
    // What they do have: LF line ends (a mailbox copy), a few long lines, and the global
    // delivery-status type for an all-ASCII report.
    for (const f of findings) expect(["rfc5322.lf-line-ends", "rfc5322.line-over-78", "rfc6533.global-type-unneeded"]).toContain(f.rule);
    expect(findings[0]).toMatchObject({ rule: "rfc5322.lf-line-ends", line: 1 });
  });

  test("the Postfix SMTPUTF8 DSN's ASCII global delivery status is a warning", () => {
    const findings = checkDsn(readFileSync(join(fixtures, "postfix", "postfix-smtputf8-userunknown.eml")));
    expect(findings.map((f) => [f.rule, f.line])).toEqual([
      ["rfc5322.lf-line-ends", 1],
      ["rfc6533.global-type-unneeded", 41],
    ]);
  });

  const expected: Record<string, [string, number][]> = {
    "ses-delayed.eml": [
      ["rfc5322.line-over-78", 8],
      ["rfc3834.auto-submitted-missing", 9],
      ["rfc5322.bare-lf", 15],
    ],
    "ses-outgoing-multi.eml": [
      ["rfc5322.line-over-78", 8],
      ["rfc5322.line-over-78", 10],
      ["rfc3834.auto-submitted-missing", 11],
    ],
    "ses-permanent-codeonly.eml": [
      ["rfc5322.line-over-78", 8],
      ["rfc3834.auto-submitted-missing", 9],
      ["rfc5322.bare-lf", 15],
    ],
    "ses-permanent-multi.eml": [
      ["rfc5322.line-over-78", 8],
      ["rfc3834.auto-submitted-missing", 9],
      ["rfc5322.bare-lf", 15],
    ],
    "ses-permanent-statusonly.eml": [
      ["rfc5322.line-over-78", 8],
      ["rfc3834.auto-submitted-missing", 9],
      ["rfc5322.bare-lf", 15],
    ],
    "ses-userunknown.eml": [
      ["rfc5322.line-over-78", 8],
      ["rfc3834.auto-submitted-missing", 9],
      ["rfc5322.bare-lf", 15],
    ],
  };
  test.each(Object.keys(expected))("%s (SES-like) has the findings we expect", (file) => {
    const findings = checkDsn(readFileSync(join(fixtures, "ses-like", file)));
    expect(findings.map((f) => [f.rule, f.line])).toEqual(expected[file]);
    for (const f of findings) expect(f.severity).toBe(ruleById(f.rule).severity);
  });

  test("the base DSN's lines are the ones the rule table expects", () => {
    expect(BASE_LINES[26]).toBe("Status: 5.1.1");
    expect(lineOf(build(), "Status: 5.1.1")).toBe(27);
  });
});

describe("docs/parsing-and-checking.md", () => {
  const doc = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../../../docs/parsing-and-checking.md"), "utf8");
  test("its rule table is RULES, row for row", () => {
    const rows = doc.split("\n").filter((l) => /^\| `(rfc\d+|dsnkit)\./.test(l));
    expect(rows).toEqual(RULES.map((r) => `| \`${r.id}\` | ${r.rfc} | ${r.severity} | ${r.description.replace(/\|/g, "\\|")} |`));
  });
  test("its tolerance table has every tolerance code with its rule", () => {
    const rows = doc.split("\n").filter((l) => /^\| `[a-z0-9-]+` \| .* \| `[a-z0-9.-]+` \|$/.test(l));
    expect(rows.map((l) => [l.slice(3, l.indexOf("`", 3)), l.slice(l.lastIndexOf("| `") + 3, -3)])).toEqual(Object.entries(TOLERANCE_RULES));
  });
});
