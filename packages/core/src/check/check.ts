/**
 * `checkDsn`: which RFC rules a DSN breaks, each with its line.
 *
 * @module
 */
import type { MtaName, TypedAddress } from "../model.js";
import { actionStatusProblem } from "../syntax/status.js";
import { isHostName, mailboxProblem } from "../syntax/mailbox.js";
import { describeChar, isAscii, isAtom, utf8Length } from "../syntax/text.js";
import { firstToken } from "../parse/content-type.js";
import { PER_MESSAGE_FIELD_NAMES, PER_RECIPIENT_FIELD_NAMES } from "../rfc3464.js";
import type { DsBlocks } from "../parse/delivery-status.js";
import type { DsnParseErrorCode } from "../parse/errors.js";
import { findField } from "../parse/headers.js";
import type { RawField } from "../parse/headers.js";
import type { ParseLimits } from "../parse/limits.js";
import { boundaryProblem } from "../parse/mime.js";
import type { Entity } from "../parse/mime.js";
import { ORIGINAL_TYPES, scanDsn } from "../parse/reader.js";
import type { DsnScan } from "../parse/reader.js";
import { encodedWordAt } from "../parse/rfc2047.js";
import type { Severity } from "./rules.js";
import { ruleById } from "./rules.js";

/**
 * One rule a DSN breaks: the rule's id and RFC section, its severity, what is wrong here, and
 * the 1-based line of the input.
 *
 * @example
 * const f: Finding = {
 *   rule: "rfc3464.status-syntax",
 *   rfc: "RFC 3464 §2.3.4; RFC 3463 §2",
 *   severity: "error",
 *   message: 'Status "5.01.1" its subject "01" has a leading zero; read as 5.1.1',
 *   line: 41,
 * };
 */
export interface Finding {
  rule: string;
  rfc: string;
  severity: Severity;
  message: string;
  line: number;
}

/**
 * Options of {@link checkDsn}.
 *
 * @example
 * const options: CheckOptions = { limits: { maxParts: 100 } };
 */
export interface CheckOptions {
  limits?: ParseLimits;
}

/** Findings of one rule beyond this many are summed up in one more finding. */
const MAX_PER_RULE = 20;

class Findings {
  readonly list: Finding[] = [];
  private readonly counts = new Map<string, { n: number; firstExtra: number }>();

  add(id: string, message: string, line: number): void {
    const c = this.counts.get(id);
    if (c === undefined) this.counts.set(id, { n: 1, firstExtra: 0 });
    else {
      c.n++;
      if (c.n > MAX_PER_RULE) {
        if (c.n === MAX_PER_RULE + 1) c.firstExtra = line;
        return;
      }
    }
    const rule = ruleById(id);
    this.list.push({ rule: id, rfc: rule.rfc, severity: rule.severity, message, line });
  }

  finish(): Finding[] {
    for (const [id, c] of this.counts) {
      if (c.n <= MAX_PER_RULE) continue;
      const rule = ruleById(id);
      this.list.push({ rule: id, rfc: rule.rfc, severity: rule.severity, message: `${c.n - MAX_PER_RULE} more times after these`, line: c.firstExtra });
    }
    return this.list.map((f, i) => ({ f, i })).sort((a, b) => a.f.line - b.f.line || a.i - b.i).map((x) => x.f);
  }
}

const ERROR_RULES: Readonly<Record<DsnParseErrorCode, string>> = {
  invalid_input: "dsnkit.invalid-input",
  not_a_dsn: "rfc3464.delivery-status-missing",
  no_recipients: "rfc3464.required-field",
  limit_exceeded: "dsnkit.limit-exceeded",
  strict: "dsnkit.invalid-input",
};

/** RFC 5322 §3.6: fields that appear at most once. */
const ONCE = new Set(["date", "from", "sender", "reply-to", "to", "cc", "bcc", "message-id", "in-reply-to", "references", "subject"]);
/** Structured fields where an encoded-word is never allowed (RFC 2047 §5). */
const NO_ENCODED_WORDS = new Set([
  "date",
  "message-id",
  "in-reply-to",
  "references",
  "mime-version",
  "content-type",
  "content-transfer-encoding",
  "content-id",
  "return-path",
  "received",
  "auto-submitted",
  "resent-date",
  "resent-message-id",
]);
/** Address fields: encoded-words only in display names and comments. */
const ADDRESS_FIELDS = new Set(["from", "sender", "reply-to", "to", "cc", "bcc", "resent-from", "resent-sender", "resent-to", "resent-cc", "resent-bcc"]);
/** Delivery-status fields that hold addresses, names, codes or dates: no encoded-words. */
const DS_NO_ENCODED_WORDS = new Set([...PER_MESSAGE_FIELD_NAMES, ...PER_RECIPIENT_FIELD_NAMES].filter((n) => n !== "diagnostic-code" && n !== "final-log-id"));

type FieldLike = Pick<RawField, "name" | "value" | "line">;

function encodedWords(out: Findings, f: FieldLike, kind: "none" | "address" | "text"): void {
  const v = f.value;
  if (!v.includes("=?")) return;
  let inQuote = false;
  let angle = false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (inQuote) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inQuote = false;
    } else if (kind === "address" && c === 0x22) {
      inQuote = true;
      continue;
    } else if (kind === "address" && c === 0x28) {
      // A comment: encoded-words are allowed there.
      let depth = 0;
      for (; i < v.length; i++) {
        const d = v.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x28) depth++;
        else if (d === 0x29 && --depth === 0) break;
      }
      continue;
    } else if (c === 0x3c) angle = true;
    else if (c === 0x3e) angle = false;
    if (c !== 0x3d || v.charCodeAt(i + 1) !== 0x3f) continue;
    const w = encodedWordAt(v, i);
    if (w === undefined) continue;
    const text = v.slice(w.start, w.end);
    if (w.end - w.start > 75) out.add("rfc2047.encoded-word-too-long", `${f.name} has an encoded-word of ${w.end - w.start} characters; the limit is 75`, f.line);
    if (inQuote) out.add("rfc2047.encoded-word-in-quoted-string", `${f.name} has the encoded-word ${text.slice(0, 40)} inside a quoted-string, where it is not decoded`, f.line);
    else if (kind === "none") out.add("rfc2047.encoded-word-not-allowed", `${f.name} is a structured field; the encoded-word ${text.slice(0, 40)} is not allowed in it`, f.line);
    else if (kind === "address" && (angle || v.charCodeAt(w.end) === 0x40 || (i > 0 && v.charCodeAt(i - 1) === 0x40)))
      out.add("rfc2047.encoded-word-not-allowed", `${f.name} has the encoded-word ${text.slice(0, 40)} in an address, where it is not allowed`, f.line);
    i = w.end - 1;
  }
}

function headerRules(out: Findings, fields: readonly RawField[]): void {
  for (const f of fields) {
    const kind = NO_ENCODED_WORDS.has(f.lower) ? "none" : ADDRESS_FIELDS.has(f.lower) ? "address" : "text";
    encodedWords(out, f, kind);
  }
}

function rawLineRules(out: Findings, scan: DsnScan): void {
  const { src } = scan;
  const text = src.text;
  let pos = 0;
  let line = 1;
  while (pos < text.length) {
    const nl = text.indexOf("\n", pos);
    const le = nl < 0 ? text.length : nl;
    const ce = le > pos && text.charCodeAt(le - 1) === 0x0d ? le - 1 : le;
    const len = ce - pos;
    if (len > 78) {
      const octets = len <= 332 || src.binary ? len : utf8Length(text.slice(pos, ce));
      if (octets > 998) out.add("rfc5322.line-too-long", `the line is ${octets} octets long; the limit is 998`, line);
      else out.add("rfc5322.line-over-78", `the line is ${len} characters long; lines should be at most 78`, line);
    }
    if (nl < 0) break;
    pos = nl + 1;
    line++;
  }
  const nul = text.indexOf("\0");
  if (nul >= 0) out.add("rfc2045.nul", "the message has a NUL octet", src.lineAt(nul));
}

function topLevelRules(out: Findings, scan: DsnScan, root: Entity): void {
  const fields = root.headers;
  const seen = new Set<string>();
  for (const f of fields) {
    if (!ONCE.has(f.lower)) continue;
    if (seen.has(f.lower)) out.add("rfc5322.header-repeated", `${f.name} appears more than once; it may appear only once`, f.line);
    seen.add(f.lower);
  }
  const endOfHeader = root.bodyLine > 1 ? root.bodyLine - 1 : 1;
  if (!seen.has("date")) out.add("rfc5322.date-missing", "the message has no Date field", endOfHeader);
  if (!seen.has("from")) out.add("rfc5322.from-missing", "the message has no From field", endOfHeader);
  if (!seen.has("message-id")) out.add("rfc5322.message-id-missing", "the message has no Message-ID field", endOfHeader);
  if (findField(fields, "mime-version") === undefined) out.add("rfc2045.mime-version-missing", "the message has no MIME-Version: 1.0 field", endOfHeader);
  const auto = findField(fields, "auto-submitted");
  if (auto === undefined) out.add("rfc3834.auto-submitted-missing", "the DSN has no Auto-Submitted field; write Auto-Submitted: auto-replied", endOfHeader);
  else {
    const token = firstToken(auto.value);
    if (token === "no") out.add("rfc3834.auto-submitted-value", "Auto-Submitted: no says a person sent the DSN; a DSN is auto-replied", auto.line);
    else if (token === "") out.add("rfc3834.auto-submitted-syntax", `Auto-Submitted ${JSON.stringify(auto.value.slice(0, 40))} has no keyword; write auto-replied`, auto.line);
  }
}

/** The first non-ASCII character at or after `from`, remembering the last answer (queries mostly go forward). */
function nonAsciiFinder(text: string): (from: number) => number {
  const re = /[\x80-\uffff]/g;
  let lastFrom = -1;
  let lastAt = -1;
  return (from) => {
    if (lastFrom >= 0 && from >= lastFrom && (lastAt < 0 || from <= lastAt)) return lastAt;
    re.lastIndex = from;
    const m = re.exec(text);
    lastFrom = from;
    lastAt = m === null ? -1 : m.index;
    return lastAt;
  };
}

function mimeRules(out: Findings, scan: DsnScan): void {
  const { src } = scan;
  const tree = scan.tree!;
  const nextNonAscii = nonAsciiFinder(src.text);
  for (const e of tree.entities) {
    if (e.parent >= 0) headerRules(out, e.headers);
    const ctLine = e.contentTypeField?.line ?? e.headerLine;
    if (e.contentType.type === "multipart") {
      const b = e.contentType.params.get("boundary");
      if (b !== undefined && b !== "") {
        const problem = boundaryProblem(b);
        if (problem !== undefined) out.add("rfc2046.boundary-syntax", `the boundary ${JSON.stringify(b.slice(0, 80))} is not valid: ${problem}`, ctLine);
      }
    }
    if (e.transferEncoding === "7bit") {
      const at = nextNonAscii(e.bodyStart);
      if (at >= 0 && at < e.bodyEnd)
        out.add(
          "rfc2045.8bit-undeclared",
          `the ${e.parent < 0 ? "message" : e.contentType.mediaType + " part"} has 8-bit text (line ${src.lineAt(at)}) but is ${findField(e.headers, "content-transfer-encoding") === undefined ? "7bit by default" : "declared 7bit"}; declare Content-Transfer-Encoding: 8bit`,
          findField(e.headers, "content-transfer-encoding")?.line ?? ctLine,
        );
    }
  }
  for (const p of tree.prefixLines) out.add("rfc2046.boundary-in-part", `the line starts with the delimiter --${p.boundary} but is not one; the boundary occurs inside a part`, p.line);
  const report = scan.report;
  if (report !== undefined) {
    const where = report.contentTypeField?.line ?? report.headerLine;
    const n = report.children.length;
    if (n < 2 || n > 3) out.add("rfc6522.part-order", `the multipart/report has ${n} part${n === 1 ? "" : "s"}; it has two or three`, where);
    const first = n > 0 ? tree.entities[report.children[0]!]! : undefined;
    if (first !== undefined && first !== scan.ds && first.contentType.type !== "text" && first.contentType.type !== "multipart")
      out.add("rfc6522.part-order", `the first part is ${first.contentType.mediaType}; it is the human-readable text`, first.headerLine);
    const dsAt = scan.ds === undefined ? -1 : report.children.indexOf(scan.ds.index);
    const third = dsAt >= 0 ? tree.entities[report.children[dsAt + 1] ?? -1] : undefined;
    if (third !== undefined && !ORIGINAL_TYPES.has(third.contentType.mediaType))
      out.add("rfc6522.original-type", `the part after the delivery status is ${third.contentType.mediaType}, not a returned message or header`, third.headerLine);
  }
  const ds = scan.ds;
  if (ds !== undefined && scan.dsText !== undefined && ds.contentType.mediaType === "message/global-delivery-status" && isAscii(scan.dsText))
    out.add("rfc6533.global-type-unneeded", "the delivery status is all ASCII: message/delivery-status would do, and more readers understand it", ds.headerLine);
  const o = scan.originalPart;
  if (o !== undefined) {
    const type = o.contentType.mediaType;
    if (type === "message/global" || type === "message/global-headers") {
      const at = nextNonAscii(o.bodyStart);
      if (o.transferEncoding !== "base64" && o.transferEncoding !== "quoted-printable" && !(at >= 0 && at < o.bodyEnd))
        out.add("rfc6533.global-type-unneeded", `the returned ${type === "message/global" ? "message" : "header"} is all ASCII: ${type === "message/global" ? "message/rfc822" : "text/rfc822-headers"} would do`, o.headerLine);
    } else if (scan.originalHeader !== undefined) {
      const bad = scan.originalHeader.fields.find((f) => !isAscii(f.raw));
      if (bad !== undefined)
        out.add("rfc6533.non-ascii-in-classic", `the returned header has non-ASCII text; that needs ${type === "message/rfc822" ? "message/global" : "message/global-headers"} (RFC 6533 §6)`, bad.line);
    }
  }
}

function sameMta(a: MtaName, b: MtaName): boolean {
  return a.type === b.type && a.name.toLowerCase() === b.name.toLowerCase();
}

function dnsName(out: Findings, m: MtaName | undefined, field: string, line: number): void {
  if (m === undefined || m.type !== "dns" || m.name === "") return;
  if (!isHostName(m.name)) out.add("rfc3464.dns-name", `${field} ${JSON.stringify(m.name.slice(0, 80))} is of type dns but is not a host name or IP address`, line);
}

function addressRules(out: Findings, a: TypedAddress | undefined, field: string, line: number): void {
  if (a === undefined) return;
  if (a.type === "rfc822" && !isAscii(a.address)) {
    out.add("rfc6533.non-ascii-address-type", `${field} ${JSON.stringify(a.address.slice(0, 80))} is not ASCII: its type is utf-8 (RFC 6533), not rfc822`, line);
    return;
  }
  if (a.type !== "rfc822" && a.type !== "utf-8") return;
  // A utf-8 address that still has a backslash had a malformed escape, reported as such.
  if (a.type === "utf-8" && a.address.includes("\\")) return;
  const problem = mailboxProblem(a.address);
  if (problem !== undefined) out.add("rfc3464.address-syntax", `${field} ${JSON.stringify(a.address.slice(0, 80))} is not a mailbox: ${problem}`, line);
}

function extensionRules(out: Findings, blocks: DsBlocks): void {
  for (const b of [blocks.perMessage, ...blocks.recipients]) {
    for (let i = 0; i < b.fields.length; i++) {
      const f = b.fields[i]!;
      const lower = b.lowers[i]!;
      if (PER_MESSAGE_FIELD_NAMES.has(lower) || PER_RECIPIENT_FIELD_NAMES.has(lower)) {
        if (DS_NO_ENCODED_WORDS.has(lower)) encodedWords(out, f, "none");
        continue;
      }
      // Extension values and Diagnostic-Code are free text, not RFC 2047 text: an encoded-word
      // look-alike there is literal, whatever its length.
      if (!isAtom(f.name)) out.add("rfc3464.extension-field-name", `the extension field name ${JSON.stringify(f.name.slice(0, 60))} is not an atom`, f.line);
      else if (!lower.startsWith("x-")) out.add("rfc3464.extension-field-unregistered", `${f.name} is not an RFC 3464 field and does not start with X-`, f.line);
    }
  }
}

function deliveryStatusRules(out: Findings, scan: DsnScan): void {
  if (scan.dsBlocks !== undefined) extensionRules(out, scan.dsBlocks);
  const result = scan.result;
  if (result === undefined) return;
  const ds = result.deliveryStatus;
  const pmLine = (name: string) => result.details.perMessage.fields.find((f) => f.name.toLowerCase() === name)?.line ?? result.details.perMessage.line;
  dnsName(out, ds.perMessage.reportingMta, "Reporting-MTA", pmLine("reporting-mta"));
  dnsName(out, ds.perMessage.dsnGateway, "DSN-Gateway", pmLine("dsn-gateway"));
  dnsName(out, ds.perMessage.receivedFromMta, "Received-From-MTA", pmLine("received-from-mta"));
  const date = result.message.date;
  ds.recipients.forEach((r, i) => {
    const d = result.details.recipients[i]!;
    const line = (name: string) => d.fields.find((f) => f.name.toLowerCase() === name)?.line ?? d.line;
    const mismatch = r.action !== undefined && r.status !== undefined ? actionStatusProblem(r.action, r.status) : undefined;
    if (mismatch !== undefined) out.add("rfc3464.action-status-mismatch", mismatch, line("status"));
    if (r.action !== undefined && r.action !== "delayed" && d.fields.some((f) => f.name.toLowerCase() === "will-retry-until"))
      out.add("rfc3464.will-retry-until-not-delayed", `Will-Retry-Until is only for a delayed recipient; this one is ${r.action}`, line("will-retry-until"));
    if (r.remoteMta !== undefined && sameMta(r.remoteMta, ds.perMessage.reportingMta))
      out.add("rfc3464.remote-mta-is-reporting-mta", `Remote-MTA ${r.remoteMta.name} is the Reporting-MTA itself; leave Remote-MTA out when no remote MTA was involved`, line("remote-mta"));
    if (r.lastAttemptDate !== undefined && date !== undefined && r.lastAttemptDate.getTime() > date.getTime())
      out.add("rfc3464.last-attempt-after-date", `Last-Attempt-Date ${r.lastAttemptDate.toISOString()} is later than the DSN's Date ${date.toISOString()}`, line("last-attempt-date"));
    addressRules(out, r.originalRecipient, "Original-Recipient", line("original-recipient"));
    addressRules(out, r.finalRecipient, "Final-Recipient", line("final-recipient"));
    dnsName(out, r.remoteMta, "Remote-MTA", line("remote-mta"));
  });
}

/** A line break to Unicode readers but not to MIME: VT, FF, NEL, U+2028, U+2029 (UAX #14 BK and NL). */
const UNICODE_LINE_BREAK = /[\v\f\x85\u2028\u2029]/;

/**
 * Fields that hold a line break only some readers see: every header field (the message's, its
 * parts', the returned original's) and every delivery-status field, as decoded.
 */
function unicodeLineBreakRules(out: Findings, scan: DsnScan): void {
  const check = (fields: readonly { name: string; value: string; line: number }[]) => {
    for (const f of fields) {
      const m = UNICODE_LINE_BREAK.exec(f.value);
      if (m === null) continue;
      const next = f.value.slice(m.index + 1, m.index + 41).trim();
      const effect = next === "" ? "the line ends there" : `${JSON.stringify(next)} starts a line of its own`;
      out.add("dsnkit.unicode-line-break", `${f.name} has ${describeChar(m[0].charCodeAt(0))}: to readers that split lines the Unicode way, ${effect}`, f.line);
    }
  };
  for (const e of scan.tree?.entities ?? []) check(e.headers);
  if (scan.dsBlocks !== undefined) for (const b of [scan.dsBlocks.perMessage, ...scan.dsBlocks.recipients]) check(b.fields);
  if (scan.originalHeader !== undefined) check(scan.originalHeader.fields);
}

/**
 * Checks a DSN against the rules of RFC 3464, RFC 6522, RFC 2045/2046, RFC 5322, RFC 2047,
 * RFC 3834 and RFC 6533 (the list is {@link RULES}) and returns every finding, in line order:
 * the rule's id and RFC section, its severity, what is wrong, and the line.
 *
 * Never throws, whatever the input: unreadable input (not a string, not a DSN, over a limit)
 * is itself a finding. A DSN is conforming when no finding has severity `error`.
 *
 * @param raw - The whole message, as a string or octets.
 * @param options - `limits` for the reader (see {@link ParseLimits}).
 * @returns The findings; empty for a DSN that breaks no rule.
 * @example
 * checkDsn(raw).filter((f) => f.severity === "error").map((f) => `${f.line}: ${f.rule}`);
 * //=> ["41: rfc3464.status-syntax"]
 */
export function checkDsn(raw: string | Uint8Array, options: CheckOptions = {}): Finding[] {
  const out = new Findings();
  let scan: DsnScan;
  try {
    scan = scanDsn(raw, { limits: options.limits ?? {} });
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    out.add("dsnkit.invalid-input", `the options are not usable: ${e.message}`, 1);
    return out.finish();
  }
  for (const t of scan.notes.tolerances) out.add(t.rule, t.message, t.line);
  if (scan.error !== undefined) out.add(ERROR_RULES[scan.error.code], scan.error.message.replace(/^line \d+: /, ""), scan.error.line);
  try {
    if (scan.src.text.length > 0) rawLineRules(out, scan);
    const root = scan.tree?.entities[0];
    if (root !== undefined) {
      topLevelRules(out, scan, root);
      headerRules(out, root.headers);
      mimeRules(out, scan);
    }
    deliveryStatusRules(out, scan);
    unicodeLineBreakRules(out, scan);
  } catch (e) {
    // Resource exhaustion (a string too long to build) is a finding, not a crash.
    if (!(e instanceof RangeError)) throw e;
    out.add("dsnkit.limit-exceeded", `the input is too large to check: ${e.message}`, 1);
  }
  return out.finish();
}
