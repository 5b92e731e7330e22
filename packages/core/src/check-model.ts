/**
 * Validation of a {@link Bounce} built directly (by a mail system, or by {@link resolveBounce}):
 * everything the renderer needs to write a correct DSN. It runs on every render, so paths are
 * built only when an issue is found.
 *
 * @module
 */
import type { Issue, IssuePath } from "./issues.js";
import type { Bounce, DeliveryStatus, DsnExtensionField, MtaName, TypedAddress } from "./model.js";
import { DSN_ACTIONS } from "./ses.js";
import { IssueCollector } from "./validate.js";
import { RFC3464_FIELD_NAMES } from "./rfc3464.js";
import { describeForbidden, findForbidden, isAscii, isAtom } from "./syntax/text.js";
import { mailboxProblem } from "./syntax/mailbox.js";
import { actionStatusProblem, statusProblem } from "./syntax/status.js";
import { MAX_DATE_MS, MIN_DATE_MS } from "./syntax/dates.js";
import { canFold } from "./mime/fold.js";
import { messageIdProblem } from "./original.js";
import { formatMailbox } from "./fields.js";
import { encodeUnstructured } from "./mime/rfc2047.js";

type Key = string | number;

/** Checks a text value; `base` and `keys` make its path, built only on failure. */
function text(c: IssueCollector, value: unknown, base: IssuePath, keys: Key[], name: string, multiline = false): value is string {
  if (typeof value !== "string") {
    c.add("invalid_type", [...base, ...keys], `${name} must be a string`);
    return false;
  }
  const bad = findForbidden(value, multiline);
  if (bad === undefined) return true;
  c.add(
    bad.kind === "surrogate" ? "invalid_unicode" : bad.kind === "line-separator" ? "line_separator" : "control_character",
    [...base, ...keys],
    `${name} has ${describeForbidden(bad)}`,
  );
  return false;
}

function date(c: IssueCollector, value: unknown, base: IssuePath, key: Key, name: string): void {
  if (!(value instanceof Date) || !(value.getTime() >= MIN_DATE_MS && value.getTime() <= MAX_DATE_MS))
    c.add("invalid_date", [...base, key], `${name} must be a valid Date in the years 1970 to 9999`);
}

function fits(c: IssueCollector, field: string, value: string, base: IssuePath, keys: Key[]): void {
  if (!canFold(field, value)) c.add("line_too_long", [...base, ...keys], `${field} has a word too long to fold into lines of at most 998 octets`);
}

/**
 * A line of at most 332 UTF-16 code units is at most 996 octets of UTF-8, so it always fits: the
 * usual case is settled from lengths alone, without writing the line out.
 */
const ALWAYS_FITS = 332;

/** {@link fits} for `type; value` fields. */
function fitsTyped(c: IssueCollector, field: string, type: string, value: string, base: IssuePath, keys: Key[]): void {
  if (field.length + type.length + value.length + 4 > ALWAYS_FITS) fits(c, field, `${type}; ${value}`, base, keys);
}

function mta(c: IssueCollector, m: MtaName | undefined, base: IssuePath, key: Key, field: string): void {
  if (m === undefined) return;
  if (typeof m !== "object" || m === null) {
    c.add("invalid_type", [...base, key], `${field} must be { type, name }`);
    return;
  }
  if (typeof m.type !== "string" || !isAtom(m.type)) c.add("invalid_mta_name", [...base, key, "type"], `${field} type must be an atom like "dns"`);
  else if (text(c, m.name, base, [key, "name"], `${field} name`)) {
    if (m.name.trim() === "") c.add("invalid_mta_name", [...base, key, "name"], `${field} name is empty`);
    else fitsTyped(c, field, m.type, m.name, base, [key]);
  }
}

function address(c: IssueCollector, a: TypedAddress | undefined, base: IssuePath, key: Key, field: string): void {
  if (a === undefined) return;
  if (typeof a !== "object" || a === null) {
    c.add("invalid_type", [...base, key], `${field} must be { type, address }`);
    return;
  }
  if (typeof a.type !== "string" || !isAtom(a.type)) {
    c.add("invalid_mailbox", [...base, key, "type"], `${field} type must be an atom like "rfc822"`);
    return;
  }
  if (!text(c, a.address, base, [key, "address"], `${field} address`)) return;
  if (a.address.trim() === "") c.add("invalid_mailbox", [...base, key, "address"], `${field} address is empty`);
  else if (a.type === "rfc822" && !isAscii(a.address))
    c.add("invalid_mailbox", [...base, key, "type"], `${field} has a non-ASCII address: its type must be "utf-8" (RFC 6533), not "rfc822"`);
  else if (a.address.length > 80) {
    // Escaped, a character takes at most 10 characters (\x{10FFFF}).
    fits(c, field, `${a.type}; ${a.address.replace(/[^\x21-\x7e]/gu, "\\x{10FFFF}")}`, base, [key]);
  }
}

function extensions(c: IssueCollector, list: DsnExtensionField[] | undefined, base: IssuePath): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    c.add("invalid_type", [...base, "extensionFields"], "extensionFields must be an array");
    return;
  }
  for (let i = 0; i < list.length; i++) {
    const x = list[i]!;
    let nameOk = typeof x?.name === "string" && x.name.length > 0 && x.name.length <= 76;
    for (let k = 0; nameOk && k < x.name.length; k++) {
      const ch = x.name.charCodeAt(k);
      if (ch < 33 || ch > 126 || ch === 0x3a) nameOk = false;
    }
    if (!nameOk) {
      c.add("invalid_extension_name", [...base, "extensionFields", i, "name"], "an extension field name must be 1 to 76 printable ASCII characters without a colon");
      continue;
    }
    if (RFC3464_FIELD_NAMES.has(x.name.toLowerCase()))
      c.add("reserved_extension_name", [...base, "extensionFields", i, "name"], `extension field ${JSON.stringify(x.name)} would shadow the RFC 3464 field of that name`);
    if (text(c, x.value, base, ["extensionFields", i, "value"], x.name)) fits(c, x.name, x.value, base, ["extensionFields", i, "value"]);
  }
}

const PER_MESSAGE: IssuePath = ["deliveryStatus", "perMessage"];

function deliveryStatus(c: IssueCollector, ds: DeliveryStatus): void {
  if (typeof ds !== "object" || ds === null || typeof ds.perMessage !== "object" || ds.perMessage === null) {
    c.add("invalid_type", ["deliveryStatus"], "deliveryStatus must be { perMessage, recipients }");
    return;
  }
  const pm = ds.perMessage;
  if (pm.originalEnvelopeId !== undefined && text(c, pm.originalEnvelopeId, PER_MESSAGE, ["originalEnvelopeId"], "Original-Envelope-Id"))
    fits(c, "Original-Envelope-Id", pm.originalEnvelopeId, PER_MESSAGE, ["originalEnvelopeId"]);
  if (pm.reportingMta === undefined) c.add("required", [...PER_MESSAGE, "reportingMta"], "Reporting-MTA is required (RFC 3464 §2.2.2)");
  mta(c, pm.reportingMta, PER_MESSAGE, "reportingMta", "Reporting-MTA");
  mta(c, pm.dsnGateway, PER_MESSAGE, "dsnGateway", "DSN-Gateway");
  mta(c, pm.receivedFromMta, PER_MESSAGE, "receivedFromMta", "Received-From-MTA");
  if (pm.arrivalDate !== undefined) date(c, pm.arrivalDate, PER_MESSAGE, "arrivalDate", "Arrival-Date");
  extensions(c, pm.extensionFields, PER_MESSAGE);
  if (!Array.isArray(ds.recipients) || ds.recipients.length === 0) {
    c.add("too_small", ["deliveryStatus", "recipients"], "a DSN needs at least one recipient block (RFC 3464 §2.1)");
    return;
  }
  for (let i = 0; i < ds.recipients.length; i++) {
    const r = ds.recipients[i]!;
    const p: IssuePath = ["deliveryStatus", "recipients", i];
    if (r.finalRecipient === undefined) c.add("required", [...p, "finalRecipient"], "Final-Recipient is required (RFC 3464 §2.3.2)");
    address(c, r.originalRecipient, p, "originalRecipient", "Original-Recipient");
    address(c, r.finalRecipient, p, "finalRecipient", "Final-Recipient");
    const actionOk = (DSN_ACTIONS as readonly unknown[]).includes(r.action);
    if (!actionOk) c.add("invalid_enum", [...p, "action"], `Action ${JSON.stringify(r.action)} is not one of ${DSN_ACTIONS.join(", ")}`);
    const problem = typeof r.status === "string" ? statusProblem(r.status) : "it must be a string";
    if (problem !== undefined) c.add("invalid_status", [...p, "status"], `Status ${JSON.stringify(r.status)} is not an RFC 3463 status code: ${problem}`);
    else if (actionOk) {
      const mismatch = actionStatusProblem(r.action, r.status);
      if (mismatch !== undefined) c.add("action_status_mismatch", [...p, "status"], `${mismatch} (RFC 3464 §2.3.3)`);
    }
    mta(c, r.remoteMta, p, "remoteMta", "Remote-MTA");
    const d = r.diagnosticCode;
    if (d !== undefined) {
      if (typeof d?.type !== "string" || !isAtom(d.type))
        c.add("invalid_diagnostic_code", [...p, "diagnosticCode", "type"], 'Diagnostic-Code type must be an atom like "smtp"');
      else if (text(c, d.text, p, ["diagnosticCode", "text"], "Diagnostic-Code text"))
        fitsTyped(c, "Diagnostic-Code", d.type, d.text, p, ["diagnosticCode"]);
    }
    if (r.lastAttemptDate !== undefined) date(c, r.lastAttemptDate, p, "lastAttemptDate", "Last-Attempt-Date");
    if (r.finalLogId !== undefined && text(c, r.finalLogId, p, ["finalLogId"], "Final-Log-ID")) fits(c, "Final-Log-ID", r.finalLogId, p, ["finalLogId"]);
    if (r.willRetryUntil !== undefined) date(c, r.willRetryUntil, p, "willRetryUntil", "Will-Retry-Until");
    extensions(c, r.extensionFields, p);
  }
}

const ROOT: IssuePath = [];

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
    else if (from.name === undefined) {
      // an address alone always fits a line
    } else if (text(c, from.name, ROOT, ["from", "name"], "from name")) {
      // The written name is at most 6 characters per character of the name, plus 66 (RFC 2047
      // encoded-words of at most 36 to 39 octets each); the address and "From: " and " <>" add the rest.
      if (6 * from.name.length + 66 + from.address.length + 9 > ALWAYS_FITS) fits(c, "From", formatMailbox(from), ROOT, ["from"]);
    }
  }
  if (typeof bounce.to !== "string") c.add("invalid_type", ["to"], "to must be a string");
  else {
    const problem = mailboxProblem(bounce.to);
    if (problem !== undefined) c.add("invalid_mailbox", ["to"], `to ${JSON.stringify(bounce.to)} is not a mailbox: ${problem}`);
  }
  if (text(c, bounce.subject, ROOT, ["subject"], "subject") && bounce.subject.length > 80)
    fits(c, "Subject", encodeUnstructured(bounce.subject), ROOT, ["subject"]);
  date(c, bounce.date, ROOT, "date", "date");
  const idProblem = typeof bounce.messageId === "string" ? messageIdProblem(bounce.messageId) : "it must be a string";
  if (idProblem !== undefined) c.add("invalid_message_id", ["messageId"], `messageId ${JSON.stringify(bounce.messageId)}: ${idProblem}`);
  if (bounce.inReplyTo !== undefined) {
    const p = typeof bounce.inReplyTo === "string" ? messageIdProblem(bounce.inReplyTo) : "it must be a string";
    if (p !== undefined) c.add("invalid_message_id", ["inReplyTo"], `inReplyTo ${JSON.stringify(bounce.inReplyTo)}: ${p}`);
  }
  text(c, bounce.explanation, ROOT, ["explanation"], "explanation", true);
  if (bounce.original !== undefined && typeof bounce.original !== "string" && !(bounce.original instanceof Uint8Array))
    c.add("invalid_type", ["original"], "original must be a string or a Uint8Array");
  deliveryStatus(c, bounce.deliveryStatus);
  return c.issues;
}
