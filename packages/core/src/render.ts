/**
 * Rendering: a {@link Bounce} becomes `multipart/report; report-type=delivery-status` MIME
 * (RFC 6522, RFC 3464), with CRLF line ends only, folded header lines, and a boundary that occurs
 * in no part.
 *
 * @module
 */
import type { Bounce, DeliveryStatus, DsnExtensionField, MtaName, PerRecipientFields, TypedAddress } from "./model.js";
import { DsnValidationError } from "./issues.js";
import type { Issue } from "./issues.js";
import { validateBounce } from "./check-model.js";
import { ENCODED_WORD_LINE_LIMIT, foldField } from "./mime/fold.js";
import { encodeQuotedPrintable } from "./mime/qp.js";
import { encodeUnstructured } from "./mime/rfc2047.js";
import { formatMailbox } from "./fields.js";
import { encodeUtf8Address } from "./mime/xtext.js";
import { formatObsoleteUtcDate, formatRfc5322Date } from "./syntax/dates.js";
import { isAscii, utf8Length } from "./syntax/text.js";
import { cappedBlock, originalBody, plainHeaderEnd, readOriginalFrom, trimHeaders } from "./original.js";
import type { OriginalHeaderField } from "./original.js";
import { randomHex, randomInt31 } from "./random.js";
import { HARD_LINE_LIMIT } from "./mime/fold.js";
import { RENDER_PROFILES, readProfile } from "./profiles.js";
import type { RenderProfile, RenderProfileName } from "./profiles.js";

/**
 * How much of the original to return in the third part: its headers as `text/rfc822-headers`
 * (what SES returns), the whole message as `message/rfc822`, or nothing.
 *
 * @example
 * const mode: ReturnOriginal = "headers";
 */
export type ReturnOriginal = "headers" | "message" | "none";

/**
 * Options of {@link renderDsn}.
 *
 * @example
 * const options: RenderOptions = { boundary: "b1", returnOriginal: "message", maxOriginalSize: 100_000 };
 */
export interface RenderOptions {
  /**
   * The MIME boundary (1–70 characters of RFC 2046 `bchars`). Default: random. If it occurs in a
   * part, `_1`, `_2`, ... is appended until it does not.
   */
  boundary?: string;
  /** What to return of the original. Default `"headers"`. */
  returnOriginal?: ReturnOriginal;
  /**
   * Most octets of the original to return (default 50,000, like Postfix). A whole message over the
   * cap is returned as headers; headers over the cap are cut at field boundaries, dropping bulky
   * fields (DKIM-Signature, ARC-*, older Received) before identifying ones.
   */
  maxOriginalSize?: number;
  /**
   * Write `message/global-delivery-status` (RFC 6533) with raw UTF-8. Default `false`: the
   * classic `message/delivery-status`, with non-ASCII addresses as `utf-8;` and `\x{HHHH}`
   * escapes; it switches to the global type by itself only when a field other than an address
   * holds non-ASCII text, which the classic type cannot carry.
   */
  global?: boolean;
  /**
   * The layout: `"default"` (RFC-clean), `"ses"` (what Amazon SES sends; it departs from the RFCs
   * where SES does, see docs/rendering.md) or a {@link RenderProfile} of your own. Default
   * `"default"`.
   */
  profile?: RenderProfileName | RenderProfile;
}

/**
 * The SMTP envelope to send a bounce with: a null reverse-path (RFC 5321 §4.5.5) and the
 * original's sender as the only recipient.
 *
 * @example
 * const envelope: BounceEnvelope = { mailFrom: "", rcptTo: ["sender@example.org"] };
 */
export interface BounceEnvelope {
  mailFrom: "";
  rcptTo: [string];
}

/**
 * A rendered bounce: the message text, its envelope, and what was done with the original.
 *
 * @example
 * const { raw, envelope } = renderDsn(bounce);
 * envelope.mailFrom;
 * //=> ""
 */
export interface RenderedDsn {
  /** The whole message, CRLF line ends. */
  raw: string;
  envelope: BounceEnvelope;
  /** The boundary used. */
  boundary: string;
  /** The type of the second part. */
  deliveryStatusType: "message/delivery-status" | "message/global-delivery-status";
  original: {
    /** What was returned; may be less than asked (over the cap, or not returnable whole). */
    returned: ReturnOriginal;
    /** Names of the header fields cut to stay within the cap, or dropped as malformed. */
    omittedHeaders: string[];
    /** Why less was returned than asked, when it was. */
    reason?: string;
  };
}

/**
 * The default cap on the returned original, in octets (what Postfix uses).
 *
 * @example
 * renderDsn(bounce, { returnOriginal: "message", maxOriginalSize: 2 * DEFAULT_MAX_ORIGINAL_SIZE });
 */
export const DEFAULT_MAX_ORIGINAL_SIZE = 50_000;

/** RFC 2046 `bchars`, not ending in a space (the length, 1 to 70, is checked apart: a counted repetition is slow). */
const BCHARS = /^[0-9A-Za-z'()+_,\-./:=? ]*[0-9A-Za-z'()+_,\-./:=?]$/;
const CRLF = "\r\n";

function optionIssue(path: string, message: string): DsnValidationError {
  const issue: Issue = { code: "invalid_option", path: ["options", path], message };
  return new DsnValidationError([issue]);
}

/**
 * A random boundary in the profile's form: `=_dsnkit_` and 24 hex digits (12 random bytes), or
 * JavaMail's `----=_Part_{n}_{n}.{epoch ms}` (two random numbers of 31 bits and the bounce's date).
 */
function randomBoundary(profile: RenderProfile, date: Date): string {
  if (profile.boundary === "javamail") return "----=_Part_" + randomInt31() + "_" + randomInt31() + "." + date.getTime();
  return "=_dsnkit_" + randomHex(12);
}

function field(name: string, value: string): string {
  return foldField(name, value) + CRLF;
}

function mtaValue(m: MtaName): string {
  return `${m.type}; ${m.name}`;
}

function addressValue(a: TypedAddress, global: boolean): string {
  return `${a.type}; ${a.type === "utf-8" ? encodeUtf8Address(a.address, global) : a.address}`;
}

function extensionLines(list: readonly DsnExtensionField[] | undefined): string {
  if (list === undefined) return "";
  let out = "";
  for (const x of list) out += field(x.name, x.value);
  return out;
}

// needsGlobal runs after validateBounce, which requires MTA name types to be atoms (ASCII) and
// rfc822 addresses to be ASCII: those are not scanned again.
function mtaAscii(m: MtaName | undefined): boolean {
  return m === undefined || isAscii(m.name);
}

function extAscii(list: readonly DsnExtensionField[] | undefined): boolean {
  if (list !== undefined) for (const x of list) if (!isAscii(x.value)) return false;
  return true;
}

/** False for an address the classic type cannot carry: non-ASCII under a type other than utf-8 (RFC 6533 escapes) or rfc822 (ASCII, as validated). */
function typedAscii(a: TypedAddress): boolean {
  return a.type === "utf-8" || a.type === "rfc822" || isAscii(a.address);
}

/** True when a field other than an address holds non-ASCII: the classic type cannot carry it. */
function needsGlobal(ds: DeliveryStatus): boolean {
  const pm = ds.perMessage;
  if (!mtaAscii(pm.reportingMta) || !mtaAscii(pm.dsnGateway) || !mtaAscii(pm.receivedFromMta)) return true;
  if ((pm.originalEnvelopeId !== undefined && !isAscii(pm.originalEnvelopeId)) || !extAscii(pm.extensionFields)) return true;
  for (const r of ds.recipients) {
    if (!mtaAscii(r.remoteMta) || !extAscii(r.extensionFields)) return true;
    if (r.diagnosticCode !== undefined && !isAscii(r.diagnosticCode.text)) return true;
    if (r.finalLogId !== undefined && !isAscii(r.finalLogId)) return true;
    if (!typedAscii(r.finalRecipient) || (r.originalRecipient !== undefined && !typedAscii(r.originalRecipient))) return true;
  }
  return false;
}

function recipientBlock(r: PerRecipientFields, global: boolean, l: Layout): string {
  let out = "";
  for (const name of l.recipientFields) {
    switch (name) {
      case "Original-Recipient":
        if (r.originalRecipient !== undefined) out += field(name, addressValue(r.originalRecipient, global));
        break;
      case "Final-Recipient":
        out += field(name, addressValue(r.finalRecipient, global));
        break;
      case "Action":
        out += "Action: " + r.action + CRLF;
        break;
      case "Status":
        out += "Status: " + r.status + CRLF;
        break;
      case "Remote-MTA":
        if (r.remoteMta !== undefined) out += field(name, mtaValue(r.remoteMta));
        break;
      case "Diagnostic-Code":
        if (r.diagnosticCode !== undefined) out += field(name, `${r.diagnosticCode.type}; ${r.diagnosticCode.text}`);
        break;
      case "Last-Attempt-Date":
        if (r.lastAttemptDate !== undefined) out += "Last-Attempt-Date: " + formatRfc5322Date(r.lastAttemptDate) + CRLF;
        break;
      case "Final-Log-ID":
        if (r.finalLogId !== undefined) out += field(name, r.finalLogId);
        break;
      case "Will-Retry-Until":
        if (r.willRetryUntil !== undefined) out += "Will-Retry-Until: " + formatRfc5322Date(r.willRetryUntil) + CRLF;
        break;
    }
  }
  return out + extensionLines(r.extensionFields);
}

function perMessageBlock(pm: DeliveryStatus["perMessage"], l: Layout): string {
  let out = "";
  for (const name of l.perMessageFields) {
    switch (name) {
      case "Original-Envelope-Id":
        if (pm.originalEnvelopeId !== undefined) out += field(name, pm.originalEnvelopeId);
        break;
      case "Reporting-MTA":
        out += field(name, mtaValue(pm.reportingMta));
        break;
      case "DSN-Gateway":
        if (pm.dsnGateway !== undefined) out += field(name, mtaValue(pm.dsnGateway));
        break;
      case "Received-From-MTA":
        if (pm.receivedFromMta !== undefined) out += field(name, mtaValue(pm.receivedFromMta));
        break;
      case "Arrival-Date":
        if (pm.arrivalDate !== undefined)
          out += "Arrival-Date: " + (l.profile.arrivalDate === "obsolete-utc" ? formatObsoleteUtcDate(pm.arrivalDate) : formatRfc5322Date(pm.arrivalDate)) + CRLF;
        break;
    }
  }
  return out + extensionLines(pm.extensionFields);
}

/** `n` empty lines' worth of line ends, for n = 0 to 3. */
const LINE_ENDS: readonly string[] = ["", CRLF, CRLF + CRLF, CRLF + CRLF + CRLF];

/**
 * Writes the body of the delivery-status part: the per-message block, then one block per
 * recipient, fields in the profile's order (by default RFC 3464's ABNF order) and extension fields
 * last. One empty line follows the per-message block and, by default, each recipient block
 * (RFC 3464 §2.1); the line end before the next boundary counts as the last recipient's.
 *
 * @example
 * writeDeliveryStatus({
 *   perMessage: { reportingMta: { type: "dns", name: "mx.example.com" }, extensionFields: [] },
 *   recipients: [{ finalRecipient: { type: "rfc822", address: "a@example.com" }, action: "failed", status: "5.1.1", extensionFields: [] }],
 * }, false);
 * //=> "Reporting-MTA: dns; mx.example.com\r\n\r\nFinal-Recipient: rfc822; a@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n"
 */
export function writeDeliveryStatus(ds: DeliveryStatus, global: boolean, profile: RenderProfile = RENDER_PROFILES.default): string {
  return writeBlocks(ds, global, layout(profile));
}

function writeBlocks(ds: DeliveryStatus, global: boolean, l: Layout): string {
  let out = perMessageBlock(ds.perMessage, l);
  for (let i = 0; i < ds.recipients.length; i++) out += (i === 0 ? CRLF : l.betweenRecipients) + recipientBlock(ds.recipients[i]!, global, l);
  return out + l.afterRecipients;
}

/**
 * A part's header in the profile's field order: its type, its encoding (when it needs one, or
 * 7bit when the profile declares it) and its description, then the empty line.
 */
function partHeader(profile: RenderProfile, type: string, description: string, encoding: string | undefined): string {
  let out = "";
  for (const name of profile.partFields) {
    if (name === "Content-Type") out += "Content-Type: " + type + CRLF;
    else if (name === "Content-Description") out += "Content-Description: " + description + CRLF;
    else if (encoding !== undefined) out += "Content-Transfer-Encoding: " + encoding + CRLF;
    else if (profile.declare7bit) out += "Content-Transfer-Encoding: 7bit" + CRLF;
  }
  return out + CRLF;
}

/**
 * A profile as the writer reads it: its field lists, and the part headers most DSNs use, written
 * out. Built once for each built-in profile (whose frozen lists are slower to walk than plain
 * ones), and at each call for a profile of the caller's.
 */
interface Layout {
  profile: RenderProfile;
  headerFields: RenderProfile["headerFields"][number][];
  perMessageFields: RenderProfile["perMessageFields"][number][];
  recipientFields: RenderProfile["recipientFields"][number][];
  /** After each recipient block but the last, and after the last (the boundary's line end is one more). */
  betweenRecipients: string;
  afterRecipients: string;
  textAscii: string;
  deliveryStatus: string;
  headers: string;
}

function layoutOf(profile: RenderProfile): Layout {
  return {
    profile,
    headerFields: [...profile.headerFields],
    perMessageFields: [...profile.perMessageFields],
    recipientFields: [...profile.recipientFields],
    betweenRecipients: LINE_ENDS[profile.emptyLinesAfterRecipient]!,
    afterRecipients: LINE_ENDS[profile.emptyLinesAfterRecipient - 1]!,
    textAscii: partHeader(profile, "text/plain; charset=us-ascii", profile.descriptions.text, undefined),
    deliveryStatus: partHeader(profile, "message/delivery-status", profile.descriptions.deliveryStatus, undefined),
    headers: partHeader(profile, "text/rfc822-headers", profile.descriptions.headers, undefined),
  };
}

const BUILT_IN_LAYOUTS: ReadonlyMap<RenderProfile, Layout> = new Map([
  [RENDER_PROFILES.default, layoutOf(RENDER_PROFILES.default)],
  [RENDER_PROFILES.ses, layoutOf(RENDER_PROFILES.ses)],
]);

function layout(profile: RenderProfile): Layout {
  return BUILT_IN_LAYOUTS.get(profile) ?? layoutOf(profile);
}

/**
 * A part as its header (which ends with the empty line) and its body, kept apart until the message
 * is joined: the boundary is looked for in each, so that neither is copied to be searched (a body
 * is often a slice of the original) before the one copy that writing the message makes.
 */
type Part = [header: string, body: string];

function textPart(explanation: string, profile: RenderProfile, lay: Layout): Part {
  const text = explanation.includes("\r") ? explanation.replace(/\r\n?/g, "\n") : explanation;
  const ascii = isAscii(text);
  let longLine = false;
  if (text.length > HARD_LINE_LIMIT) {
    for (const line of text.split("\n")) if (utf8Length(line) > HARD_LINE_LIMIT) longLine = true;
  }
  const description = profile.descriptions.text;
  if (ascii && !longLine) return [lay.textAscii, text.replace(/\n/g, CRLF)];
  return [partHeader(profile, `text/plain; charset=${ascii ? "us-ascii" : "utf-8"}`, description, "quoted-printable"), encodeQuotedPrintable(text)];
}

interface OriginalPart {
  part: Part;
  eightBit: boolean;
  info: RenderedDsn["original"];
}

function joinFields(fields: readonly OriginalHeaderField[]): string {
  let out = "";
  for (const f of fields) out += f.text + CRLF;
  return out;
}

function originalPart(
  raw: string | Uint8Array,
  mode: ReturnOriginal,
  cap: number,
  profile: RenderProfile,
  lay: Layout,
  knownPlainEnd: number | undefined,
): OriginalPart | undefined {
  const plainEnd = typeof raw !== "string" ? -1 : (knownPlainEnd ?? plainHeaderEnd(raw));
  if (mode === "headers") {
    const block = cappedBlock(raw as string, plainEnd, cap);
    if (block !== undefined)
      return { part: [lay.headers, block], eightBit: false, info: { returned: "headers", omittedHeaders: [] } };
  }
  const o = readOriginalFrom(raw, plainEnd);
  const malformed: string[] = o.malformed > 0 ? [`(${o.malformed} malformed line${o.malformed === 1 ? "" : "s"})`] : [];
  let reason: string | undefined;
  if (mode === "message") {
    // Whole, the original takes at least its header fields, the empty line and its body as it
    // stands (making line ends CRLF only adds, and a UTF-16 code unit is at least one octet of
    // UTF-8). Over the cap by that count, its body is never read, whatever its size.
    let least = 2 + (o.bodyStart < 0 ? 0 : raw.length - o.bodyStart);
    for (const f of o.fields) least += f.octets;
    const overCap = `the whole original is over the cap of ${cap} octets: its headers are returned instead`;
    const body = o.malformed > 0 ? { problem: "its header has malformed lines" } : least > cap ? undefined : originalBody(o);
    if (body === undefined) reason = overCap;
    else if ("text" in body) {
      const headers = joinFields(o.fields);
      const whole = headers + CRLF + body.text;
      if (whole.length <= cap && utf8Length(whole) <= cap) {
        const headersAscii = isAscii(headers);
        const eightBit = !headersAscii || !isAscii(body.text);
        const type = headersAscii ? "message/rfc822" : "message/global";
        return {
          part: [partHeader(profile, type, profile.descriptions.message, eightBit ? "8bit" : undefined), whole],
          eightBit,
          info: { returned: "message", omittedHeaders: [] },
        };
      }
      reason = overCap;
    } else reason = `the original cannot be returned whole (${body.problem}): its headers are returned instead`;
  }
  const { kept, dropped } = trimHeaders(o.fields, cap);
  const omittedHeaders = [...malformed, ...dropped.map((f) => f.name)];
  if (dropped.length > 0) reason = (reason ? reason + "; " : "") + `${dropped.length} header field(s) cut to stay within ${cap} octets`;
  if (kept.length === 0) {
    return undefined;
  }
  const headers = joinFields(kept);
  const eightBit = !isAscii(headers);
  const info: RenderedDsn["original"] = { returned: "headers", omittedHeaders };
  if (reason !== undefined) info.reason = reason;
  return {
    part: [eightBit ? partHeader(profile, "message/global-headers", profile.descriptions.headers, "8bit") : lay.headers, headers],
    eightBit,
    info,
  };
}

/** Content-Type's parameters in the profile's order, on one line or (JavaMail) each on its own. */
function contentTypeField(profile: RenderProfile, boundary: string): string {
  let value = "multipart/report";
  for (const p of profile.contentTypeParameters) {
    const param = p === "boundary" ? `boundary="${boundary}"` : "report-type=delivery-status";
    value += profile.foldEachParameter ? ";" + " " + CRLF + "\t" + param : "; " + param;
  }
  return profile.foldEachParameter ? "Content-Type: " + value + CRLF : field("Content-Type", value);
}

/**
 * Renders a {@link Bounce} as a `multipart/report; report-type=delivery-status` message: a
 * human-readable `text/plain` part (us-ascii, or quoted-printable UTF-8), the
 * `message/delivery-status` part, and the original's headers (or the whole original) when it is
 * known. Top-level headers, by default: From, To, Subject, Date, Message-ID, In-Reply-To and
 * References (when the original's Message-ID is known), Auto-Submitted: auto-replied,
 * MIME-Version, Content-Type. The `profile` option changes the layout (the order of fields, the
 * part labels, the empty lines), never the content: `"ses"` writes SES's own.
 *
 * Output is byte-for-byte deterministic when the bounce's date and Message-ID are fixed and a
 * boundary is given.
 *
 * @throws {DsnValidationError} when the bounce or the options are invalid (see {@link validateBounce}).
 * @example
 * const { raw, envelope } = renderDsn(bounce, { boundary: "b1" });
 * raw.startsWith("From: mailer-daemon@example.com\r\n");
 * //=> true
 * envelope;
 * //=> { mailFrom: "", rcptTo: ["sender@example.org"] }
 * renderDsn(bounce, { boundary: "b1", profile: "ses" }).raw.startsWith("Date: ");
 * //=> true
 */
export function renderDsn(bounce: Bounce, options: RenderOptions = {}): RenderedDsn {
  return renderModel(bounce, options, undefined);
}

/**
 * {@link renderDsn}, given what {@link resolve} found of the bounce's original: where its header
 * block ends when it can be returned as it stands (`plainHeaderEnd`), so that it is not read again.
 */
export function renderModel(bounce: Bounce, options: RenderOptions, originalPlainHeaderEnd: number | undefined): RenderedDsn {
  const issues = validateBounce(bounce);
  if (issues.length > 0) throw new DsnValidationError(issues);
  const mode = options.returnOriginal ?? "headers";
  if (mode !== "headers" && mode !== "message" && mode !== "none")
    throw optionIssue("returnOriginal", 'returnOriginal must be "headers", "message" or "none"');
  const cap = options.maxOriginalSize ?? DEFAULT_MAX_ORIGINAL_SIZE;
  if (!Number.isInteger(cap) || cap < 0) throw optionIssue("maxOriginalSize", "maxOriginalSize must be a whole number of octets, 0 or more");
  if (options.boundary !== undefined && (typeof options.boundary !== "string" || options.boundary.length > 70 || !BCHARS.test(options.boundary)))
    throw optionIssue("boundary", "boundary must be 1 to 70 characters of letters, digits and '()+_,-./:=? (not ending in a space)");
  const profile = readProfile(options.profile, "options");

  const ds = bounce.deliveryStatus;
  const global = options.global === true || needsGlobal(ds);
  const lay = layout(profile);
  const dsText = writeBlocks(ds, global, lay);
  const dsEightBit = global && !isAscii(dsText);
  const parts: Part[] = [
    textPart(bounce.explanation, profile, lay),
    [
      global ? partHeader(profile, "message/global-delivery-status", profile.descriptions.deliveryStatus, dsEightBit ? "8bit" : undefined) : lay.deliveryStatus,
      dsText,
    ],
  ];
  let info: RenderedDsn["original"] = { returned: "none", omittedHeaders: [] };
  let eightBit = dsEightBit;
  if (bounce.original !== undefined && mode !== "none") {
    const part = originalPart(bounce.original, mode, cap, profile, lay, originalPlainHeaderEnd);
    if (part !== undefined) {
      parts.push(part.part);
      info = part.info;
      eightBit ||= part.eightBit;
    } else info = { returned: "none", omittedHeaders: [], reason: "no header of the original fits within the cap" };
  }

  let boundary = options.boundary ?? randomBoundary(profile, bounce.date);
  const base = boundary;
  // A boundary holds no CR or LF and a part's header ends with one, so the boundary is in a part
  // exactly when it is in its header or in its body.
  for (let n = 1; parts.some((p) => p[0].includes(boundary) || p[1].includes(boundary)); n++) {
    boundary = options.boundary === undefined ? randomBoundary(profile, bounce.date) : `${base.slice(0, 64)}_${n}`;
  }

  let head = "";
  for (const name of lay.headerFields) {
    switch (name) {
      case "Date":
        head += "Date: " + formatRfc5322Date(bounce.date) + CRLF;
        break;
      case "From":
        head += foldField("From", formatMailbox(bounce.from), ENCODED_WORD_LINE_LIMIT) + CRLF;
        break;
      case "To":
        head += "To: " + bounce.to + CRLF;
        break;
      case "Message-ID":
        head += "Message-ID: " + bounce.messageId + CRLF;
        break;
      case "Subject":
        head += foldField("Subject", encodeUnstructured(bounce.subject), ENCODED_WORD_LINE_LIMIT) + CRLF;
        break;
      case "In-Reply-To":
      case "References":
        if (bounce.inReplyTo !== undefined) head += field(name, bounce.inReplyTo);
        break;
      case "Auto-Submitted":
        head += "Auto-Submitted: auto-replied" + CRLF;
        break;
      case "MIME-Version":
        head += "MIME-Version: 1.0" + CRLF;
        break;
      case "Content-Type":
        head += contentTypeField(profile, boundary);
        break;
      case "Content-Transfer-Encoding":
        if (eightBit) head += "Content-Transfer-Encoding: 8bit" + CRLF;
        break;
    }
  }
  // The empty line ends the header; a preamble, when there is one, is a line of the body.
  let raw = head + CRLF;
  if (profile.preamble !== "") raw += profile.preamble + CRLF + CRLF;
  const delimiter = CRLF + "--" + boundary + CRLF;
  raw += "--" + boundary + CRLF + parts[0]![0] + parts[0]![1];
  for (let i = 1; i < parts.length; i++) raw += delimiter + parts[i]![0] + parts[i]![1];
  raw += CRLF + "--" + boundary + "--" + CRLF;

  return {
    raw,
    envelope: { mailFrom: "", rcptTo: [bounce.to] },
    boundary,
    deliveryStatusType: global ? "message/global-delivery-status" : "message/delivery-status",
    original: info,
  };
}
