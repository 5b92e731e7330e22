/**
 * Validation of a {@link Bounce} built directly (by a mail system, or by {@link resolveBounce}):
 * everything the renderer needs to write a correct DSN.
 *
 * @module
 */
import type { Issue, IssuePath } from "./issues.js";
import type { Bounce, DeliveryStatus, DsnExtensionField, MtaName, TypedAddress } from "./model.js";
import { DSN_ACTIONS } from "./ses.js";
import { IssueCollector } from "./validate.js";
import { RFC3464_FIELD_NAMES } from "./validate.js";
import { describeChar, findForbidden, isAscii, isAtom } from "./syntax/text.js";
import { mailboxProblem } from "./syntax/mailbox.js";
import { actionStatusProblem, statusProblem } from "./syntax/status.js";
import { MAX_DATE_MS, MIN_DATE_MS } from "./syntax/dates.js";
import { canFold } from "./mime/fold.js";
import { messageIdProblem } from "./original.js";
import { formatMailbox } from "./fields.js";
import { encodeUnstructured } from "./mime/rfc2047.js";

function text(c: IssueCollector, value: unknown, path: IssuePath, name: string, multiline = false): value is string {
  if (typeof value !== "string") {
    c.add("invalid_type", path, `${name} must be a string`);
    return false;
  }
  const bad = findForbidden(value, multiline);
  if (bad !== undefined) {
    c.add(
      bad.kind === "surrogate" ? "invalid_unicode" : "control_character",
      path,
      bad.kind === "surrogate"
        ? `${name} has a lone surrogate at character ${bad.index}`
        : `${name} has the control character ${describeChar(bad.code)} at character ${bad.index}`,
    );
    return false;
  }
  return true;
}

function date(c: IssueCollector, value: unknown, path: IssuePath, name: string): void {
  if (!(value instanceof Date) || !(value.getTime() >= MIN_DATE_MS && value.getTime() <= MAX_DATE_MS))
    c.add("invalid_date", path, `${name} must be a valid Date in the years 1970 to 9999`);
}

function fits(c: IssueCollector, field: string, value: string, path: IssuePath): void {
  if (!canFold(field, value)) c.add("line_too_long", path, `${field} has a word too long to fold into lines of at most 998 octets`);
}

function mta(c: IssueCollector, m: MtaName | undefined, path: IssuePath, field: string): void {
  if (m === undefined) return;
  if (typeof m !== "object" || m === null) {
    c.add("invalid_type", path, `${field} must be { type, name }`);
    return;
  }
  if (typeof m.type !== "string" || !isAtom(m.type)) c.add("invalid_mta_name", [...path, "type"], `${field} type must be an atom like "dns"`);
  if (text(c, m.name, [...path, "name"], `${field} name`)) {
    if (m.name.trim() === "") c.add("invalid_mta_name", [...path, "name"], `${field} name is empty`);
    else fits(c, field, `${m.type}; ${m.name}`, path);
  }
}

function address(c: IssueCollector, a: TypedAddress | undefined, path: IssuePath, field: string): void {
  if (a === undefined) return;
  if (typeof a !== "object" || a === null) {
    c.add("invalid_type", path, `${field} must be { type, address }`);
    return;
  }
  if (typeof a.type !== "string" || !isAtom(a.type)) c.add("invalid_mailbox", [...path, "type"], `${field} type must be an atom like "rfc822"`);
  if (!text(c, a.address, [...path, "address"], `${field} address`)) return;
  if (a.address.trim() === "") c.add("invalid_mailbox", [...path, "address"], `${field} address is empty`);
  else if (a.type === "rfc822" && !isAscii(a.address))
    c.add("invalid_mailbox", [...path, "type"], `${field} has a non-ASCII address: its type must be "utf-8" (RFC 6533), not "rfc822"`);
  else fits(c, field, `${a.type}; ${a.address.replace(/[^\x21-\x7e]/gu, "\\x{10FFFF}")}`, path);
}

function extensions(c: IssueCollector, list: DsnExtensionField[] | undefined, path: IssuePath): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    c.add("invalid_type", path, "extensionFields must be an array");
    return;
  }
  list.forEach((x, i) => {
    const p = [...path, i];
    let nameOk = typeof x?.name === "string" && x.name.length > 0 && x.name.length <= 76;
    for (let k = 0; nameOk && k < x.name.length; k++) {
      const ch = x.name.charCodeAt(k);
      if (ch < 33 || ch > 126 || ch === 0x3a) nameOk = false;
    }
    if (!nameOk) {
      c.add("invalid_extension_name", [...p, "name"], "an extension field name must be 1 to 76 printable ASCII characters without a colon");
      return;
    }
    if (RFC3464_FIELD_NAMES.has(x.name.toLowerCase()))
      c.add("reserved_extension_name", [...p, "name"], `extension field ${JSON.stringify(x.name)} would shadow the RFC 3464 field of that name`);
    if (text(c, x.value, [...p, "value"], x.name)) fits(c, x.name, x.value, [...p, "value"]);
  });
}

function deliveryStatus(c: IssueCollector, ds: DeliveryStatus, path: IssuePath): void {
  if (typeof ds !== "object" || ds === null || typeof ds.perMessage !== "object" || ds.perMessage === null) {
    c.add("invalid_type", path, "deliveryStatus must be { perMessage, recipients }");
    return;
  }
  const pm = ds.perMessage;
  const pmp = [...path, "perMessage"];
  if (pm.originalEnvelopeId !== undefined && text(c, pm.originalEnvelopeId, [...pmp, "originalEnvelopeId"], "Original-Envelope-Id"))
    fits(c, "Original-Envelope-Id", pm.originalEnvelopeId, [...pmp, "originalEnvelopeId"]);
  if (pm.reportingMta === undefined) c.add("required", [...pmp, "reportingMta"], "Reporting-MTA is required (RFC 3464 §2.2.2)");
  mta(c, pm.reportingMta, [...pmp, "reportingMta"], "Reporting-MTA");
  mta(c, pm.dsnGateway, [...pmp, "dsnGateway"], "DSN-Gateway");
  mta(c, pm.receivedFromMta, [...pmp, "receivedFromMta"], "Received-From-MTA");
  if (pm.arrivalDate !== undefined) date(c, pm.arrivalDate, [...pmp, "arrivalDate"], "Arrival-Date");
  extensions(c, pm.extensionFields, [...pmp, "extensionFields"]);
  if (!Array.isArray(ds.recipients) || ds.recipients.length === 0) {
    c.add("too_small", [...path, "recipients"], "a DSN needs at least one recipient block (RFC 3464 §2.1)");
    return;
  }
  ds.recipients.forEach((r, i) => {
    const p = [...path, "recipients", i];
    if (r.finalRecipient === undefined) c.add("required", [...p, "finalRecipient"], "Final-Recipient is required (RFC 3464 §2.3.2)");
    address(c, r.originalRecipient, [...p, "originalRecipient"], "Original-Recipient");
    address(c, r.finalRecipient, [...p, "finalRecipient"], "Final-Recipient");
    const actionOk = (DSN_ACTIONS as readonly unknown[]).includes(r.action);
    if (!actionOk) c.add("invalid_enum", [...p, "action"], `Action ${JSON.stringify(r.action)} is not one of ${DSN_ACTIONS.join(", ")}`);
    const problem = typeof r.status === "string" ? statusProblem(r.status) : "it must be a string";
    if (problem !== undefined) c.add("invalid_status", [...p, "status"], `Status ${JSON.stringify(r.status)} is not an RFC 3463 status code: ${problem}`);
    else if (actionOk) {
      const mismatch = actionStatusProblem(r.action, r.status);
      if (mismatch !== undefined) c.add("action_status_mismatch", [...p, "status"], `${mismatch} (RFC 3464 §2.3.3)`);
    }
    mta(c, r.remoteMta, [...p, "remoteMta"], "Remote-MTA");
    if (r.diagnosticCode !== undefined) {
      const d = r.diagnosticCode;
      if (typeof d?.type !== "string" || !isAtom(d.type))
        c.add("invalid_diagnostic_code", [...p, "diagnosticCode", "type"], 'Diagnostic-Code type must be an atom like "smtp"');
      else if (text(c, d.text, [...p, "diagnosticCode", "text"], "Diagnostic-Code text"))
        fits(c, "Diagnostic-Code", `${d.type}; ${d.text}`, [...p, "diagnosticCode"]);
    }
    if (r.lastAttemptDate !== undefined) date(c, r.lastAttemptDate, [...p, "lastAttemptDate"], "Last-Attempt-Date");
    if (r.finalLogId !== undefined && text(c, r.finalLogId, [...p, "finalLogId"], "Final-Log-ID"))
      fits(c, "Final-Log-ID", r.finalLogId, [...p, "finalLogId"]);
    if (r.willRetryUntil !== undefined) date(c, r.willRetryUntil, [...p, "willRetryUntil"], "Will-Retry-Until");
    extensions(c, r.extensionFields, [...p, "extensionFields"]);
  });
}

/**
 * Checks a {@link Bounce} for everything the renderer needs: addresses, msg-ids, control
 * characters, status syntax, Action/Status agreement, field names and lines that cannot be folded
 * under 998 octets. Returns every issue, each with its path into the bounce.
 *
 * @example
 * validateBounce({ ...bounce, messageId: "no-brackets" }).map((i) => i.code);
 * //=> ["invalid_message_id"]
 */
export function validateBounce(bounce: Bounce): Issue[] {
  const c = new IssueCollector();
  if (typeof bounce !== "object" || bounce === null) {
    c.add("invalid_type", [], "a bounce must be an object");
    return c.issues;
  }
  const from = bounce.from;
  if (typeof from !== "object" || from === null || typeof from.address !== "string")
    c.add("invalid_type", ["from"], "from must be { name?, address }");
  else {
    const problem = mailboxProblem(from.address);
    if (problem !== undefined) c.add("invalid_mailbox", ["from", "address"], `from ${JSON.stringify(from.address)} is not a mailbox: ${problem}`);
    else if (from.name === undefined || text(c, from.name, ["from", "name"], "from name")) fits(c, "From", formatMailbox(from), ["from"]);
  }
  if (typeof bounce.to !== "string") c.add("invalid_type", ["to"], "to must be a string");
  else {
    const problem = mailboxProblem(bounce.to);
    if (problem !== undefined) c.add("invalid_mailbox", ["to"], `to ${JSON.stringify(bounce.to)} is not a mailbox: ${problem}`);
  }
  if (text(c, bounce.subject, ["subject"], "subject")) fits(c, "Subject", encodeUnstructured(bounce.subject), ["subject"]);
  date(c, bounce.date, ["date"], "date");
  const idProblem = typeof bounce.messageId === "string" ? messageIdProblem(bounce.messageId) : "it must be a string";
  if (idProblem !== undefined) c.add("invalid_message_id", ["messageId"], `messageId ${JSON.stringify(bounce.messageId)}: ${idProblem}`);
  if (bounce.inReplyTo !== undefined) {
    const p = typeof bounce.inReplyTo === "string" ? messageIdProblem(bounce.inReplyTo) : "it must be a string";
    if (p !== undefined) c.add("invalid_message_id", ["inReplyTo"], `inReplyTo ${JSON.stringify(bounce.inReplyTo)}: ${p}`);
  }
  text(c, bounce.explanation, ["explanation"], "explanation", true);
  if (bounce.original !== undefined && typeof bounce.original !== "string" && !(bounce.original instanceof Uint8Array))
    c.add("invalid_type", ["original"], "original must be a string or a Uint8Array");
  deliveryStatus(c, bounce.deliveryStatus, ["deliveryStatus"]);
  return c.issues;
}
