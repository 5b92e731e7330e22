/**
 * The practical limit: a bare template-literal renderer. It writes the same DSN dsnkit writes for
 * an ordinary ASCII bounce, from the same resolved model, with no validation, no encoding, no
 * folding (the one folded line, the top-level Content-Type, is folded in the literal itself) and
 * no boundary check. It only does what is needed to produce the bytes: CRLF line ends in the
 * explanation, the dates, and finding the end of the original's header block.
 *
 * It is correct only for input that needs none of what it skips; the harness checks that its
 * output is byte-for-byte dsnkit's for every fixture it is timed on.
 */

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n) => (n < 10 ? "0" + n : "" + n);
const date = (d) =>
  `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;

function recipient(r) {
  return (
    `\r\n` +
    (r.originalRecipient ? `Original-Recipient: ${r.originalRecipient.type}; ${r.originalRecipient.address}\r\n` : "") +
    `Final-Recipient: ${r.finalRecipient.type}; ${r.finalRecipient.address}\r\nAction: ${r.action}\r\nStatus: ${r.status}\r\n` +
    (r.remoteMta ? `Remote-MTA: ${r.remoteMta.type}; ${r.remoteMta.name}\r\n` : "") +
    (r.diagnosticCode ? `Diagnostic-Code: ${r.diagnosticCode.type}; ${r.diagnosticCode.text}\r\n` : "") +
    (r.lastAttemptDate ? `Last-Attempt-Date: ${date(r.lastAttemptDate)}\r\n` : "")
  );
}

/**
 * @param {import("@dsnkit/core").Bounce} b a resolved bounce
 * @param {string} boundary
 * @returns {string} the DSN
 */
export function renderTemplate(b, boundary) {
  const pm = b.deliveryStatus.perMessage;
  let recipients = "";
  for (const r of b.deliveryStatus.recipients) recipients += recipient(r);
  const original = b.original;
  const headers = original === undefined ? undefined : original.slice(0, original.indexOf("\r\n\r\n") + 2);
  return `From: ${b.from.name} <${b.from.address}>\r
To: ${b.to}\r
Subject: ${b.subject}\r
Date: ${date(b.date)}\r
Message-ID: ${b.messageId}\r
${b.inReplyTo ? `In-Reply-To: ${b.inReplyTo}\r\nReferences: ${b.inReplyTo}\r\n` : ""}Auto-Submitted: auto-replied\r
MIME-Version: 1.0\r
Content-Type: multipart/report; report-type=delivery-status;\r
 boundary="${boundary}"\r
\r
This is a delivery status notification in MIME format (RFC 3464).\r
\r
--${boundary}\r
Content-Type: text/plain; charset=us-ascii\r
Content-Description: Notification\r
\r
${b.explanation.replaceAll("\n", "\r\n")}\r
--${boundary}\r
Content-Type: message/delivery-status\r
Content-Description: Delivery report\r
\r
Reporting-MTA: ${pm.reportingMta.type}; ${pm.reportingMta.name}\r
${pm.arrivalDate ? `Arrival-Date: ${date(pm.arrivalDate)}\r\n` : ""}${recipients}${
    headers === undefined
      ? ""
      : `\r
--${boundary}\r
Content-Type: text/rfc822-headers\r
Content-Description: Undelivered message headers\r
\r
${headers}`
  }\r
--${boundary}--\r
`;
}
