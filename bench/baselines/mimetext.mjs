/**
 * The same DSN built with mimetext (3.x). mimetext writes multipart/mixed (or alternative or
 * related) only and accepts only text/plain and text/html as message bodies, so:
 * - the delivery-status and header parts are added as 7bit "attachments" (mimetext then adds a
 *   `name=` parameter and `Content-Disposition: attachment`, which readers tolerate);
 * - its line end is set to CRLF (mimetext's Node entry point uses os.EOL, LF on Linux), which
 *   is the cheapest way to get CRLF out of it; `{ lf: true }` leaves it at LF and converts the
 *   output instead, as a user who does not touch mimetext's internals would;
 * - the patch: after `asRaw()`, the top-level `Content-Type: multipart/mixed; boundary=X` is
 *   replaced by `multipart/report; report-type=delivery-status; boundary=X`, and a final CRLF is
 *   added after the closing delimiter. One string search and replace, counted in the timing.
 */
import { createMimeMessage } from "mimetext";
import { deliveryStatusText, originalHeaders, rfc5322Date } from "./hand-written.mjs";

const MIXED = "Content-Type: multipart/mixed; boundary=";
const REPORT = "Content-Type: multipart/report; report-type=delivery-status; boundary=";

/**
 * @param {import("@dsnkit/core").Bounce} b a resolved bounce
 * @param {{ lf?: boolean }} [options] `lf`: write with mimetext's LF line ends, then convert to CRLF
 * @returns {string} the DSN
 */
export function renderMimetext(b, options = {}) {
  const msg = createMimeMessage();
  // envctx is shared by all messages; set on every call, as the two variants run interleaved.
  msg.envctx.eol = options.lf ? "\n" : "\r\n";
  msg.setSender(b.from.name ? { name: b.from.name, addr: b.from.address } : b.from.address);
  msg.setRecipient(b.to);
  msg.setSubject(b.subject);
  msg.setHeader("Date", rfc5322Date(b.date));
  msg.setHeader("Message-ID", b.messageId);
  if (b.inReplyTo) {
    msg.setHeader("In-Reply-To", b.inReplyTo);
    msg.setHeader("References", b.inReplyTo);
  }
  msg.setHeader("Auto-Submitted", "auto-replied");
  msg.addMessage({ contentType: "text/plain", charset: "us-ascii", data: options.lf ? b.explanation : b.explanation.replaceAll("\n", "\r\n") });
  msg.addAttachment({ filename: "delivery-status.txt", contentType: "message/delivery-status", encoding: "7bit", data: deliveryStatusText(b) });
  const headers = originalHeaders(b);
  if (headers !== "") msg.addAttachment({ filename: "headers.txt", contentType: "text/rfc822-headers", encoding: "7bit", data: headers });
  const raw = msg.asRaw().replace(MIXED, REPORT);
  return options.lf ? raw.replace(/\r?\n/g, "\r\n") + "\r\n" : raw + "\r\n";
}
