/**
 * The human-readable part and Subject generated from the recipients when the caller gives none.
 *
 * @module
 */
import type { DeliveryStatus, PerRecipientFields } from "./model.js";
import type { DsnAction } from "./ses.js";

const HEADINGS: Readonly<Record<DsnAction, string>> = Object.freeze({
  failed: "Your message could not be delivered to the following recipients:",
  delayed: "Delivery of your message to the following recipients has been delayed; it will be retried:",
  delivered: "Your message was delivered to the following recipients:",
  relayed: "Your message was relayed to the following recipients; no further notifications will follow:",
  expanded: "Your message was delivered to the following recipients and forwarded to their members:",
});

const ORDER: readonly DsnAction[] = ["failed", "delayed", "delivered", "relayed", "expanded"];

function line(r: PerRecipientFields): string {
  const detail = r.diagnosticCode !== undefined ? r.diagnosticCode.text : `status ${r.status}`;
  return `    ${r.finalRecipient.address}: ${detail}`;
}

/**
 * Writes the explanation of the first part from the recipients: a heading for each action
 * present, then one line per recipient with its address and its diagnostic (or status).
 *
 * @example
 * generateExplanation({
 *   perMessage: { reportingMta: { type: "dns", name: "mx.example.com" }, extensionFields: [] },
 *   recipients: [{
 *     finalRecipient: { type: "rfc822", address: "nobody@example.com" },
 *     action: "failed",
 *     status: "5.1.1",
 *     diagnosticCode: { type: "smtp", text: "550 5.1.1 Mailbox does not exist" },
 *     extensionFields: [],
 *   }],
 * });
 * //=> "This is an automatically generated Delivery Status Notification\nfrom mx.example.com.\n\n" +
 * //   "Your message could not be delivered to the following recipients:\n\n" +
 * //   "    nobody@example.com: 550 5.1.1 Mailbox does not exist\n"
 */
export function generateExplanation(status: DeliveryStatus): string {
  let text = `This is an automatically generated Delivery Status Notification\nfrom ${status.perMessage.reportingMta.name}.\n`;
  for (const action of ORDER) {
    let lines = "";
    for (const r of status.recipients) if (r.action === action) lines += line(r) + "\n";
    if (lines !== "") text += `\n${HEADINGS[action]}\n\n${lines}`;
  }
  return text;
}

/**
 * The default Subject: `Delivery Status Notification (Failure)` when any recipient failed, else
 * `(Delay)` when any was delayed, else `(Success)`.
 *
 * @example
 * defaultSubject([{ action: "delayed" }]);
 * //=> "Delivery Status Notification (Delay)"
 */
export function defaultSubject(recipients: readonly Pick<PerRecipientFields, "action">[]): string {
  let delayed = false;
  for (const r of recipients) {
    if (r.action === "failed") return "Delivery Status Notification (Failure)";
    if (r.action === "delayed") delayed = true;
  }
  return delayed ? "Delivery Status Notification (Delay)" : "Delivery Status Notification (Success)";
}
