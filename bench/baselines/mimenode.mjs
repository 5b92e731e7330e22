/**
 * The same DSN built with nodemailer's MimeNode, the way ZoneMTA's bounce plugin and Forward
 * Email build bounces: a `multipart/report; report-type=delivery-status` root node with the
 * headers set on it, and one child per part (`text/plain`, `message/delivery-status`,
 * `text/rfc822-headers`) whose content is set as a string; then `build()` streams it into a
 * Buffer. MimeNode encodes as it sees fit (for example quoted-printable for a text part with
 * lines over 76 characters), which is part of what it costs.
 */
import MimeNode from "nodemailer/lib/mime-node";
import { deliveryStatusText, originalHeaders, rfc5322Date } from "./hand-written.mjs";

/**
 * @param {import("@dsnkit/core").Bounce} b a resolved bounce
 * @returns {Promise<Buffer>} the DSN
 */
export function renderMimeNode(b) {
  const root = new MimeNode("multipart/report; report-type=delivery-status");
  root.setHeader("From", b.from.name ? { name: b.from.name, address: b.from.address } : b.from.address);
  root.setHeader("To", b.to);
  root.setHeader("Subject", b.subject);
  root.setHeader("Date", rfc5322Date(b.date));
  root.setHeader("Message-ID", b.messageId);
  if (b.inReplyTo) {
    root.setHeader("In-Reply-To", b.inReplyTo);
    root.setHeader("References", b.inReplyTo);
  }
  root.setHeader("Auto-Submitted", "auto-replied");
  root.createChild("text/plain; charset=us-ascii").setHeader("Content-Description", "Notification").setContent(b.explanation.replaceAll("\n", "\r\n"));
  root.createChild("message/delivery-status").setHeader("Content-Description", "Delivery report").setContent(deliveryStatusText(b));
  const headers = originalHeaders(b);
  if (headers !== "") root.createChild("text/rfc822-headers").setHeader("Content-Description", "Undelivered message headers").setContent(headers);
  return root.build();
}
