/**
 * Validation of an SES SendBounce request given as `unknown` (parsed JSON, YAML, user input):
 * every problem at once, each with its path, a stable code and a message a person can act on.
 * Covers SES's own rules and the RFC rules dsnkit adds (see {@link IssueCode}).
 *
 * @module
 */
import type { Issue, IssueCode, IssuePath, ValidationResult } from "./issues.js";
import { BOUNCE_TYPES, DSN_ACTIONS } from "./ses.js";
import type { BounceType, DsnAction, SendBounceRequest } from "./ses.js";
import { describeForbidden, findForbidden, isAscii, isLineBreakChar } from "./syntax/text.js";
import { mailboxProblem } from "./syntax/mailbox.js";
import { actionStatusProblem, statusProblem } from "./syntax/status.js";
import { readTimestamp } from "./syntax/dates.js";
import { canFold } from "./mime/fold.js";
import { RFC3464_FIELD_NAMES } from "./rfc3464.js";
import { diagnosticField, extensionFieldName, formatMailbox, mtaField, parseMailboxSpec } from "./fields.js";
import type { DiagnosticCode, Mailbox, MtaName } from "./model.js";

/**
 * Limits that keep hostile input from costing unbounded time or memory. SES documents none of
 * these; each is far above what a real bounce needs.
 *
 * @example
 * VALIDATION_LIMITS.maxRecipients;
 * //=> 10000
 */
export const VALIDATION_LIMITS = Object.freeze({
  /** Recipients in one request. */
  maxRecipients: 10_000,
  /** Extension fields in one block. */
  maxExtensionFields: 100,
  /** Characters of Explanation. */
  maxExplanationLength: 100_000,
  /** Characters of an extension field's Value (SES's own limit). */
  maxExtensionValueLength: 2048,
  /** Characters of any other string field. */
  maxFieldLength: 2048,
});

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

// The keys of each object of a request, and those it requires, and the rules of its strings:
// tables made once, not at each call.
const REQUEST_KEYS = ["OriginalMessageId", "BounceSender", "Explanation", "MessageDsn", "BouncedRecipientInfoList", "BounceSenderArn"];
const REQUEST_REQUIRED = ["OriginalMessageId", "BounceSender", "BouncedRecipientInfoList"];
const MESSAGE_DSN_KEYS = ["ReportingMta", "ArrivalDate", "ExtensionFields"];
const MESSAGE_DSN_REQUIRED = ["ReportingMta"];
const RECIPIENT_KEYS = ["Recipient", "RecipientArn", "BounceType", "RecipientDsnFields"];
const RECIPIENT_REQUIRED = ["Recipient"];
const DSN_FIELDS_KEYS = ["FinalRecipient", "Action", "RemoteMta", "Status", "DiagnosticCode", "LastAttemptDate", "ExtensionFields"];
const DSN_FIELDS_REQUIRED = ["Action", "Status"];
const EXTENSION_KEYS = ["Name", "Value"];
const MAILBOX_RULES: StringRules = { max: 1024 };
const ORIGINAL_MESSAGE_ID_RULES: StringRules = { max: 256 };
const EXPLANATION_RULES: StringRules = { min: 0, max: VALIDATION_LIMITS.maxExplanationLength, multiline: true };
const EXTENSION_VALUE_RULES: StringRules = { min: 0, max: VALIDATION_LIMITS.maxExtensionValueLength };
const STATUS_RULES: StringRules = { max: 16 };
const NO_RULES: StringRules = {};
const EXTENSION_NAME = /^[A-Za-z0-9-]{1,50}$/;

/** Collects issues while walking the input. */
export class IssueCollector {
  readonly issues: Issue[] = [];
  /** Adds an issue; its path is copied, so that a path made once for every call can be passed. */
  add(code: IssueCode, path: IssuePath, message: string): void {
    this.issues.push({ code, path: [...path], message });
  }
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (v instanceof Date) return "a Date";
  const t = typeof v;
  return t === "object" ? "an object" : t === "undefined" ? "undefined" : `a ${t}`;
}

function label(path: IssuePath): string {
  for (let i = path.length - 1; i >= 0; i--) {
    if (typeof path[i] !== "string") continue;
    // An item of a list is named with its index: "BouncedRecipientInfoList[0]", not the list.
    let name = path[i] as string;
    for (let j = i + 1; j < path.length; j++) name += `[${String(path[j])}]`;
    return name;
  }
  return "value";
}

/**
 * Checks that `input` is a plain object with only `keys` (required ones marked in `required`).
 * Returns it typed as a record, or `undefined` after recording why not.
 */
export function readObject(
  c: IssueCollector,
  input: unknown,
  path: IssuePath,
  keys: readonly string[],
  required: readonly string[],
): Record<string, unknown> | undefined {
  if (typeof input !== "object" || input === null || Array.isArray(input) || input instanceof Date) {
    c.add("invalid_type", path, `${label(path)} must be an object, not ${typeName(input)}`);
    return undefined;
  }
  const obj = input as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (FORBIDDEN_KEYS.has(key)) {
      c.add("forbidden_key", [...path, key], `the key ${JSON.stringify(key)} is not allowed`);
    } else if (!keys.includes(key)) {
      const near = keys.find((k) => k.toLowerCase() === key.toLowerCase());
      c.add(
        "unknown_key",
        [...path, key],
        near !== undefined
          ? `unknown key ${JSON.stringify(key)}: did you mean ${JSON.stringify(near)}?`
          : `unknown key ${JSON.stringify(key)}; ${label(path) === "value" ? "the request" : label(path)} has only ${keys.join(", ")}`,
      );
    }
  }
  for (const key of required) {
    if (!Object.prototype.hasOwnProperty.call(obj, key) || obj[key] === undefined || obj[key] === null)
      c.add("required", [...path, key], `${key} is required`);
  }
  return obj;
}

/** Options of {@link readString}. */
export interface StringRules {
  min?: number;
  max?: number;
  multiline?: boolean;
}

/** Checks a string: type, length, control characters and lone surrogates. */
export function readString(c: IssueCollector, input: unknown, path: IssuePath, rules: StringRules = NO_RULES): string | undefined {
  const name = label(path);
  if (typeof input !== "string") {
    c.add("invalid_type", path, `${name} must be a string, not ${typeName(input)}`);
    return undefined;
  }
  const min = rules.min ?? 1;
  const max = rules.max ?? VALIDATION_LIMITS.maxFieldLength;
  if (input.length < min) {
    c.add("too_small", path, `${name} must not be empty`);
    return undefined;
  }
  if (input.length > max) {
    c.add("too_big", path, `${name} is ${input.length} characters long; the limit is ${max}`);
    return undefined;
  }
  const bad = findForbidden(input, rules.multiline);
  if (bad !== undefined) {
    if (bad.kind === "surrogate") c.add("invalid_unicode", path, `${name} is not valid Unicode: ${describeForbidden(bad)}`);
    else {
      // A line break other than CR and LF is refused in text too: readers disagree about it.
      const hint = !isLineBreakChar(bad.code) ? "" : rules.multiline ? "; write line breaks as LF or CRLF" : "; it must be one line";
      c.add(bad.kind === "line-separator" ? "line_separator" : "control_character", path, `${name} has ${describeForbidden(bad)}${hint}`);
    }
    return undefined;
  }
  return input;
}

/** Checks a timestamp (Date, ISO-8601 string or epoch seconds). */
export function readDate(c: IssueCollector, input: unknown, path: IssuePath): Date | undefined {
  const d = readTimestamp(input);
  if (typeof d === "string") {
    c.add("invalid_date", path, `${label(path)} ${input instanceof Date ? "" : JSON.stringify(input) + " "}is not usable: ${d}`);
    return undefined;
  }
  return d;
}

/** Checks a mailbox (`local@domain`, UTF-8 allowed). */
export function readMailbox(c: IssueCollector, input: unknown, path: IssuePath): string | undefined {
  const s = readString(c, input, path, MAILBOX_RULES);
  if (s === undefined) return undefined;
  const problem = mailboxProblem(s);
  if (problem !== undefined) {
    const hint = /^\s*[A-Za-z0-9-]+\s*;/.test(s) ? " (write the bare address: dsnkit adds the address type)" : "";
    c.add("invalid_mailbox", path, `${label(path)} ${JSON.stringify(s)} is not a valid mailbox: ${problem}${hint}`);
    return undefined;
  }
  return s;
}

function readArn(c: IssueCollector, input: unknown, path: IssuePath): void {
  const s = readString(c, input, path);
  if (s === undefined) return;
  const parts = s.split(":");
  if (parts.length < 6 || parts[0] !== "arn" || parts[1] === "" || parts[2] === "" || /\s/.test(s))
    c.add("invalid_arn", path, `${label(path)} ${JSON.stringify(s)} is not an ARN (arn:aws:ses:REGION:ACCOUNT:identity/NAME)`);
}

function readEnum<T extends string>(
  c: IssueCollector,
  input: unknown,
  path: IssuePath,
  values: readonly T[],
): T | undefined {
  if (typeof input !== "string") {
    c.add("invalid_type", path, `${label(path)} must be a string, one of ${values.join(", ")}; not ${typeName(input)}`);
    return undefined;
  }
  if (!(values as readonly string[]).includes(input)) {
    const near = values.find((v) => v.toLowerCase() === input.toLowerCase());
    c.add(
      "invalid_enum",
      path,
      `${label(path)} ${JSON.stringify(input.slice(0, 60))} is not one of ${values.join(", ")}${near ? ` (did you mean ${near}?)` : ""}`,
    );
    return undefined;
  }
  return input as T;
}

function readMta(c: IssueCollector, input: unknown, path: IssuePath, fieldName: string): MtaName | undefined {
  const s = readString(c, input, path);
  if (s === undefined) return undefined;
  const mta = mtaField(s);
  if (typeof mta === "string") {
    c.add("invalid_mta_name", path, `${label(path)} ${JSON.stringify(s)} is not "mta-name-type; mta-name" (like "dns; mx.example.com"): ${mta}`);
    return undefined;
  }
  if (!canFold(fieldName, `${mta.type}; ${mta.name}`)) {
    c.add("line_too_long", path, `${label(path)} cannot be folded into lines of at most 998 octets`);
    return undefined;
  }
  return mta;
}

function readExtensionFields(c: IssueCollector, input: unknown, path: IssuePath): void {
  if (!Array.isArray(input)) {
    c.add("invalid_type", path, `ExtensionFields must be an array, not ${typeName(input)}`);
    return;
  }
  if (input.length > VALIDATION_LIMITS.maxExtensionFields) {
    c.add("too_big", path, `ExtensionFields has ${input.length} entries; the limit is ${VALIDATION_LIMITS.maxExtensionFields}`);
    return;
  }
  input.forEach((item, i) => {
    const p = [...path, i];
    const obj = readObject(c, item, p, EXTENSION_KEYS, EXTENSION_KEYS);
    if (obj === undefined) return;
    let name: string | undefined;
    if (obj.Name !== undefined && obj.Name !== null) {
      if (typeof obj.Name !== "string") c.add("invalid_type", [...p, "Name"], `Name must be a string, not ${typeName(obj.Name)}`);
      else if (!EXTENSION_NAME.test(obj.Name))
        c.add(
          "invalid_extension_name",
          [...p, "Name"],
          `Name ${JSON.stringify(obj.Name.slice(0, 60))} must be 1 to 50 characters of letters, digits and hyphens`,
        );
      else if (RFC3464_FIELD_NAMES.has(obj.Name.toLowerCase()))
        c.add(
          "reserved_extension_name",
          [...p, "Name"],
          `Name ${JSON.stringify(obj.Name)} would shadow the RFC 3464 field of that name; set it through its own parameter or choose another name`,
        );
      else name = obj.Name;
    }
    if (obj.Value !== undefined && obj.Value !== null) {
      const value = readString(c, obj.Value, [...p, "Value"], EXTENSION_VALUE_RULES);
      if (value !== undefined && name !== undefined && !canFold(extensionFieldName(name), value.trim()))
        c.add("line_too_long", [...p, "Value"], `Value has a word too long to fold into lines of at most 998 octets`);
    }
  });
}

/**
 * What validating a request read of it, typed: {@link resolveBounce} builds the bounce from these
 * instead of reading the same strings again. Complete only when validation found no issue.
 */
export interface RequestReading {
  /** BounceSender as a mailbox. */
  bounceSender?: Mailbox;
  /** MessageDsn.ReportingMta, typed. */
  reportingMta?: MtaName;
  /** MessageDsn.ArrivalDate, to whole seconds. */
  arrivalDate?: Date;
  /** What was read of each BouncedRecipientInfo's RecipientDsnFields, by index. */
  recipients: (RecipientReading | undefined)[];
}

/** What validation read of one recipient's RecipientDsnFields. */
export interface RecipientReading {
  remoteMta?: MtaName;
  diagnosticCode?: DiagnosticCode;
  lastAttemptDate?: Date;
}

/**
 * Validates an SES SendBounce request given as `unknown`, returning the typed request or every
 * issue found. Checks SES's rules (required fields, extension names and values, at least one
 * recipient, BounceType or RecipientDsnFields for each) and the RFC rules dsnkit adds (status
 * syntax, Action/Status agreement, mailbox syntax, `type; value` syntax, control characters,
 * fields that shadow RFC 3464 ones, lines that cannot be folded under 998 octets).
 *
 * @example
 * const result = validateBounceRequest({
 *   OriginalMessageId: "0100019abc",
 *   BounceSender: "mailer-daemon@example.com",
 *   BouncedRecipientInfoList: [{ Recipient: "nobody@example.com", RecipientDsnFields: { Action: "failed", Status: "5.01.1" } }],
 * });
 * result.ok;
 * //=> false
 * if (!result.ok) formatIssues(result.issues);
 * //=> 'BouncedRecipientInfoList[0].RecipientDsnFields.Status: Status "5.01.1" is not an RFC 3463 status code: its subject "01" has a leading zero [invalid_status]'
 */
export function validateBounceRequest(input: unknown): ValidationResult<SendBounceRequest> {
  const c = new IssueCollector();
  readBounceRequest(c, input);
  return c.issues.length === 0 ? { ok: true, value: input as SendBounceRequest } : { ok: false, issues: c.issues };
}

/**
 * {@link validateBounceRequest}'s checks, adding each issue to `c`, and what they read of the
 * request: valid as a whole when `c` holds no issue after it.
 */
export function readBounceRequest(c: IssueCollector, input: unknown): RequestReading {
  const read: RequestReading = { recipients: [] };
  const top = readObject(c, input, [], REQUEST_KEYS, REQUEST_REQUIRED);
  if (top !== undefined) {
    if (top.OriginalMessageId != null) readString(c, top.OriginalMessageId, ["OriginalMessageId"], ORIGINAL_MESSAGE_ID_RULES);
    if (top.BounceSender != null) read.bounceSender = readBounceSender(c, top.BounceSender, ["BounceSender"]);
    if (top.Explanation != null)
      readString(c, top.Explanation, ["Explanation"], EXPLANATION_RULES);
    if (top.BounceSenderArn != null) readArn(c, top.BounceSenderArn, ["BounceSenderArn"]);
    if (top.MessageDsn != null) {
      const md = readObject(c, top.MessageDsn, ["MessageDsn"], MESSAGE_DSN_KEYS, MESSAGE_DSN_REQUIRED);
      if (md !== undefined) {
        if (md.ReportingMta != null) read.reportingMta = readMta(c, md.ReportingMta, ["MessageDsn", "ReportingMta"], "Reporting-MTA");
        if (md.ArrivalDate != null) read.arrivalDate = readDate(c, md.ArrivalDate, ["MessageDsn", "ArrivalDate"]);
        if (md.ExtensionFields != null) readExtensionFields(c, md.ExtensionFields, ["MessageDsn", "ExtensionFields"]);
      }
    }
    if (top.BouncedRecipientInfoList != null) readRecipients(c, top.BouncedRecipientInfoList, read.recipients);
  }
  return read;
}

function readBounceSender(c: IssueCollector, input: unknown, path: IssuePath): Mailbox | undefined {
  const s = readString(c, input, path, MAILBOX_RULES);
  if (s === undefined) return undefined;
  const mailbox = parseMailboxSpec(s);
  if (typeof mailbox === "string") {
    c.add("invalid_mailbox", path, `BounceSender ${JSON.stringify(s)} is not a valid mailbox: ${mailbox}`);
    return undefined;
  }
  if (!isAscii(mailbox.address)) {
    c.add(
      "invalid_mailbox",
      path,
      `BounceSender ${JSON.stringify(mailbox.address)} must be ASCII (an SES identity); write an internationalized domain in its xn-- form`,
    );
    return undefined;
  }
  if (!canFold("From", formatMailbox(mailbox))) {
    c.add("line_too_long", path, "BounceSender's display name has a word too long to fold into lines of at most 998 octets");
    return undefined;
  }
  return mailbox;
}

function readRecipients(c: IssueCollector, input: unknown, read: (RecipientReading | undefined)[]): void {
  const path = ["BouncedRecipientInfoList"];
  if (!Array.isArray(input)) {
    c.add("invalid_type", path, `BouncedRecipientInfoList must be an array, not ${typeName(input)}`);
    return;
  }
  if (input.length === 0) {
    c.add("too_small", path, "BouncedRecipientInfoList must have at least one recipient");
    return;
  }
  if (input.length > VALIDATION_LIMITS.maxRecipients) {
    c.add("too_big", path, `BouncedRecipientInfoList has ${input.length} recipients; the limit is ${VALIDATION_LIMITS.maxRecipients}`);
    return;
  }
  for (let i = 0; i < input.length; i++) {
    const p = [...path, i];
    const info = readObject(c, input[i], p, RECIPIENT_KEYS, RECIPIENT_REQUIRED);
    if (info === undefined) continue;
    if (info.Recipient != null) readMailbox(c, info.Recipient, [...p, "Recipient"]);
    if (info.RecipientArn != null) readArn(c, info.RecipientArn, [...p, "RecipientArn"]);
    if (info.BounceType != null) readEnum<BounceType>(c, info.BounceType, [...p, "BounceType"], BOUNCE_TYPES);
    if (info.RecipientDsnFields != null) read[i] = readRecipientDsnFields(c, info.RecipientDsnFields, [...p, "RecipientDsnFields"]);
    else if (info.BounceType == null)
      c.add("missing_bounce_type", p, "each recipient needs a BounceType, RecipientDsnFields, or both");
  }
}

function readRecipientDsnFields(c: IssueCollector, input: unknown, path: IssuePath): RecipientReading | undefined {
  const f = readObject(c, input, path, DSN_FIELDS_KEYS, DSN_FIELDS_REQUIRED);
  if (f === undefined) return undefined;
  const read: RecipientReading = {};
  if (f.FinalRecipient != null) readMailbox(c, f.FinalRecipient, [...path, "FinalRecipient"]);
  let action: DsnAction | undefined;
  if (f.Action != null) action = readEnum(c, f.Action, [...path, "Action"], DSN_ACTIONS);
  let status: string | undefined;
  if (f.Status != null) {
    const s = readString(c, f.Status, [...path, "Status"], STATUS_RULES);
    if (s !== undefined) {
      const problem = statusProblem(s);
      if (problem !== undefined)
        c.add("invalid_status", [...path, "Status"], `Status ${JSON.stringify(s)} is not an RFC 3463 status code: ${problem}`);
      else status = s;
    }
  }
  if (action !== undefined && status !== undefined) {
    const problem = actionStatusProblem(action, status);
    if (problem !== undefined) c.add("action_status_mismatch", [...path, "Status"], `${problem} (RFC 3464 §2.3.3)`);
  }
  if (f.RemoteMta != null) read.remoteMta = readMta(c, f.RemoteMta, [...path, "RemoteMta"], "Remote-MTA");
  if (f.DiagnosticCode != null) {
    const s = readString(c, f.DiagnosticCode, [...path, "DiagnosticCode"]);
    if (s !== undefined) {
      const d = diagnosticField(s);
      if (typeof d === "string")
        c.add("invalid_diagnostic_code", [...path, "DiagnosticCode"], `DiagnosticCode ${JSON.stringify(s.slice(0, 60))} ${d}`);
      else if (!canFold("Diagnostic-Code", `${d.type}; ${d.text}`))
        c.add("line_too_long", [...path, "DiagnosticCode"], "DiagnosticCode has a word too long to fold into lines of at most 998 octets");
      else read.diagnosticCode = d;
    }
  }
  if (f.LastAttemptDate != null) read.lastAttemptDate = readDate(c, f.LastAttemptDate, [...path, "LastAttemptDate"]);
  if (f.ExtensionFields != null) readExtensionFields(c, f.ExtensionFields, [...path, "ExtensionFields"]);
  return read;
}
