/**
 * The catalogue of adversarial inputs the security suite holds dsnkit against (docs/security.md
 * lists each with its result). Each attack makes an input of size `n` (a count of repeated
 * characters, lines or fields); the growth checks build it at `n` and `2n`. Every `n` is chosen so
 * that the doubled input stays within the limits that would otherwise cut the work short (256 KiB
 * of header, 10,000 recipients), so that what is timed is the scan itself.
 */
import { build, replaceLine } from "../../packages/core/test/fixtures/base-dsn.js";

/** An adversarial input of a chosen size. */
export interface Attack<T = string> {
  /** A short id, used in test names and docs/security.md. */
  id: string;
  /** What it is, for a person. */
  what: string;
  make: (n: number) => T;
  /** The smaller size of the growth check. */
  n: number;
}

const BASE_FROM = "From: Mail Delivery System <mailer-daemon@example.com>";
const BASE_TO = "To: sender@example.org";
const BASE_SUBJECT = "Subject: Delivery Status Notification (Failure)";
const BASE_DATE = "Date: Thu, 26 Nov 2026 10:00:00 +0000";
const BASE_CT = ' boundary="b1"';
const BASE_TEXT = "Your message could not be delivered.";
const BASE_TEXT_CT = "Content-Type: text/plain; charset=us-ascii";
const BASE_FINAL = "Final-Recipient: rfc822; nobody@example.com";
const BASE_DIAG = "Diagnostic-Code: smtp; 550 5.1.1 Mailbox does not exist";
const BASE_STATUS = "Status: 5.1.1";
const BASE_EXT = "X-Queue-ID: 1A2B3C";
const BASE_ORIG_FROM = "From: sender@example.org";

/** The base DSN with one line replaced by others. */
function dsnWith(line: string, ...by: string[]): string {
  return build((l) => replaceLine(l, line, ...by));
}

/** `s` folded into lines of `width` characters (legal lines, as a careful attacker writes them). */
export function fold(s: string, width = 900): string {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += width) out.push(s.slice(i, i + width));
  return out.join("\r\n ");
}

/** Attacks on a whole DSN: parseDsn, checkDsn, `dsnkit parse` and `dsnkit check`. */
export const DSN_ATTACKS: readonly Attack[] = [
  { id: "from-colons", what: "From: a@ and colons on one line (issue 13, item 1)", n: 100_000, make: (n) => dsnWith(BASE_FROM, "From: a@" + ":".repeat(n)) },
  { id: "from-colons-folded", what: "From: a@ and colons folded into legal lines", n: 100_000, make: (n) => dsnWith(BASE_FROM, "From: a@" + fold(":".repeat(n))) },
  { id: "to-colons", what: "To: a@ and colons (issue 13, item 1)", n: 100_000, make: (n) => dsnWith(BASE_TO, "To: a@" + ":".repeat(n)) },
  { id: "from-group-colons", what: "From: a group name of colons before the address", n: 100_000, make: (n) => dsnWith(BASE_FROM, "From: " + "a:".repeat(n / 2) + "<x@example.com>") },
  { id: "from-angles", what: "From: < repeated, never closed", n: 100_000, make: (n) => dsnWith(BASE_FROM, "From: " + "<".repeat(n)) },
  { id: "from-quotes", what: 'From: " repeated before the address', n: 100_000, make: (n) => dsnWith(BASE_FROM, "From: " + '"'.repeat(n) + "a@example.com") },
  { id: "from-quoted-pairs", what: "From: a display name of quoted-pairs", n: 100_000, make: (n) => dsnWith(BASE_FROM, 'From: "' + "\\\\".repeat(n / 2) + '" <a@example.com>') },
  { id: "from-comments", what: "From: ( nested n deep, never closed", n: 100_000, make: (n) => dsnWith(BASE_FROM, "From: " + "(".repeat(n)) },
  { id: "from-encoded-words", what: "From: a display name of encoded-words", n: 100_000, make: (n) => dsnWith(BASE_FROM, "From: " + "=?utf-8?q?a?= ".repeat(n / 14) + "<a@example.com>") },
  { id: "subject-encoded-starts", what: "Subject: =? repeated (encoded-word starts that never finish)", n: 100_000, make: (n) => dsnWith(BASE_SUBJECT, "Subject: " + "=?".repeat(n / 2)) },
  { id: "subject-encoded-base64", what: "Subject: one long base64 encoded-word", n: 100_000, make: (n) => dsnWith(BASE_SUBJECT, "Subject: =?utf-8?b?" + "QUJD".repeat(n / 4) + "?=") },
  { id: "subject-folds", what: "Subject: folded into n short continuation lines", n: 100_000, make: (n) => dsnWith(BASE_SUBJECT, "Subject: x" + "\r\n y".repeat(n / 4)) },
  { id: "subject-separators", what: "Subject: U+2028 repeated", n: 50_000, make: (n) => dsnWith(BASE_SUBJECT, "Subject: " + "\u2028".repeat(n)) },
  { id: "date-comments", what: "Date: comments (a)(a)... after the date", n: 100_000, make: (n) => dsnWith(BASE_DATE, BASE_DATE + " " + "(a)".repeat(n / 3)) },
  { id: "content-type-params", what: "Content-Type: n parameters", n: 100_000, make: (n) => dsnWith(BASE_CT, BASE_CT + Array.from({ length: n / 10 }, (_, i) => `; a${i}=b`).join("")) },
  { id: "content-type-rfc2231", what: "Content-Type: an RFC 2231 parameter in n continuations, in reverse order", n: 100_000, make: (n) => dsnWith(BASE_CT, BASE_CT + Array.from({ length: Math.floor(n / 12) }, (_, i) => `; t*${Math.floor(n / 12) - i}*=ab`).join("")) },
  { id: "content-type-comments", what: "Content-Type: ( nested n deep", n: 100_000, make: (n) => dsnWith(BASE_CT, BASE_CT + "; " + "(".repeat(n)) },
  { id: "text-bare-cr", what: "the text part: bare CRs (issue 13, item 5)", n: 1_000_000, make: (n) => dsnWith(BASE_TEXT, "\r".repeat(n)) },
  { id: "text-bare-lf", what: "the text part: bare LFs", n: 500_000, make: (n) => dsnWith(BASE_TEXT, "\n".repeat(n)) },
  { id: "text-nul", what: "the text part: NULs", n: 1_000_000, make: (n) => dsnWith(BASE_TEXT, "\0".repeat(n)) },
  { id: "text-long-line", what: "the text part: one line of n characters", n: 1_000_000, make: (n) => dsnWith(BASE_TEXT, "a".repeat(n)) },
  { id: "text-base64-invalid", what: "the text part: base64 with characters outside its alphabet (issue 13, item 5)", n: 1_000_000, make: (n) => build((l) => replaceLine(l, BASE_TEXT_CT, BASE_TEXT_CT, "Content-Transfer-Encoding: base64")).replace(BASE_TEXT, "QUJD!".repeat(n / 5)) },
  { id: "text-qp-equals", what: "the text part: quoted-printable of = signs", n: 1_000_000, make: (n) => build((l) => replaceLine(l, BASE_TEXT_CT, BASE_TEXT_CT, "Content-Transfer-Encoding: quoted-printable")).replace(BASE_TEXT, "=".repeat(n)) },
  { id: "text-qp-soft-breaks", what: "the text part: quoted-printable soft line breaks", n: 1_000_000, make: (n) => build((l) => replaceLine(l, BASE_TEXT_CT, BASE_TEXT_CT, "Content-Transfer-Encoding: quoted-printable")).replace(BASE_TEXT, "=\r\n".repeat(n / 3)) },
  { id: "text-delimiter-lookalikes", what: "the text part: lines that start like the boundary (--b1x)", n: 1_000_000, make: (n) => dsnWith(BASE_TEXT, "--b1x\r\n".repeat(n / 7)) },
  { id: "text-dashes", what: "the text part: lines of --", n: 1_000_000, make: (n) => dsnWith(BASE_TEXT, "--\r\n".repeat(n / 4)) },
  { id: "ds-final-recipient-colons", what: "Final-Recipient: rfc822; a@ and colons", n: 100_000, make: (n) => dsnWith(BASE_FINAL, "Final-Recipient: rfc822; a@" + ":".repeat(n)) },
  { id: "ds-utf8-escapes", what: "Final-Recipient: utf-8; \\x{41} repeated", n: 100_000, make: (n) => dsnWith(BASE_FINAL, "Final-Recipient: utf-8; " + "\\x{41}".repeat(n / 6) + "@example.com") },
  { id: "ds-utf8-bad-escapes", what: "Final-Recipient: utf-8; \\x{ repeated, never closed", n: 100_000, make: (n) => dsnWith(BASE_FINAL, "Final-Recipient: utf-8; " + "\\x{".repeat(n / 3)) },
  { id: "ds-local-dots", what: "Final-Recipient: a local part of n dots", n: 100_000, make: (n) => dsnWith(BASE_FINAL, "Final-Recipient: rfc822; " + "a.".repeat(n / 2) + "@example.com") },
  { id: "ds-status-dots", what: "Status: n dots", n: 100_000, make: (n) => dsnWith(BASE_STATUS, "Status: " + ".".repeat(n)) },
  { id: "ds-diagnostic-folds", what: "Diagnostic-Code: folded into n continuation lines", n: 100_000, make: (n) => dsnWith(BASE_DIAG, "Diagnostic-Code: smtp; 550" + "\r\n x".repeat(n / 4)) },
  { id: "ds-gmail-folds", what: "Diagnostic-Code: continued without leading white space (Gmail style), n lines", n: 100_000, make: (n) => dsnWith(BASE_DIAG, "Diagnostic-Code: smtp; 550" + "\r\nx".repeat(n / 3)) },
  { id: "ds-blank-lines", what: "the delivery-status part: n empty lines between blocks", n: 100_000, make: (n) => dsnWith(BASE_EXT, BASE_EXT + "\r\n".repeat(n / 2)) },
  { id: "ds-continuations", what: "an extension field followed by n empty continuation lines", n: 100_000, make: (n) => dsnWith(BASE_EXT, BASE_EXT + "\r\n\t".repeat(n / 3)) },
  { id: "ds-recipients", what: "n per-recipient blocks (up to 10,000)", n: 4_000, make: (n) => dsnWith(BASE_FINAL, ...Array.from({ length: n }, () => ["Final-Recipient: rfc822; a@example.com", "Action: failed", "Status: 5.1.1", ""]).flat(), BASE_FINAL) },
  { id: "original-from-colons", what: "the returned header: From: a@ and colons", n: 100_000, make: (n) => dsnWith(BASE_ORIG_FROM, "From: a@" + ":".repeat(n)) },
];

/** Attacks on an original message: readOriginal, renderBounce and `render --original`. */
export const ORIGINAL_ATTACKS: readonly Attack[] = [
  { id: "original-from-colons-folded", what: "From: a@ and colons folded into legal lines (issue 13, item 1)", n: 100_000, make: (n) => `From: a@${fold(":".repeat(n))}\r\nSubject: hi\r\n\r\nbody\r\n` },
  { id: "original-fields", what: "n header fields", n: 20_000, make: (n) => "From: a@example.org\r\n" + "X-Field: value\r\n".repeat(n) + "\r\nbody\r\n" },
  { id: "original-one-field-folded", what: "one field folded into n lines", n: 100_000, make: (n) => "From: a@example.org\r\nX-Field: v" + "\r\n v".repeat(n) + "\r\n\r\nbody\r\n" },
  { id: "original-no-colons", what: "n header lines without a colon", n: 50_000, make: (n) => "From: a@example.org\r\n" + "no colon here\r\n".repeat(n) + "\r\nbody\r\n" },
  { id: "original-bare-cr-header", what: "a header line of n bare CRs", n: 500_000, make: (n) => "From: a@example.org\r\nX-Field: " + "\r".repeat(n) + "\r\n\r\nbody\r\n" },
  { id: "original-body-bare-cr", what: "a body of n bare CRs (the header is small)", n: 1_000_000, make: (n) => "From: a@example.org\r\nSubject: hi\r\n\r\n" + "\r".repeat(n) },
];

/** Attacks on a SendBounce request: validateBounceRequest and ses-local's SendBounce. */
export const REQUEST_ATTACKS: readonly Attack<unknown>[] = [
  {
    id: "request-recipients",
    what: "n recipients (up to 10,000), each Recipient a@ and 100 colons",
    n: 2_500,
    make: (n) => ({
      OriginalMessageId: "0100019abc",
      BounceSender: "mailer-daemon@example.com",
      BouncedRecipientInfoList: Array.from({ length: n }, () => ({ Recipient: "a@" + ":".repeat(100), BounceType: "DoesNotExist" })),
    }),
  },
  {
    id: "request-unknown-keys",
    what: "a request with n unknown keys",
    n: 20_000,
    make: (n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`Key${i}`, i])),
  },
  {
    id: "request-explanation-separators",
    what: "an Explanation of n characters ending in U+2028",
    n: 40_000,
    make: (n) => ({
      OriginalMessageId: "0100019abc",
      BounceSender: "mailer-daemon@example.com",
      Explanation: "a".repeat(n) + "\u2028",
      BouncedRecipientInfoList: [{ Recipient: "a@example.com", BounceType: "DoesNotExist" }],
    }),
  },
  {
    id: "request-extension-values",
    what: "n recipients with 100 extension fields each",
    n: 50,
    make: (n) => ({
      OriginalMessageId: "0100019abc",
      BounceSender: "mailer-daemon@example.com",
      BouncedRecipientInfoList: Array.from({ length: n }, (_, i) => ({
        Recipient: `a${i}@example.com`,
        RecipientDsnFields: { Action: "failed", Status: "5.1.1", ExtensionFields: Array.from({ length: 100 }, (_, j) => ({ Name: `X-F${j}`, Value: "v ".repeat(500) })) },
      })),
    }),
  },
];
