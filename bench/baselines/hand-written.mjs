/**
 * What users of general MIME libraries write by hand, because those libraries know nothing of
 * RFC 3464: the delivery-status fields as template literals (the way ZoneMTA and Forward Email do
 * it), the date, and the original's header block cut at the first empty line. Shared by the
 * mimetext and MimeNode baselines so that they differ only in the library.
 */

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n) => (n < 10 ? "0" + n : "" + n);

/** RFC 5322 date in UTC. */
export const rfc5322Date = (d) =>
  `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;

/** The delivery-status body, CRLF line ends. */
export function deliveryStatusText(b) {
  const pm = b.deliveryStatus.perMessage;
  let out = `Reporting-MTA: ${pm.reportingMta.type}; ${pm.reportingMta.name}\r\n`;
  if (pm.arrivalDate) out += `Arrival-Date: ${rfc5322Date(pm.arrivalDate)}\r\n`;
  for (const r of b.deliveryStatus.recipients) {
    out += `\r\nFinal-Recipient: ${r.finalRecipient.type}; ${r.finalRecipient.address}\r\nAction: ${r.action}\r\nStatus: ${r.status}\r\n`;
    if (r.remoteMta) out += `Remote-MTA: ${r.remoteMta.type}; ${r.remoteMta.name}\r\n`;
    if (r.diagnosticCode) out += `Diagnostic-Code: ${r.diagnosticCode.type}; ${r.diagnosticCode.text}\r\n`;
    if (r.lastAttemptDate) out += `Last-Attempt-Date: ${rfc5322Date(r.lastAttemptDate)}\r\n`;
  }
  return out;
}

/** The original's header block (with its last CRLF), or "" when there is no original. */
export function originalHeaders(b) {
  const o = b.original;
  if (o === undefined) return "";
  const end = o.indexOf("\r\n\r\n");
  return end < 0 ? o : o.slice(0, end + 2);
}
