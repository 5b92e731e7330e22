/**
 * The inputs the benchmarks render and parse. All are fixed (no clock, no randomness), so every
 * run renders the same bytes: the standard fixture is one recipient with the ~1.5 KB header block
 * of bench/fixtures/standard-original.eml; the scaling fixtures vary one thing at a time.
 */
import { readFileSync, readdirSync } from "node:fs";
import { resolveBounce } from "@dsnkit/core";

const FIXTURES = new URL("../fixtures/", import.meta.url);
const CRLF = "\r\n";

/** The standard original: about 1.5 KB of headers as SES receives them, and a short body. */
export const STANDARD_ORIGINAL = readFileSync(new URL("standard-original.eml", FIXTURES), "utf8");
export const STANDARD_HEADER_OCTETS = STANDARD_ORIGINAL.indexOf("\r\n\r\n") + 2;

/** A fixed boundary, so that dsnkit and the template write the same bytes. */
export const BOUNDARY = "=_dsnkit_0123456789abcdef01234567";

export const CONTEXT = Object.freeze({ now: new Date("2026-11-26T10:00:00Z"), messageId: "<bounce-0001@bounces.example.com>" });

/** A SendBounce request for `n` recipients (DoesNotExist). */
export function request(n = 1) {
  const list = [];
  for (let i = 0; i < n; i++) list.push({ Recipient: n === 1 ? "nobody@example.com" : `nobody${i}@example.com`, BounceType: "DoesNotExist" });
  return {
    OriginalMessageId: "0100019abcdef012-3456789a-bcde-f012-3456-789abcdef012-000000",
    BounceSender: "Mail Delivery System <mailer-daemon@example.com>",
    MessageDsn: { ReportingMta: "dns; inbound-smtp.us-east-1.amazonaws.com", ArrivalDate: "2026-11-26T09:59:58Z" },
    BouncedRecipientInfoList: list,
  };
}

/** The resolved model of `request(n)` with `original`. */
export function bounce(n = 1, original = STANDARD_ORIGINAL) {
  return resolveBounce(request(n), { ...CONTEXT, original });
}

/**
 * An original whose header block is about `octets` long: the standard headers, then ordinary
 * `X-Trace-N` fields of about 100 octets, each folded once, until the size is reached. A short body.
 */
export function originalWithHeaders(octets) {
  const head = STANDARD_ORIGINAL.slice(0, STANDARD_HEADER_OCTETS);
  let extra = "";
  let i = 0;
  while (head.length + extra.length < octets) {
    const n = String(i++).padStart(6, "0");
    extra += `X-Trace-${n}: relay-${n}.example.net accepted the message for delivery;${CRLF}\tid ${n}abcdef0123456789${CRLF}`;
  }
  // The X-Trace fields go before the last few standard fields, as relays add theirs at the top.
  return extra + head + CRLF + "Hello." + CRLF;
}

/** The standard headers with a body of `bytes` octets of 76-character lines. */
export function originalWithBody(bytes) {
  const line = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcd" + CRLF;
  const body = line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes);
  return STANDARD_ORIGINAL.slice(0, STANDARD_HEADER_OCTETS) + CRLF + body;
}

/** The real Postfix DSNs that core's parser tests read (packages/core/test/fixtures/postfix). */
export function postfixSamples() {
  const dir = new URL("../../packages/core/test/fixtures/postfix/", import.meta.url);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".eml"))
    .sort()
    .map((f) => ({ name: f.replace(/\.eml$/, ""), raw: readFileSync(new URL(f, dir), "utf8") }));
}
