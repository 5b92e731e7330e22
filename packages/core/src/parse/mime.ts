/**
 * The MIME structure (RFC 2045, RFC 2046 §5.1) in one forward pass and without recursion: every
 * entity's headers, content type and body range. Open multiparts are kept on an explicit stack,
 * and each candidate delimiter line (a line starting with `--`) is matched against the open
 * boundaries from the innermost outwards, so a delimiter of an outer multipart also ends inner
 * ones that were never closed. `message/*` bodies are not descended into: a returned original is
 * opaque to the structure, whatever it contains.
 */
import type { Collector } from "./collector.js";
import { parseContentType, parseTransferEncoding, TRANSFER_ENCODINGS } from "./content-type.js";
import type { MediaType } from "./content-type.js";
import { DsnParseError } from "./errors.js";
import { findField, readHeaderBlock } from "./headers.js";
import type { RawField } from "./headers.js";
import type { ResolvedParseLimits } from "./limits.js";
import type { Source } from "./source.js";

/** A MIME entity: the message itself or one of its parts, at any depth. */
export interface Entity {
  index: number;
  /** Index of the multipart that holds it; -1 for the message. */
  parent: number;
  /** 0 for the message, 1 for its parts, ... */
  depth: number;
  /** Position among its parent's parts (0-based). */
  position: number;
  headerStart: number;
  headerLine: number;
  headers: RawField[];
  /** True when an empty line ended the header. */
  separator: boolean;
  contentType: MediaType;
  /** The Content-Type field, when there is one (absent means text/plain; charset=us-ascii). */
  contentTypeField?: RawField;
  /** Lower-cased Content-Transfer-Encoding; `7bit` when absent. */
  transferEncoding: string;
  bodyStart: number;
  bodyLine: number;
  /** End of the body: before the line break that precedes the next delimiter. */
  bodyEnd: number;
  /** For an opened multipart: its boundary and what was found of its delimiters. */
  boundary?: string;
  children: number[];
  delimiterSeen: boolean;
  closed: boolean;
  /** Line of the close delimiter (or where the multipart ended unclosed). */
  endLine: number;
}

/** A line that starts with `--` and an open boundary but is not a delimiter (RFC 2046 §5.1.1). */
export interface BoundaryPrefixLine {
  line: number;
  boundary: string;
}

/** The MIME structure of a message. */
export interface MimeTree {
  entities: Entity[];
  prefixLines: BoundaryPrefixLine[];
}

interface Frame {
  entity: number;
  boundary: string;
  /** The part being read; -1 in the preamble or epilogue. */
  openPart: number;
}

/** RFC 2046 §5.1.1 bchars, and 1 to 70 of them not ending in a space. */
export function boundaryProblem(b: string): string | undefined {
  if (b.length === 0) return "it is empty";
  if (b.length > 70) return `it is ${b.length} characters long; the limit is 70`;
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    const ok =
      (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
      c === 0x27 || c === 0x28 || c === 0x29 || c === 0x2b || c === 0x5f || c === 0x2c || c === 0x2d ||
      c === 0x2e || c === 0x2f || c === 0x3a || c === 0x3d || c === 0x3f || c === 0x20;
    if (!ok) return `it has the character ${JSON.stringify(b[i])}, which is not allowed in a boundary`;
  }
  if (b.charCodeAt(b.length - 1) === 0x20) return "it ends with a space";
  return undefined;
}

/** message types that RFC 2046 §5.2 allows only 7bit, 8bit or binary (message/global may be encoded: RFC 6532 §3.5). */
const COMPOSITE: ReadonlySet<string> = new Set(["message/rfc822", "message/partial", "message/external-body"]);
const TEXT_PLAIN: MediaType = Object.freeze({ type: "text", subtype: "plain", mediaType: "text/plain", params: new Map<string, string>() });
/** Most boundary-prefix lines remembered (the checker reports a few; the rest are counted by it). */
const MAX_PREFIX_LINES = 100;

/** A part of the source read as a message of its own: the body of a message/rfc822 part. */
export interface MessageRange {
  start: number;
  end: number;
}

/**
 * Reads the MIME structure of the whole source, or of the message in `range` (a forwarded
 * message's body): offsets and lines stay those of the whole source.
 *
 * @throws {DsnParseError} `limit_exceeded` over `maxParts`, or from a header over its limits.
 */
export function scanMime(src: Source, limits: ResolvedParseLimits, notes: Collector, range?: MessageRange): MimeTree {
  const text = src.text;
  const end = range?.end ?? text.length;
  const entities: Entity[] = [];
  const prefixLines: BoundaryPrefixLine[] = [];
  const stack: Frame[] = [];

  /** The open level whose delimiter the line [ls, ce) is, and whether it closes; or undefined. */
  const matchDelimiter = (ls: number, ce: number): { level: number; close: boolean } | undefined => {
    let prefixOf: string | undefined;
    for (let k = stack.length - 1; k >= 0; k--) {
      const b = stack[k]!.boundary;
      if (ce - ls - 2 < b.length || !text.startsWith(b, ls + 2)) continue;
      let after = ls + 2 + b.length;
      const close = text.charCodeAt(after) === 0x2d && text.charCodeAt(after + 1) === 0x2d;
      if (close) after += 2;
      let rest = after;
      while (rest < ce && (text.charCodeAt(rest) === 0x20 || text.charCodeAt(rest) === 0x09)) rest++;
      if (rest === ce) return { level: k, close };
      prefixOf ??= b;
    }
    if (prefixOf !== undefined && prefixLines.length < MAX_PREFIX_LINES) prefixLines.push({ line: src.lineAt(ls), boundary: prefixOf });
    return undefined;
  };

  const lineContentEnd = (ls: number): number => {
    const nl = text.indexOf("\n", ls);
    const le = nl < 0 || nl > end ? end : nl;
    return le > ls && text.charCodeAt(le - 1) === 0x0d ? le - 1 : le;
  };

  /** The next delimiter line at or after `pos` (a line start). */
  const findDelimiter = (pos: number): { ls: number; next: number; level: number; close: boolean } | undefined => {
    let ls = text.charCodeAt(pos) === 0x2d && text.charCodeAt(pos + 1) === 0x2d && (pos === 0 || text.charCodeAt(pos - 1) === 0x0a) ? pos : -1;
    if (ls < 0) {
      const j = text.indexOf("\n--", pos === 0 ? 0 : pos - 1);
      ls = j < 0 ? -1 : j + 1;
    }
    while (ls >= 0 && ls < end) {
      const ce = lineContentEnd(ls);
      const m = matchDelimiter(ls, ce);
      if (m !== undefined) {
        const nl = text.indexOf("\n", ce);
        return { ls, next: nl < 0 || nl >= end ? end : nl + 1, level: m.level, close: m.close };
      }
      const j = text.indexOf("\n--", ls);
      ls = j < 0 ? -1 : j + 1;
    }
    return undefined;
  };

  const isDelimiter = (ls: number, ce: number): boolean => stack.length > 0 && matchDelimiter(ls, ce) !== undefined;

  const makeEntity = (start: number, parent: number, depth: number, position: number): Entity => {
    if (entities.length >= limits.maxParts)
      throw new DsnParseError("limit_exceeded", `the message has more than ${limits.maxParts} MIME parts (limits.maxParts)`, src.lineAt(start));
    const line = src.lineAt(start);
    const what = parent < 0 ? "the message header" : `the header of a part at line ${line}`;
    const block = readHeaderBlock(src, start, end, line, { limits, notes, isDelimiter, mbox: parent < 0 && range === undefined, what });
    const ctField = findField(block.fields, "content-type");
    let contentType = TEXT_PLAIN;
    if (ctField !== undefined) {
      const ct = parseContentType(ctField.value);
      if (ct === undefined) notes.add("content-type-invalid", `Content-Type ${JSON.stringify(ctField.value.slice(0, 80))} has no type/subtype; read as text/plain`, ctField.line);
      else contentType = ct;
    }
    const cteField = findField(block.fields, "content-transfer-encoding");
    let transferEncoding = "7bit";
    if (cteField !== undefined) {
      transferEncoding = parseTransferEncoding(cteField.value);
      if (!TRANSFER_ENCODINGS.has(transferEncoding)) {
        notes.add("transfer-encoding-invalid", `Content-Transfer-Encoding ${JSON.stringify(cteField.value.slice(0, 40))} is not one RFC 2045 defines; the body is read as it is`, cteField.line);
      } else if (COMPOSITE.has(contentType.mediaType) || contentType.type === "multipart") {
        if (transferEncoding === "base64" || transferEncoding === "quoted-printable")
          notes.add("transfer-encoding-invalid", `a ${contentType.mediaType} entity may only be 7bit, 8bit or binary (RFC 2045 §6.4, RFC 2046 §5.2.1), not ${transferEncoding}`, cteField.line);
      }
    }
    const e: Entity = {
      index: entities.length,
      parent,
      depth,
      position,
      headerStart: start,
      headerLine: line,
      headers: block.fields,
      separator: block.separator,
      contentType,
      transferEncoding,
      bodyStart: block.bodyStart,
      bodyLine: block.bodyLine,
      bodyEnd: end,
      children: [],
      delimiterSeen: false,
      closed: false,
      endLine: 0,
    };
    if (ctField !== undefined) e.contentTypeField = ctField;
    entities.push(e);
    return e;
  };

  /** Opens a multipart entity (pushes its boundary), or leaves it a leaf when it cannot be. */
  const open = (e: Entity): void => {
    if (e.contentType.type !== "multipart") return;
    let boundary = e.contentType.params.get("boundary");
    const where = e.contentTypeField?.line ?? e.headerLine;
    if (boundary === undefined || boundary === "") {
      boundary = e.parent < 0 ? guessBoundary(src, e.bodyStart, end) : undefined;
      if (boundary === undefined) {
        notes.add("boundary-missing", `${e.contentType.mediaType} has no boundary parameter; its parts cannot be found`, where);
        return;
      }
      notes.add("boundary-missing", `${e.contentType.mediaType} has no boundary parameter; read with the boundary ${JSON.stringify(boundary)} found in its body`, where);
    }
    if (stack.length >= limits.maxDepth) {
      notes.add("nesting-too-deep", `multiparts are nested more than ${limits.maxDepth} deep (limits.maxDepth); the deeper ones are not read`, e.headerLine);
      return;
    }
    e.boundary = boundary;
    stack.push({ entity: e.index, boundary, openPart: -1 });
  };

  const root = makeEntity(range?.start ?? 0, -1, 0, 0);
  open(root);
  let pos = root.bodyStart;
  while (stack.length > 0) {
    const found = findDelimiter(pos);
    if (found === undefined) {
      const endLine = src.lineAt(end);
      for (let k = stack.length - 1; k >= 0; k--) {
        const f = stack[k]!;
        const m = entities[f.entity]!;
        if (f.openPart >= 0) entities[f.openPart]!.bodyEnd = Math.max(entities[f.openPart]!.bodyStart, end);
        m.endLine = endLine;
        if (!m.delimiterSeen) notes.add("delimiter-missing", `no line of the ${m.contentType.mediaType} body is its delimiter --${f.boundary}: it has no parts`, m.contentTypeField?.line ?? m.headerLine);
        else notes.add("closing-delimiter-missing", `the ${m.contentType.mediaType} that starts at line ${m.headerLine} has no closing delimiter --${f.boundary}--`, endLine);
      }
      stack.length = 0;
      break;
    }
    // The line break before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
    let contentEnd = found.ls;
    if (contentEnd > 0 && text.charCodeAt(contentEnd - 1) === 0x0a) contentEnd--;
    if (contentEnd > 0 && text.charCodeAt(contentEnd - 1) === 0x0d) contentEnd--;
    const line = src.lineAt(found.ls);
    while (stack.length - 1 > found.level) {
      const f = stack.pop()!;
      const m = entities[f.entity]!;
      if (f.openPart >= 0) entities[f.openPart]!.bodyEnd = Math.max(entities[f.openPart]!.bodyStart, contentEnd);
      m.endLine = line;
      if (!m.delimiterSeen) notes.add("delimiter-missing", `no line of the ${m.contentType.mediaType} body is its delimiter --${f.boundary}: it has no parts`, m.contentTypeField?.line ?? m.headerLine);
      else notes.add("closing-delimiter-missing", `the ${m.contentType.mediaType} that starts at line ${m.headerLine} has no closing delimiter --${f.boundary}-- before line ${line}`, line);
    }
    const frame = stack[found.level]!;
    const multipart = entities[frame.entity]!;
    if (frame.openPart >= 0) entities[frame.openPart]!.bodyEnd = Math.max(entities[frame.openPart]!.bodyStart, contentEnd);
    multipart.delimiterSeen = true;
    if (found.close) {
      multipart.closed = true;
      multipart.endLine = line;
      stack.pop();
      pos = found.next;
      continue;
    }
    const part = makeEntity(found.next, multipart.index, multipart.depth + 1, multipart.children.length);
    multipart.children.push(part.index);
    frame.openPart = part.index;
    open(part);
    pos = part.bodyStart;
  }
  // Multiparts that were not opened, and leaves, end where their parent's part ended (set above),
  // or at the end of the input.
  return { entities, prefixLines };
}

/** For a multipart with no boundary: the first line of its body that looks like a delimiter. */
function guessBoundary(src: Source, from: number, end: number): string | undefined {
  const text = src.text;
  let ls = text.startsWith("--", from) ? from : -1;
  if (ls < 0) {
    const j = text.indexOf("\n--", from === 0 ? 0 : from - 1);
    ls = j < 0 ? -1 : j + 1;
  }
  if (ls < 0 || ls >= end) return undefined;
  const nl = text.indexOf("\n", ls);
  let ce = nl < 0 || nl > end ? end : nl;
  if (ce > ls && text.charCodeAt(ce - 1) === 0x0d) ce--;
  while (ce > ls && (text.charCodeAt(ce - 1) === 0x20 || text.charCodeAt(ce - 1) === 0x09)) ce--;
  const b = text.slice(ls + 2, ce);
  return boundaryProblem(b) === undefined ? b : undefined;
}
