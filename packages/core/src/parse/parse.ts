/**
 * `parseDsn`: any DSN in, the RFC 3464 model out.
 *
 * @module
 */
import { scanDsn } from "./reader.js";
import type { ParsedDsn, ParseOptions } from "./types.js";

/**
 * Reads a Delivery Status Notification: the top-level headers, the human-readable text, the
 * RFC 3464 model (the {@link DeliveryStatus} that {@link resolveBounce} builds: types lower-cased,
 * `utf-8` addresses decoded, dates as `Date`, extension fields in order, optional fields absent
 * when not written), the details only a reader has (each field's raw text and line, Status
 * numbers, SMTP reply codes), the returned original, and everything it had to tolerate.
 *
 * It reads real-world DSNs, not only conforming ones: LF-only, CR-only or mixed line ends,
 * Gmail-style folding without leading white space, base64 or quoted-printable delivery-status
 * parts, missing empty lines between blocks (assumed only where a block cannot go on: a second
 * Final-Recipient), a report nested in multipart/mixed or forwarded as a message/rfc822
 * attachment, obsolete dates and more, each listed in `tolerances`. With `strict: true` the first
 * such departure throws instead. It never makes up an Action or Status: one the DSN does not
 * state is absent, one it does not recognize is absent and kept as written in `unrecognized`.
 * `parseDsn(renderDsn(bounce).raw).deliveryStatus` equals `bounce.deliveryStatus`.
 *
 * Time and memory are bounded by {@link ParseLimits}: hostile input gives a `limit_exceeded`
 * error, never a hang or a stack overflow.
 *
 * @param raw - The whole message: a string, or octets (UTF-8, or 8-bit parts in their charsets).
 * @param options - `strict` and `limits`.
 * @returns The DSN as read.
 * @throws {DsnParseError} when no DSN can be read (`not_a_dsn`, `no_recipients`,
 *   `invalid_input`, `limit_exceeded`), or in strict mode at the first tolerance (`strict`).
 * @throws {RangeError} when an option is out of range.
 * @example
 * const dsn = parseDsn(raw);
 * dsn.deliveryStatus.recipients[0];
 * //=> { finalRecipient: { type: "rfc822", address: "nobody@example.com" }, action: "failed", status: "5.1.1",
 * //     diagnosticCode: { type: "smtp", text: "550 5.1.1 Mailbox does not exist" }, extensionFields: [] }
 * dsn.details.recipients[0]?.smtp;
 * //=> { code: 550, enhancedStatus: "5.1.1" }
 */
export function parseDsn(raw: string | Uint8Array, options: ParseOptions = {}): ParsedDsn {
  const scan = scanDsn(raw, options);
  if (scan.error !== undefined) throw scan.error;
  return scan.result!;
}
