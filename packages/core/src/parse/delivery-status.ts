/**
 * The body of a `message/delivery-status` (RFC 3464 §2) or `message/global-delivery-status`
 * (RFC 6533 §6) part: blocks of fields, read into the {@link DeliveryStatus} model exactly as
 * {@link resolveBounce} builds it, with what only a reader knows beside it.
 *
 * Real-world departures it reads: continuation lines without leading white space (Gmail folds
 * Diagnostic-Code that way), missing empty lines between blocks, extra empty lines, repeated
 * fields, a Status with leading zeros, fields without their `type;`, `<angle-bracketed>`
 * addresses, and obsolete dates. Each is recorded as a tolerance. An Action or Status that is
 * missing or not recognized is never made up: the model leaves it out and keeps what was written.
 */
import type { DiagnosticCode, DsnExtensionField, MtaName, ParsedDeliveryStatus, ParsedRecipientFields, PerMessageFields, TypedAddress, UnrecognizedFields } from "../model.js";
import type { DsnAction } from "../ses.js";
import { DSN_ACTIONS } from "../ses.js";
import { decodeUtf8Address } from "../mime/xtext.js";
import { readRfc5322Date } from "../syntax/rfc5322-date.js";
import { statusProblem } from "../syntax/status.js";
import { isAscii, trimWsp } from "../syntax/text.js";
import { splitTyped } from "../syntax/typed.js";
import type { Collector } from "./collector.js";
import { DsnParseError } from "./errors.js";
import { PER_MESSAGE_FIELD_NAMES, PER_RECIPIENT_FIELD_NAMES } from "../rfc3464.js";
import { indexInRange, isFieldNameRange } from "./headers.js";
import type { ResolvedParseLimits } from "./limits.js";
import type { DsnFieldDetail, PerMessageDetails, RecipientDetails, SmtpReply, StatusParts } from "./types.js";

/**
 * A block of fields as read: the fields as the result reports them, and beside them (same index)
 * their lower-cased names, so that the fields need no second, internal copy.
 */
export interface DsBlock {
  line: number;
  fields: DsnFieldDetail[];
  lowers: string[];
}

/** The lower-cased names of the fields as RFC 3464 spells them: reading those allocates no new name. */
const LOWER_OF: ReadonlyMap<string, string> = new Map(
  [
    "Original-Envelope-Id", "Reporting-MTA", "DSN-Gateway", "Received-From-MTA", "Arrival-Date",
    "Original-Recipient", "Final-Recipient", "Action", "Status", "Remote-MTA", "Diagnostic-Code",
    "Last-Attempt-Date", "Final-Log-ID", "Will-Retry-Until",
  ].map((name) => [name, name.toLowerCase()]),
);

/** Where the part's text comes from, for line numbers. */
export interface DsTextOrigin {
  /** Line of the text's first line. */
  line: number;
  /** True when the text was decoded (base64, quoted-printable): every line is reported as `line`. */
  decoded: boolean;
}

/** The blocks of the part: the per-message block (possibly empty) and the recipient blocks. */
export interface DsBlocks {
  perMessage: DsBlock;
  recipients: DsBlock[];
}

/**
 * Splits the part's text into blocks of fields. Tolerates the departures the module describes.
 *
 * @throws {DsnParseError} `limit_exceeded` over `maxRecipients` or `maxHeaderFields`.
 */
export function readDsBlocks(text: string, origin: DsTextOrigin, notes: Collector, limits: ResolvedParseLimits): DsBlocks {
  const blocks: DsBlock[] = [];
  let perMessageMissing = false;
  let block: DsBlock | undefined;
  let field: DsnFieldDetail | undefined;
  let fieldStart = 0; // where `field` starts in the text, for its raw lines
  let pieces: string[] | undefined; // the lines of `field` after its first, when it is folded
  let blankRun = 0;
  let extraBlankLine = 0;
  let pos = 0;
  let index = 0;
  const lineOf = (i: number) => (origin.decoded ? origin.line : origin.line + i);
  const finishField = () => {
    if (field !== undefined) field.value = trimWsp(pieces === undefined ? field.value : field.value + pieces.join(""));
    field = undefined;
    pieces = undefined;
  };
  const has = (b: DsBlock, lower: string) => b.lowers.includes(lower);
  const startBlock = (line: number): DsBlock => {
    if (blocks.length > limits.maxRecipients)
      throw new DsnParseError("limit_exceeded", `the delivery-status part has more than ${limits.maxRecipients} recipient blocks (limits.maxRecipients)`, line);
    const b: DsBlock = { line, fields: [], lowers: [] };
    blocks.push(b);
    return b;
  };

  while (pos < text.length) {
    const nl = text.indexOf("\n", pos);
    const le = nl < 0 ? text.length : nl;
    const ce = le > pos && text.charCodeAt(le - 1) === 0x0d ? le - 1 : le;
    const line = lineOf(index);
    let k = pos;
    while (k < ce && (text.charCodeAt(k) === 0x20 || text.charCodeAt(k) === 0x09)) k++;
    if (k === ce) {
      if (ce > pos) notes.add("ds-extra-blank-line", "a line of only white space is read as an empty line", line);
      finishField();
      if (block !== undefined) {
        block = undefined;
        blankRun = 1;
      } else if (++blankRun === (blocks.length === 0 ? 1 : 2)) extraBlankLine = line;
    } else if (k > pos) {
      if (field !== undefined) {
        (pieces ??= []).push(text.slice(pos, ce));
        field.raw = text.slice(fieldStart, ce);
      } else notes.add("ds-line-not-field", "a continuation line continues no field", line);
    } else {
      const colon = indexInRange(text, 0x3a, pos, ce);
      let nameEnd = colon;
      while (nameEnd > pos && (text.charCodeAt(nameEnd - 1) === 0x20 || text.charCodeAt(nameEnd - 1) === 0x09)) nameEnd--;
      if (colon >= 0 && isFieldNameRange(text, pos, nameEnd)) {
        finishField();
        const name = text.slice(pos, nameEnd);
        const lower = LOWER_OF.get(name) ?? name.toLowerCase();
        const perRecipient = PER_RECIPIENT_FIELD_NAMES.has(lower);
        if (block === undefined) {
          if (blocks.length === 0 ? blankRun > 0 : blankRun > 1)
            notes.add("ds-extra-blank-line", "blocks are separated by exactly one empty line; this one is extra", extraBlankLine);
          if (blocks.length === 0 && perRecipient) perMessageMissing = true;
          block = startBlock(line);
        } else if (blocks.length === 1 && !perMessageMissing && perRecipient) {
          notes.add("ds-block-separator-missing", `${name} starts a recipient block, but no empty line separates it from the per-message block`, line);
          block = startBlock(line);
        } else if ((blocks.length > 1 || perMessageMissing) && (lower === "final-recipient" || lower === "original-recipient") && has(block, lower)) {
          // RFC 3464 §2.1 separates blocks by empty lines only, and fixes no order of the fields
          // in a block (SES writes Action first, Postfix Original-Recipient after Final-Recipient).
          // So a missing empty line is assumed only on evidence that cannot belong to one block:
          // a second Final-Recipient or Original-Recipient (AOL writes recipients that way).
          notes.add("ds-block-separator-missing", `${name} starts a new recipient block, but no empty line separates it from the one before`, line);
          block = startBlock(line);
        }
        blankRun = 0;
        if (block.fields.length >= limits.maxHeaderFields)
          throw new DsnParseError("limit_exceeded", `a delivery-status block has more than ${limits.maxHeaderFields} fields (limits.maxHeaderFields)`, line);
        field = { name, value: text.slice(colon + 1, ce), raw: text.slice(pos, ce), line };
        fieldStart = pos;
        block.fields.push(field);
        block.lowers.push(lower);
      } else if (field !== undefined) {
        notes.add("ds-folding-without-whitespace", `this line continues ${field.name} but does not start with white space (RFC 5322 §2.2.3)`, line);
        (pieces ??= []).push(" " + text.slice(pos, ce));
        field.raw = text.slice(fieldStart, ce);
      } else {
        notes.add("ds-line-not-field", `${JSON.stringify(text.slice(pos, Math.min(ce, pos + 40)))} is not a field (name: value)`, line);
      }
    }
    if (nl < 0) break;
    pos = nl + 1;
    index++;
  }
  finishField();
  if (blocks.length === 0 || perMessageMissing) return { perMessage: { line: blocks[0]?.line ?? origin.line, fields: [], lowers: [] }, recipients: blocks };
  return { perMessage: blocks[0]!, recipients: blocks.slice(1) };
}

function readMta(f: DsnFieldDetail, notes: Collector): MtaName {
  const typed = splitTyped(f.value);
  if (typed === undefined || typed.value === "") {
    notes.add("mta-name-type-missing", `${f.name} ${JSON.stringify(f.value.slice(0, 60))} is not "mta-name-type; mta-name" (like "dns; mx.example.com"); read as dns`, f.line);
    return { type: "dns", name: typed?.value ?? f.value };
  }
  return { type: typed.type, name: typed.value };
}

function readAddress(f: DsnFieldDetail, notes: Collector): TypedAddress {
  const typed = splitTyped(f.value);
  let type: string;
  let address: string;
  if (typed === undefined) {
    type = isAscii(f.value) ? "rfc822" : "utf-8";
    address = f.value;
    notes.add("address-type-missing", `${f.name} has no address type (like "rfc822;"); read as ${type}`, f.line);
  } else {
    type = typed.type;
    address = typed.value;
  }
  if (type === "utf-8") {
    const decoded = decodeUtf8Address(address);
    if (decoded === undefined) notes.add("utf8-address-malformed", `${f.name} has a malformed \\x{HHHH} escape (RFC 6533 §3); read as written`, f.line);
    else address = decoded;
  }
  if (address.length > 2 && address.charCodeAt(0) === 0x3c && address.charCodeAt(address.length - 1) === 0x3e) {
    notes.add("address-angle-brackets", `${f.name} writes the address in angle brackets; an address-type "${type}" address has none`, f.line);
    address = address.slice(1, -1);
  }
  return { type, address };
}

/**
 * Forms of a date that RFC 5322 calls obsolete but RFC 822 §5 (as amended by RFC 1123 §5.2.14)
 * allows. RFC 3464's date fields (Arrival-Date, Last-Attempt-Date, Will-Retry-Until) are RFC 822
 * date-times, so these are their syntax, not departures: Sendmail writes `GMT`, old MTAs
 * two-digit years. A zone RFC 822 does not list (SES's `UTC`) or no zone at all still is one.
 */
const RFC822_DATE_FORMS: ReadonlySet<string> = new Set(["obsolete-zone", "military-zone", "two-digit-year"]);

function readDate(f: DsnFieldDetail, notes: Collector): Date | undefined {
  const r = readRfc5322Date(f.value);
  if (!r.ok) {
    notes.add("date-unreadable", `${f.name} ${JSON.stringify(f.value.slice(0, 60))} is not an RFC 5322 date-time: ${r.reason}`, f.line);
    return undefined;
  }
  for (const n of r.notes) {
    if (n.code === "wrong-weekday") notes.add("date-weekday", `${f.name}: ${n.message}`, f.line);
    else if (!RFC822_DATE_FORMS.has(n.code)) notes.add("date-obsolete", `${f.name}: ${n.message} (not RFC 822 syntax either, which RFC 3464's date fields use)`, f.line);
  }
  return r.date;
}

function extension(f: DsnFieldDetail): DsnExtensionField {
  return { name: f.name, value: f.value };
}

/** Reads the status code at the start of a Status value: a comment may follow it (RFC 3464 §2.3.4). */
function readStatus(f: DsnFieldDetail, notes: Collector): string | undefined {
  const v = f.value;
  let end = 0;
  while (end < v.length && v.charCodeAt(end) !== 0x20 && v.charCodeAt(end) !== 0x09 && v.charCodeAt(end) !== 0x28) end++;
  const code = v.slice(0, end);
  let rest = trimWsp(v.slice(end));
  if (rest.startsWith("(") && rest.endsWith(")")) rest = "";
  const problem = statusProblem(code);
  if (problem === undefined) {
    if (rest !== "") notes.add("status-invalid", `Status has text after its code that is not a (comment): ${JSON.stringify(rest.slice(0, 40))}`, f.line);
    return code;
  }
  const parts = code.split(".");
  if (parts.length === 3 && parts.every((p) => p.length > 0 && p.length <= 6 && /^[0-9]+$/.test(p))) {
    const normal = parts.map((p) => String(Number(p))).join(".");
    if (statusProblem(normal) === undefined) {
      notes.add("status-invalid", `Status ${JSON.stringify(code)} ${problem}; read as ${normal}`, f.line);
      return normal;
    }
  }
  notes.add("status-invalid", `Status ${JSON.stringify(v.slice(0, 40))} is not an RFC 3463 status code: ${problem}; it is kept as written in unrecognized.status`, f.line);
  return undefined;
}

/** The reply code and enhanced status an `smtp` diagnostic starts with: `550 5.1.1 ...`, `550-5.1.1 ...`. */
export function smtpReply(text: string): SmtpReply | undefined {
  const c0 = text.charCodeAt(0);
  if (!(c0 === 0x32 || c0 === 0x34 || c0 === 0x35)) return undefined;
  for (let i = 1; i < 3; i++) {
    const c = text.charCodeAt(i);
    if (!(c >= 0x30 && c <= 0x39)) return undefined;
  }
  const after = text.charCodeAt(3);
  if (!(Number.isNaN(after) || after === 0x20 || after === 0x2d || after === 0x09)) return undefined;
  const reply: SmtpReply = { code: Number(text.slice(0, 3)) };
  let i = 4;
  while (i < text.length && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i++;
  let end = i;
  while (end < text.length && text.charCodeAt(end) !== 0x20 && text.charCodeAt(end) !== 0x09) end++;
  const status = text.slice(i, end);
  if (status.length > 0 && statusProblem(status) === undefined) reply.enhancedStatus = status;
  return reply;
}

/** The numbers of a status code already checked (`class.subject.detail`), without splitting it into an array. */
function statusParts(status: string): StatusParts {
  const a = status.indexOf(".");
  const b = status.indexOf(".", a + 1);
  return { class: Number(status.slice(0, a)), subject: Number(status.slice(a + 1, b)), detail: Number(status.slice(b + 1)) };
}


/** The model and the details read from the blocks. */
export interface DsRead {
  deliveryStatus: ParsedDeliveryStatus;
  perMessage: PerMessageDetails;
  recipients: RecipientDetails[];
}

/**
 * Builds the model from the blocks: types lower-cased, `utf-8` addresses decoded, dates as
 * `Date`, extension fields in order, optional fields absent when not written. An Action or
 * Status that is missing or not recognized is left out (the text written kept in
 * `unrecognized`); what had to be filled in (a Reporting-MTA that is not there) is a tolerance.
 *
 * @throws {DsnParseError} `no_recipients` when no block names a recipient.
 */
export function buildDeliveryStatus(blocks: DsBlocks, notes: Collector, partLine: number): DsRead {
  const pmBlock = blocks.perMessage;
  const pm: Partial<PerMessageFields> = {};
  const pmExtensions: DsnExtensionField[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < pmBlock.fields.length; i++) {
    const f = pmBlock.fields[i]!;
    const lower = pmBlock.lowers[i]!;
    if (PER_MESSAGE_FIELD_NAMES.has(lower)) {
      if (seen.has(lower)) {
        notes.add("ds-field-repeated", `${f.name} appears more than once in the per-message block; the first is used`, f.line);
        continue;
      }
      seen.add(lower);
    }
    switch (lower) {
      case "original-envelope-id":
        pm.originalEnvelopeId = f.value;
        break;
      case "reporting-mta":
        pm.reportingMta = readMta(f, notes);
        break;
      case "dsn-gateway":
        pm.dsnGateway = readMta(f, notes);
        break;
      case "received-from-mta":
        pm.receivedFromMta = readMta(f, notes);
        break;
      case "arrival-date": {
        const d = readDate(f, notes);
        if (d !== undefined) pm.arrivalDate = d;
        break;
      }
      default:
        pmExtensions.push(extension(f));
    }
  }
  if (pm.reportingMta === undefined) {
    notes.add("required-field-missing", "the per-message block has no Reporting-MTA (RFC 3464 §2.2.2); read as an empty name", pmBlock.fields.length > 0 ? pmBlock.line : partLine);
  }
  // Build the object with its keys in the RFC's order.
  const perMessage: PerMessageFields = {} as PerMessageFields;
  if (pm.originalEnvelopeId !== undefined) perMessage.originalEnvelopeId = pm.originalEnvelopeId;
  perMessage.reportingMta = pm.reportingMta ?? { type: "dns", name: "" };
  if (pm.dsnGateway !== undefined) perMessage.dsnGateway = pm.dsnGateway;
  if (pm.receivedFromMta !== undefined) perMessage.receivedFromMta = pm.receivedFromMta;
  if (pm.arrivalDate !== undefined) perMessage.arrivalDate = pm.arrivalDate;
  perMessage.extensionFields = pmExtensions;

  const recipients: ParsedRecipientFields[] = [];
  const recipientDetails: RecipientDetails[] = [];
  for (const b of blocks.recipients) {
    const r = readRecipient(b, notes);
    if (r === undefined) continue;
    recipients.push(r);
    const d: RecipientDetails = { line: b.line, fields: b.fields };
    if (r.status !== undefined) d.status = statusParts(r.status);
    if (r.diagnosticCode?.type === "smtp") {
      const reply = smtpReply(r.diagnosticCode.text);
      if (reply !== undefined) d.smtp = reply;
    }
    recipientDetails.push(d);
  }
  if (recipients.length === 0) throw new DsnParseError("no_recipients", "the delivery-status part has no per-recipient block that names a recipient", blocks.perMessage.line);
  return {
    deliveryStatus: { perMessage, recipients },
    perMessage: { line: pmBlock.fields.length > 0 ? pmBlock.line : partLine, fields: pmBlock.fields },
    recipients: recipientDetails,
  };
}

/** The first field of each RFC 3464 per-recipient name in a block; one object of one shape per block. */
type RecipientFieldsRead = Record<string, DsnFieldDetail | undefined>;

function noRecipientFields(): RecipientFieldsRead {
  return {
    "original-recipient": undefined,
    "final-recipient": undefined,
    action: undefined,
    status: undefined,
    "remote-mta": undefined,
    "diagnostic-code": undefined,
    "last-attempt-date": undefined,
    "final-log-id": undefined,
    "will-retry-until": undefined,
  };
}

/**
 * The Action of an Action value: one of {@link DSN_ACTIONS} in any case, optionally followed by a
 * comment (RFC 3464 §2.1 fields are structured: `failed (user unknown)`); else `undefined`.
 */
function readAction(value: string): DsnAction | undefined {
  let end = 0;
  while (end < value.length && value.charCodeAt(end) !== 0x20 && value.charCodeAt(end) !== 0x09 && value.charCodeAt(end) !== 0x28) end++;
  const word = value.slice(0, end).toLowerCase();
  if (!(DSN_ACTIONS as readonly string[]).includes(word)) return undefined;
  const rest = trimWsp(value.slice(end));
  if (rest !== "" && !(rest.startsWith("(") && rest.endsWith(")"))) return undefined;
  return word as DsnAction;
}

function readRecipient(b: DsBlock, notes: Collector): ParsedRecipientFields | undefined {
  const get = noRecipientFields();
  const extensions: DsnExtensionField[] = [];
  for (let i = 0; i < b.fields.length; i++) {
    const f = b.fields[i]!;
    const lower = b.lowers[i]!;
    if (PER_MESSAGE_FIELD_NAMES.has(lower)) {
      notes.add("ds-field-wrong-block", `${f.name} is a per-message field, but it is in a recipient block; it is ignored`, f.line);
      continue;
    }
    if (!PER_RECIPIENT_FIELD_NAMES.has(lower)) {
      extensions.push(extension(f));
      continue;
    }
    if (get[lower] !== undefined) {
      notes.add("ds-field-repeated", `${f.name} appears more than once in this recipient block; the first is used`, f.line);
      continue;
    }
    get[lower] = f;
  }
  const original = get["original-recipient"] !== undefined ? readAddress(get["original-recipient"], notes) : undefined;
  let final: TypedAddress;
  if (get["final-recipient"] !== undefined) final = readAddress(get["final-recipient"], notes);
  else if (original !== undefined) {
    notes.add("required-field-missing", "the recipient block has no Final-Recipient (RFC 3464 §2.3.2); the Original-Recipient is used", b.line);
    final = original;
  } else {
    notes.add("recipient-block-skipped", "the recipient block has neither Final-Recipient nor Original-Recipient (RFC 3464 §2.3.2); it is skipped", b.line);
    return undefined;
  }
  const diagnostic = get["diagnostic-code"] !== undefined ? readDiagnostic(get["diagnostic-code"], notes) : undefined;
  // RFC 3464 §2.3.3, §2.3.4: Action and Status are required. A reader that fills them in makes up
  // a delivery outcome (a permanent failure for a timeout, `delivered` for `deliverable`), so a
  // missing or unrecognized one is left out of the model; the written text is kept.
  let unrecognized: UnrecognizedFields | undefined;
  let action: DsnAction | undefined;
  const actionField = get["action"];
  if (actionField === undefined) notes.add("required-field-missing", "the recipient block has no Action (RFC 3464 §2.3.3); it is left out, not guessed", b.line);
  else {
    action = readAction(actionField.value);
    if (action === undefined) {
      (unrecognized ??= {}).action = actionField.value;
      notes.add("action-invalid", `Action ${JSON.stringify(actionField.value.slice(0, 40))} is not one of ${DSN_ACTIONS.join(", ")}; it is kept as written in unrecognized.action`, actionField.line);
    }
  }
  let status: string | undefined;
  const statusField = get["status"];
  if (statusField === undefined) notes.add("required-field-missing", "the recipient block has no Status (RFC 3464 §2.3.4); it is left out, not guessed", b.line);
  else {
    status = readStatus(statusField, notes);
    if (status === undefined) (unrecognized ??= {}).status = statusField.value;
  }
  const r = {} as ParsedRecipientFields;
  if (original !== undefined) r.originalRecipient = original;
  r.finalRecipient = final;
  if (action !== undefined) r.action = action;
  if (status !== undefined) r.status = status;
  if (get["remote-mta"] !== undefined) r.remoteMta = readMta(get["remote-mta"], notes);
  if (diagnostic !== undefined) r.diagnosticCode = diagnostic;
  if (get["last-attempt-date"] !== undefined) {
    const d = readDate(get["last-attempt-date"], notes);
    if (d !== undefined) r.lastAttemptDate = d;
  }
  if (get["final-log-id"] !== undefined) r.finalLogId = get["final-log-id"].value;
  if (get["will-retry-until"] !== undefined) {
    const d = readDate(get["will-retry-until"], notes);
    if (d !== undefined) r.willRetryUntil = d;
  }
  r.extensionFields = extensions;
  if (unrecognized !== undefined) r.unrecognized = unrecognized;
  return r;
}

function readDiagnostic(f: DsnFieldDetail, notes: Collector): DiagnosticCode {
  const typed = splitTyped(f.value);
  if (typed === undefined) {
    notes.add("diagnostic-type-missing", `Diagnostic-Code has no diagnostic type (like "smtp;"); read as smtp`, f.line);
    return { type: "smtp", text: f.value };
  }
  return { type: typed.type, text: typed.value };
}
