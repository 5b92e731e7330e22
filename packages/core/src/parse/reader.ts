/**
 * The one reader behind {@link parseDsn} and {@link checkDsn}: it finds the report in the MIME
 * structure, reads every part it needs, and keeps what it read (with lines) for the checker.
 */
import { decodeBase64 } from "../mime/base64.js";
import { readRfc5322Date } from "../syntax/rfc5322-date.js";
import { utf8Decoder } from "../web.js";
import { readMailboxHeader } from "./address.js";
import { Collector } from "./collector.js";
import type { MediaType } from "./content-type.js";
import { buildDeliveryStatus, readDsBlocks } from "./delivery-status.js";
import type { DsBlocks } from "./delivery-status.js";
import { DsnParseError } from "./errors.js";
import { findField, readHeaderBlock } from "./headers.js";
import type { HeaderBlock, RawField } from "./headers.js";
import { resolveLimits } from "./limits.js";
import type { ResolvedParseLimits } from "./limits.js";
import { scanMime } from "./mime.js";
import type { Entity, MimeTree } from "./mime.js";
import { decodeQuotedPrintable } from "./qp.js";
import { decodeEncodedWords } from "./rfc2047.js";
import { isRegisteredCharset } from "./charsets.js";
import { binaryToBytes, decodeBytes, firstNonAscii, isAsciiString, isKnownCharset, Source, unitsToString } from "./source.js";
import { decodeUtf7, UTF7_LABELS } from "./utf7.js";
import type { HeaderField, MessageSummary, ParsedDsn, ParseOptions, ReturnedOriginal } from "./types.js";

/** The two delivery-status types (RFC 3464 §2.1, RFC 6533 §6). */
export const DELIVERY_STATUS_TYPES: ReadonlySet<string> = new Set(["message/delivery-status", "message/global-delivery-status"]);
/** The types a returned original may have (RFC 6522 §3, RFC 6533 §6). */
export const ORIGINAL_TYPES: ReadonlySet<string> = new Set(["message/rfc822", "message/global", "text/rfc822-headers", "message/global-headers"]);

/** How the input's lines end: the line of the first bare LF and bare CR (-1 when none), and whether any CRLF occurs. */
export interface LineEnds {
  crlf: boolean;
  firstBareLf: number;
  firstBareCr: number;
}

/** Everything the reader saw; {@link checkDsn} runs its rules over it. */
export interface DsnScan {
  src: Source;
  limits: ResolvedParseLimits;
  notes: Collector;
  lineEnds?: LineEnds;
  tree?: MimeTree;
  report?: Entity;
  ds?: Entity;
  dsText?: string;
  dsBlocks?: DsBlocks;
  textPart?: Entity;
  originalPart?: Entity;
  originalHeader?: HeaderBlock;
  result?: ParsedDsn;
  error?: DsnParseError;
}

/** Plain alternations and classes: native scans that never backtrack. */
const BARE_LF = /(?:^|[^\r])\n/;
const BARE_CR = /\r(?:[^\n]|$)/;

function lineEnds(src: Source): LineEnds {
  const text = src.text;
  const lf = BARE_LF.exec(text);
  const cr = BARE_CR.exec(text);
  return {
    crlf: text.includes("\r\n"),
    firstBareLf: lf === null ? -1 : src.lineAt(lf.index + lf[0].length - 1),
    firstBareCr: cr === null ? -1 : src.lineAt(cr.index),
  };
}

function charsetOf(ct: MediaType): string {
  return (ct.params.get("charset") ?? "").toLowerCase().trim();
}

/** The octets of an entity's body after its Content-Transfer-Encoding, or its text when it has none. */
function bodyContent(scan: DsnScan, e: Entity): { bytes: Uint8Array } | { text: string } {
  const { src, notes } = scan;
  const slice = src.text.slice(e.bodyStart, e.bodyEnd);
  if (e.transferEncoding === "base64") {
    let bytes = decodeBase64(slice);
    if (bytes === undefined) {
      notes.add("base64-invalid", "the base64 body has characters outside the base64 alphabet; they are skipped", e.bodyLine);
      bytes = decodeBase64(slice, true)!;
    }
    return { bytes };
  }
  if (e.transferEncoding === "quoted-printable") {
    return { bytes: decodeQuotedPrintable(slice).bytes };
  }
  if (src.binary && !isAsciiString(slice)) return { bytes: binaryToBytes(slice) };
  return { text: slice };
}

/**
 * CRLF and bare CR as LF. Copied code unit by code unit into one buffer: a regular expression
 * replace costs a match per line break, which 50 MB of bare CRs made gigabytes of garbage.
 */
function normalizeLineEnds(s: string): string {
  const first = s.indexOf("\r");
  if (first < 0) return s;
  const out = new Uint16Array(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x0d) out[n++] = c;
    else {
      out[n++] = 0x0a;
      if (s.charCodeAt(i + 1) === 0x0a) i++;
    }
  }
  return unitsToString(out.subarray(0, n));
}

/**
 * A charset that could not be decoded: not registered with IANA (`rfc2046.charset`), or registered
 * but unknown to this platform's `TextDecoder` (a warning: the message is not at fault).
 */
function unknownCharset(scan: DsnScan, charset: string, where: number, how: string): void {
  if (isRegisteredCharset(charset))
    scan.notes.add("charset-undecodable", `the charset ${JSON.stringify(charset)} is registered, but this platform cannot decode it; the text is ${how}`, where);
  else scan.notes.add("charset-unknown", `the charset ${JSON.stringify(charset)} is not a name or alias in the IANA charset registry; the text is ${how}`, where);
}

/** An entity's body as text: transfer-decoded, charset-decoded, `\n` line ends. */
function bodyText(scan: DsnScan, e: Entity): string {
  const content = bodyContent(scan, e);
  const charset = charsetOf(e.contentType);
  const where = e.contentTypeField?.line ?? e.headerLine;
  let text: string;
  if ("bytes" in content) {
    const d = decodeBytes(content.bytes, charset);
    if (d.problem === "charset-unknown") unknownCharset(scan, charset, where, "read as UTF-8");
    else if (d.problem === "charset-mismatch")
      scan.notes.add("charset-mismatch", `the text is declared ${charset || "us-ascii"} but has octets that are not; read as ${charset === "utf-8" ? "windows-1252" : "UTF-8"}`, where);
    text = d.text;
  } else {
    text = content.text;
    if (UTF7_LABELS.has(charset)) text = decodeUtf7(text);
    else if (!isRegisteredCharset(charset) && charset !== "") unknownCharset(scan, charset, where, "read as it is");
    else if (!isKnownCharset(charset) && !isAsciiString(text)) unknownCharset(scan, charset, where, "read as it is");
    else if ((charset === "" || charset === "us-ascii") && !isAsciiString(text))
      scan.notes.add("charset-mismatch", `the text is declared ${charset || "us-ascii"} but is not ASCII; read as UTF-8`, where);
  }
  return normalizeLineEnds(text);
}

function summary(scan: DsnScan, fields: readonly RawField[]): MessageSummary {
  const m: MessageSummary = {};
  const from = findField(fields, "from");
  if (from !== undefined) {
    const mb = readMailboxHeader(from.value);
    if (mb !== undefined) m.from = mb;
  }
  const to = findField(fields, "to");
  if (to !== undefined) {
    const a = readMailboxHeader(to.value);
    if (a !== undefined) m.to = a.address;
  }
  const subject = findField(fields, "subject");
  if (subject !== undefined) m.subject = decodeEncodedWords(subject.value);
  const date = findField(fields, "date");
  if (date !== undefined) {
    const r = readRfc5322Date(date.value);
    if (!r.ok) scan.notes.add("date-unreadable", `Date ${JSON.stringify(date.value.slice(0, 60))} is not an RFC 5322 date-time: ${r.reason}`, date.line);
    else {
      for (const n of r.notes) scan.notes.add(n.code === "wrong-weekday" ? "date-weekday" : "date-obsolete", `Date: ${n.message}`, date.line);
      m.date = r.date;
    }
  }
  const id = findField(fields, "message-id");
  if (id !== undefined) m.messageId = id.value;
  const irt = findField(fields, "in-reply-to");
  if (irt !== undefined) m.inReplyTo = irt.value;
  return m;
}

function publicHeaders(fields: readonly RawField[], lineOffset = 0): HeaderField[] {
  return fields.map((f) => ({ name: f.name, value: f.value, line: f.line + lineOffset }));
}

/** Finds the report, the delivery-status part and its siblings in the MIME structure. */
function locate(scan: DsnScan, tree: MimeTree): void {
  const { entities } = tree;
  const root = entities[0]!;
  const { notes } = scan;
  let report: Entity | undefined;
  let ds: Entity | undefined;
  if (root.contentType.mediaType === "multipart/report") report = root;
  else report = entities.find((e) => e.contentType.mediaType === "multipart/report" && e.children.some((c) => DELIVERY_STATUS_TYPES.has(entities[c]!.contentType.mediaType)));
  if (report !== undefined) {
    const c = report.children.find((i) => DELIVERY_STATUS_TYPES.has(entities[i]!.contentType.mediaType));
    if (c !== undefined) ds = entities[c];
  }
  if (ds === undefined) {
    ds = entities.find((e) => DELIVERY_STATUS_TYPES.has(e.contentType.mediaType));
    if (ds !== undefined && report !== root) report = undefined;
  }
  if (ds === undefined) {
    const line = root.contentTypeField?.line ?? 1;
    throw new DsnParseError("not_a_dsn", `no message/delivery-status part: the message is ${root.contentType.mediaType}${root.contentType.mediaType === "multipart/report" ? " without one" : ""}`, line);
  }
  if (report !== root) {
    notes.add(
      "not-multipart-report",
      report !== undefined
        ? `the message is ${root.contentType.mediaType}; the multipart/report is nested inside it at line ${report.headerLine} instead of being the message itself (RFC 6522 §3)`
        : `the message is ${root.contentType.mediaType}, not multipart/report; its delivery-status part is at line ${ds.headerLine}`,
      root.contentTypeField?.line ?? 1,
    );
  }
  if (report !== undefined) {
    const rt = report.contentType.params.get("report-type");
    const where = report.contentTypeField?.line ?? report.headerLine;
    if (rt === undefined) notes.add("report-type-missing", "the multipart/report has no report-type parameter (RFC 6522 §3); read as delivery-status", where);
    else if (rt.toLowerCase() !== "delivery-status" && rt.toLowerCase() !== "global-delivery-status")
      notes.add("report-type-mismatch", `the multipart/report has report-type=${rt}, but its report is a delivery status`, where);
  }
  scan.report = report;
  scan.ds = ds;
  const siblings = report !== undefined ? report.children : ds.parent >= 0 ? entities[ds.parent]!.children : [ds.index];
  const at = siblings.indexOf(ds.index);
  if (at !== 1)
    notes.add("part-order", `the delivery-status part is part ${at + 1} of ${siblings.length}; RFC 6522 §3 puts it second, after the human-readable part`, ds.headerLine);
  if (at > 0) {
    let first = entities[siblings[0]!]!;
    if (first.contentType.type === "multipart") {
      // The first text/plain at any depth (Haraka nests multipart/alternative in multipart/related),
      // else the first text part. Entities are in document order: a part's descendants follow it.
      let plain: Entity | undefined;
      let text: Entity | undefined;
      for (let i = first.index + 1; i < entities.length && entities[i]!.depth > first.depth && plain === undefined; i++) {
        const e = entities[i]!;
        if (e.contentType.type !== "text") continue;
        if (e.contentType.subtype === "plain") plain = e;
        else text ??= e;
      }
      first = plain ?? text ?? first;
    }
    if (first.contentType.type === "text") scan.textPart = first;
  }
  const next = siblings[at + 1];
  if (next !== undefined && ORIGINAL_TYPES.has(entities[next]!.contentType.mediaType)) scan.originalPart = entities[next];
}

function readDeliveryStatusPart(scan: DsnScan, ds: Entity): { text: string; decoded: boolean } {
  const { src, notes } = scan;
  const global = ds.contentType.mediaType === "message/global-delivery-status";
  const encoded = ds.transferEncoding === "base64" || ds.transferEncoding === "quoted-printable";
  if (encoded && !global)
    notes.add("delivery-status-encoded", `the message/delivery-status part is ${ds.transferEncoding}-encoded; RFC 3464 §2.1 requires 7bit so that it stays readable`, ds.headerLine);
  let text: string;
  if (encoded) {
    const content = bodyContent(scan, ds);
    text = "bytes" in content ? utf8Decoder.decode(content.bytes) : content.text;
  } else {
    text = src.text.slice(ds.bodyStart, ds.bodyEnd);
    if (src.binary && !isAsciiString(text)) text = utf8Decoder.decode(binaryToBytes(text));
  }
  const at = global ? -1 : firstNonAscii(text);
  if (at >= 0)
    notes.add(
      "non-ascii-in-classic",
      "the message/delivery-status part has non-ASCII text, which only message/global-delivery-status may carry (RFC 6533 §6); read as UTF-8",
      encoded ? ds.headerLine : src.lineAt(ds.bodyStart + at),
    );
  return { text, decoded: encoded };
}

function readOriginalPart(scan: DsnScan, o: Entity): ReturnedOriginal {
  const { src, notes, limits } = scan;
  const type = o.contentType.mediaType;
  const whole = type === "message/rfc822" || type === "message/global";
  const what = "the header of the returned message";
  let block: HeaderBlock;
  let body: string | undefined;
  let lineOffset = 0;
  // A body is what follows the header: after its empty line, or (when a line that is not a field
  // ended the header without one) from that line on.
  if (o.transferEncoding === "base64" || o.transferEncoding === "quoted-printable") {
    const inner = new Source(bodyText(scan, o), false);
    block = readHeaderBlock(inner, 0, inner.text.length, 1, { limits, notes, what, original: true });
    lineOffset = o.bodyLine - 1;
    if (block.separator || block.bodyStart < inner.text.length) body = inner.text.slice(block.bodyStart);
  } else {
    block = readHeaderBlock(src, o.bodyStart, o.bodyEnd, o.bodyLine, { limits, notes, what, original: true });
    if (block.separator || block.bodyStart < o.bodyEnd) body = src.text.slice(block.bodyStart, o.bodyEnd);
  }
  scan.originalHeader = block;
  if (whole && body === undefined && block.fields.length > 0)
    notes.add("headers-only-message", `the ${type} part holds only a header (no empty line, no body); headers alone are text/rfc822-headers (RFC 6522 §4)`, o.headerLine);
  const original: ReturnedOriginal = { type, line: o.headerLine, headers: publicHeaders(block.fields, lineOffset) };
  if (whole && body !== undefined) original.body = body;
  return original;
}

const CR = /\r/g;

/** How many message/rfc822 parts are opened, and how deep, in search of a forwarded report. */
const MAX_FORWARD_TRIES = 16;
const MAX_FORWARD_DEPTH = 3;

/**
 * For a message with no delivery-status part: the structure of the first message/rfc822 (or
 * message/global) part, at any depth up to {@link MAX_FORWARD_DEPTH} forwards, that holds one
 * (a bounce forwarded as an attachment, as mail clients forward to a help desk). What reading
 * it tolerated is recorded after a `report-forwarded` tolerance that says where it was found.
 */
function forwardedReport(scan: DsnScan, outer: MimeTree): MimeTree | undefined {
  const { src, limits, notes } = scan;
  let level: MimeTree[] = [outer];
  let tries = 0;
  for (let depth = 0; depth < MAX_FORWARD_DEPTH && level.length > 0; depth++) {
    const next: MimeTree[] = [];
    for (const tree of level) {
      for (const e of tree.entities) {
        const type = e.contentType.mediaType;
        if ((type !== "message/rfc822" && type !== "message/global") || e.transferEncoding === "base64" || e.transferEncoding === "quoted-printable") continue;
        if (e.bodyStart >= e.bodyEnd || ++tries > MAX_FORWARD_TRIES) continue;
        const inner = new Collector(false);
        const t = scanMime(src, limits, inner, { start: e.bodyStart, end: e.bodyEnd });
        if (t.entities.some((x) => DELIVERY_STATUS_TYPES.has(x.contentType.mediaType))) {
          const root = outer.entities[0]!;
          notes.add(
            "report-forwarded",
            `the message is ${root.contentType.mediaType}, not a DSN; the DSN read is the ${type} attachment at line ${e.headerLine} (a forwarded bounce)`,
            e.headerLine,
          );
          for (const t2 of inner.tolerances) notes.add(t2.code, t2.message, t2.line);
          return t;
        }
        next.push(t);
      }
    }
    level = next;
  }
  return undefined;
}

/**
 * Reads a DSN. Never throws: a {@link DsnParseError} is returned in `error` (strict mode's too),
 * with what was read up to it.
 */
export function scanDsn(raw: unknown, options: ParseOptions = {}): DsnScan {
  const limits = resolveLimits(options.limits);
  const notes = new Collector(options.strict === true);
  const empty = new Source("", false);
  if (typeof raw !== "string" && !(raw instanceof Uint8Array)) {
    const what = raw === null ? "null" : Array.isArray(raw) ? "an array" : typeof raw;
    return { src: empty, limits, notes, error: new DsnParseError("invalid_input", `a DSN must be a string or a Uint8Array, not ${what}`, 1) };
  }
  if (raw.length === 0) return { src: empty, limits, notes, error: new DsnParseError("invalid_input", "the input is empty", 1) };
  if (raw.length > limits.maxInputLength)
    return { src: empty, limits, notes, error: new DsnParseError("limit_exceeded", `the input is ${raw.length} long; the limit is ${limits.maxInputLength} (limits.maxInputLength)`, 1) };
  let src = Source.from(raw);
  // A file with CRs and no LF at all ends its lines in CR alone (classic Mac OS tools, some
  // archivers): each CR is read as a line end. Lines keep their numbers.
  const crOnly = src.text.indexOf("\n") < 0 && src.text.indexOf("\r") >= 0;
  if (crOnly) src = new Source(src.text.replace(CR, "\n"), src.binary);
  const scan: DsnScan = { src, limits, notes };
  try {
    if (crOnly) notes.add("cr-line-ends", "every line ends in a bare CR, as in a file stored by a classic Mac OS tool; read as line ends (a message on the wire ends its lines in CRLF, RFC 5322 §2.3)", 1);
    else {
      const ends = lineEnds(src);
      scan.lineEnds = ends;
      if (ends.firstBareCr >= 0) notes.add("bare-cr", "a CR is not followed by LF; CR and LF occur only together, as CRLF (RFC 5322 §2.3)", ends.firstBareCr);
      if (ends.firstBareLf >= 0 && ends.crlf)
        notes.add("bare-lf", "an LF is not preceded by CR, while other lines end in CRLF; lines end in CRLF (RFC 5322 §2.3)", ends.firstBareLf);
      else if (ends.firstBareLf >= 0)
        notes.add("lf-line-ends", "every line ends in a bare LF, as in a Unix mailbox file; a message on the wire ends its lines in CRLF (RFC 5322 §2.3)", 1);
    }

    let tree = scanMime(src, limits, notes);
    if (!tree.entities.some((e) => DELIVERY_STATUS_TYPES.has(e.contentType.mediaType))) tree = forwardedReport(scan, tree) ?? tree;
    scan.tree = tree;
    const root = tree.entities[0]!;
    const message = summary(scan, root.headers);
    locate(scan, tree);
    const ds = scan.ds!;
    const dsRaw = readDeliveryStatusPart(scan, ds);
    scan.dsText = dsRaw.text;
    const blocks = readDsBlocks(dsRaw.text, { line: dsRaw.decoded ? ds.headerLine : ds.bodyLine, decoded: dsRaw.decoded }, notes, limits);
    scan.dsBlocks = blocks;
    const read = buildDeliveryStatus(blocks, notes, ds.headerLine);
    const result: ParsedDsn = {
      headers: publicHeaders(root.headers),
      message,
      deliveryStatus: read.deliveryStatus,
      details: {
        type: ds.contentType.mediaType as "message/delivery-status" | "message/global-delivery-status",
        transferEncoding: ds.transferEncoding,
        line: ds.headerLine,
        perMessage: read.perMessage,
        recipients: read.recipients,
      },
      tolerances: notes.tolerances,
    };
    if (scan.textPart !== undefined) result.explanation = bodyText(scan, scan.textPart);
    if (scan.originalPart !== undefined) result.original = readOriginalPart(scan, scan.originalPart);
    scan.result = result;
  } catch (e) {
    if (e instanceof DsnParseError) scan.error = e;
    else throw e;
  }
  return scan;
}
