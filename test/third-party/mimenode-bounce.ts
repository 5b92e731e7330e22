/**
 * A third-party DSN generator, used the way real mail servers use it: nodemailer's MimeNode
 * (from npm) building a multipart/report bounce as ZoneMTA's `email-bounce` plugin does
 * (plugins/core/email-bounce.js in zone-eu/zone-mta; Forward Email's helpers/create-bounce.js
 * builds its bounces the same way). This file is an adapter written for dsnkit's tests, not a
 * copy: it follows the facts of how that plugin builds a bounce —
 *
 * - one bounce per failed recipient, sent to the original's envelope sender;
 * - a root `new MimeNode("multipart/report; report-type=delivery-status")` with From (the mailer
 *   daemon), To, X-Failed-Recipients, Auto-Submitted: auto-replied, the Subject
 *   "Delivery Status Notification (Failure)", and In-Reply-To/References to the original's
 *   Message-ID;
 * - a text/plain child (Content-Description: Notification) naming the recipient and the SMTP
 *   response;
 * - a message/delivery-status child (Content-Description: Delivery report) whose content is a
 *   template joined with "\n": Reporting-MTA (dns; the host name), the plugin's X- fields,
 *   Arrival-Date, an empty line, then Final-Recipient: rfc822; <recipient>, Action: failed,
 *   Status: 5.0.0 (always), Remote-MTA: dns; <MX host> when there was one, Diagnostic-Code:
 *   smtp; <response>;
 * - a text/rfc822-headers child (Content-Description: Undelivered Message Headers) holding the
 *   original's header block.
 *
 * Two things differ from the plugin, so that the output is the same for the same input: the
 * Date, Message-ID and boundary come from the input instead of the clock and a random source.
 * They do not change what the conformance properties find.
 */
import MimeNode from "nodemailer/lib/mime-node";
import type { Bounce } from "@dsnkit/core";
import { formatRfc5322Date } from "@dsnkit/core";

/** The original's header block (up to and with the empty line), as a mail parser hands it over. */
function headerBlock(original: string): string {
  const end = original.indexOf("\r\n\r\n");
  return end < 0 ? original : original.slice(0, end + 4);
}


/**
 * Builds the bounce for the first recipient of `bounce` with nodemailer's MimeNode, the way
 * ZoneMTA does (see the module comment).
 *
 * @param bounce - What to report: the failed recipient, its SMTP response (Diagnostic-Code text),
 *   the remote MTA, the reporting host, the arrival date and the original message.
 * @returns the DSN as MimeNode writes it.
 */
export async function mimeNodeBounce(bounce: Bounce): Promise<Buffer> {
  const recipient = bounce.deliveryStatus.recipients[0]!;
  const to = recipient.finalRecipient.address;
  const response = recipient.diagnosticCode?.text ?? `550 ${recipient.status} delivery failed`;
  // The plugin writes its own host name as a dns name; a model's non-dns MTA name is not one.
  const reporting = bounce.deliveryStatus.perMessage.reportingMta;
  const host = reporting.type === "dns" ? reporting.name : "mta.example.com";
  const arrival = bounce.deliveryStatus.perMessage.arrivalDate ?? bounce.date;
  const queueId = bounce.messageId.slice(1, bounce.messageId.indexOf("@"));

  const root = new MimeNode("multipart/report; report-type=delivery-status", { baseBoundary: queueId.replace(/[^A-Za-z0-9]/g, "") || "b" });
  // The plugin passes its configured "Name <address>"; nodemailer also takes { name, address } and quotes or encodes the name itself.
  root.setHeader("From", bounce.from.name === undefined ? bounce.from.address : { name: bounce.from.name, address: bounce.from.address });
  root.setHeader("To", bounce.to);
  root.setHeader("X-Failed-Recipients", to);
  root.setHeader("Auto-Submitted", "auto-replied");
  root.setHeader("Subject", "Delivery Status Notification (Failure)");
  root.setHeader("Date", formatRfc5322Date(bounce.date));
  root.setHeader("Message-ID", bounce.messageId);
  if (bounce.inReplyTo !== undefined) {
    root.setHeader("In-Reply-To", bounce.inReplyTo);
    root.setHeader("References", bounce.inReplyTo);
  }

  root
    .createChild("text/plain")
    .setHeader("Content-Description", "Notification")
    .setContent(`Delivery to the following recipient failed permanently:\n    ${to}\n\nTechnical details of permanent failure:\n\n${response}\n\n`);

  const perMessage = [
    `Reporting-MTA: dns; ${host}`,
    `X-ZoneMTA-Queue-ID: ${queueId}`,
    `X-ZoneMTA-Sender: rfc822; ${bounce.to}`,
    `Arrival-Date: ${formatRfc5322Date(arrival)}`,
  ];
  const perRecipient = [`Final-Recipient: rfc822; ${to}`, "Action: failed", "Status: 5.0.0"];
  if (recipient.remoteMta?.type === "dns") perRecipient.push(`Remote-MTA: dns; ${recipient.remoteMta.name}`);
  perRecipient.push(`Diagnostic-Code: smtp; ${response}`);
  root
    .createChild("message/delivery-status")
    .setHeader("Content-Description", "Delivery report")
    .setContent(`${perMessage.join("\n")}\n\n${perRecipient.join("\n")}\n\n`);

  if (typeof bounce.original === "string")
    root.createChild("text/rfc822-headers").setHeader("Content-Description", "Undelivered Message Headers").setContent(headerBlock(bounce.original));

  return root.build();
}
