/**
 * Header blocks (RFC 5322 §2.2, §3.6): fields with their folding undone, the line each starts
 * on, and where the body starts. One pass, no copies for single-line fields.
 */
import { trimWsp } from "../syntax/text.js";
import type { Collector } from "./collector.js";
import { DsnParseError } from "./errors.js";
import type { ResolvedParseLimits } from "./limits.js";
import type { Source } from "./source.js";

/** A header field as read. */
export interface RawField {
  /** As written. */
  name: string;
  /** Lower-cased, for look-ups. */
  lower: string;
  /** Unfolded (line breaks removed) and trimmed. */
  value: string;
  /** The field's text as written, folding and line ends kept. */
  raw: string;
  line: number;
  start: number;
  end: number;
}

/** A header block as read. */
export interface HeaderBlock {
  fields: RawField[];
  /** Where the body starts (after the empty line, or where the header stopped). */
  bodyStart: number;
  /** The line `bodyStart` is on. */
  bodyLine: number;
  /** True when an empty line ended the header. */
  separator: boolean;
}

/** What reading a header block needs besides the text. */
export interface HeaderContext {
  limits: ResolvedParseLimits;
  notes: Collector;
  /** True for a line (start, content end) that is a boundary delimiter of an open multipart. */
  isDelimiter?: (lineStart: number, contentEnd: number) => boolean;
  /** Skip an mbox `From ` line before the first field. */
  mbox?: boolean;
  /**
   * The block is the returned original's header: its syntax faults are the original sender's,
   * recorded as `original-header-syntax` rather than as the DSN's own.
   */
  original?: boolean;
  /** What the block belongs to, for messages: "the message header", "the header of part 2". */
  what: string;
}

/** RFC 5322 §3.6.8: a field name is printable ASCII but the colon. */
export function isFieldNameRange(s: string, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 33 || c > 126 || c === 0x3a) return false;
  }
  return true;
}

/** Index of `ch` in `s[from, to)`, or -1. Bounded to one line, so a line without it costs one line. */
export function indexInRange(s: string, ch: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === ch) return i;
  return -1;
}

/** Removes the line breaks of a folded value. */
export function unfold(s: string): string {
  return s.includes("\n") ? s.replace(/\r?\n/g, "") : s;
}

/** A line break followed by a line that does not start with white space (a broken fold). */
const BROKEN_FOLD = /\r?\n(?![ \t])/g;

/** How many lines a broken fold is looked for past a line that is not a field. */
const FOLD_LOOKAHEAD = 8;

/**
 * Reads the header fields in `[start, end)` of the source, stopping at the first empty line, at a
 * boundary delimiter, or at a line that is neither a field nor a continuation (the body then
 * starts there: the empty line is missing).
 *
 * @throws {DsnParseError} `limit_exceeded` when the block is over `maxHeaderBytes` or `maxHeaderFields`.
 */
export function readHeaderBlock(src: Source, start: number, end: number, firstLine: number, ctx: HeaderContext): HeaderBlock {
  const text = src.text;
  const fields: RawField[] = [];
  const { limits, notes } = ctx;
  let pos = start;
  let line = firstLine;
  // The field being read: where it starts, its colon, where its last line's content ends.
  let fStart = -1;
  let fColon = -1;
  let fEnd = -1;
  let fLine = 0;
  let fMulti = false;
  let fBroken = false;
  const syntax = (code: "header-line-malformed" | "header-body-separator-missing" | "header-folding-without-whitespace" | "header-not-utf8") =>
    ctx.original === true ? "original-header-syntax" : code;
  const flush = () => {
    if (fStart < 0) return;
    let nameEnd = fColon;
    while (nameEnd > fStart && (text.charCodeAt(nameEnd - 1) === 0x20 || text.charCodeAt(nameEnd - 1) === 0x09)) nameEnd--;
    const name = text.slice(fStart, nameEnd);
    let rawValue = text.slice(fColon + 1, fEnd);
    // A line continued without white space is joined with one space, as the delivery-status reader does.
    if (fBroken) rawValue = rawValue.replace(BROKEN_FOLD, " ");
    let value = trimWsp(fMulti ? unfold(rawValue) : rawValue);
    if (src.binary) {
      const h = src.headerText(value);
      if (h.notUtf8) notes.add(syntax("header-not-utf8"), `${name} has 8-bit octets that are not UTF-8 (RFC 6532); read as windows-1252`, fLine);
      value = h.text;
    }
    if (fields.length >= limits.maxHeaderFields)
      throw new DsnParseError("limit_exceeded", `${ctx.what} has more than ${limits.maxHeaderFields} fields (limits.maxHeaderFields)`, fLine);
    fields.push({ name, lower: name.toLowerCase(), value, raw: text.slice(fStart, fEnd), line: fLine, start: fStart, end: fEnd });
    fStart = -1;
    fMulti = false;
    fBroken = false;
  };
  /**
   * True when the line that starts at `from` (not a field, not white space) continues the field
   * before it: a field or a continuation line follows within a few lines, before any empty line.
   * A fold whose white space was lost (some gateways and archivers do that) is then not taken
   * for the start of the body, which would lose the fields after it and the body's real start.
   */
  const brokenFold = (from: number): boolean => {
    let p = text.indexOf("\n", from);
    for (let n = 0; n < FOLD_LOOKAHEAD && p >= 0 && p + 1 < end; n++) {
      const ls = p + 1;
      const nl = text.indexOf("\n", ls);
      const le = nl < 0 || nl >= end ? end : nl;
      const ce = le > ls && text.charCodeAt(le - 1) === 0x0d ? le - 1 : le;
      if (ce === ls) return false;
      const c = text.charCodeAt(ls);
      if (c === 0x20 || c === 0x09) return true;
      if (c === 0x2d && text.charCodeAt(ls + 1) === 0x2d && ctx.isDelimiter?.(ls, ce) === true) return false;
      const colon = indexInRange(text, 0x3a, ls, ce);
      let nameEnd = colon;
      while (nameEnd > ls && (text.charCodeAt(nameEnd - 1) === 0x20 || text.charCodeAt(nameEnd - 1) === 0x09)) nameEnd--;
      if (colon >= 0 && isFieldNameRange(text, ls, nameEnd)) return true;
      p = nl < 0 || nl >= end ? -1 : nl;
    }
    return false;
  };
  while (pos < end) {
    const nl = text.indexOf("\n", pos);
    const le = nl < 0 || nl >= end ? end : nl;
    const next = le < end ? le + 1 : end;
    const ce = le > pos && text.charCodeAt(le - 1) === 0x0d ? le - 1 : le;
    if (ce === pos) {
      flush();
      return { fields, bodyStart: next, bodyLine: line + 1, separator: true };
    }
    if (ctx.isDelimiter !== undefined && text.charCodeAt(pos) === 0x2d && text.charCodeAt(pos + 1) === 0x2d && ctx.isDelimiter(pos, ce)) {
      flush();
      return { fields, bodyStart: pos, bodyLine: line, separator: false };
    }
    if (next - start > limits.maxHeaderBytes)
      throw new DsnParseError("limit_exceeded", `${ctx.what} is longer than ${limits.maxHeaderBytes} characters (limits.maxHeaderBytes)`, line);
    const c = text.charCodeAt(pos);
    if (c === 0x20 || c === 0x09) {
      if (fStart >= 0) {
        fEnd = ce;
        fMulti = true;
      } else notes.add(syntax("header-line-malformed"), `${ctx.what} starts with a continuation line that continues no field`, line);
    } else {
      const colon = indexInRange(text, 0x3a, pos, ce);
      let nameEnd = colon;
      while (nameEnd > pos && (text.charCodeAt(nameEnd - 1) === 0x20 || text.charCodeAt(nameEnd - 1) === 0x09)) nameEnd--;
      if (colon >= 0 && isFieldNameRange(text, pos, nameEnd)) {
        flush();
        fStart = pos;
        fColon = colon;
        fEnd = ce;
        fLine = line;
      } else if (ctx.mbox === true && fields.length === 0 && fStart < 0 && text.startsWith("From ", pos)) {
        notes.add("mbox-from-line", `the message starts with an mbox "From " line, which is not a header field`, line);
      } else if (fStart >= 0 && brokenFold(pos)) {
        notes.add(syntax("header-folding-without-whitespace"), `this line continues ${text.slice(fStart, fColon).trim()} but does not start with white space (RFC 5322 §2.2.3)`, line);
        fEnd = ce;
        fMulti = true;
        fBroken = true;
      } else {
        flush();
        notes.add(
          syntax("header-body-separator-missing"),
          `${ctx.what} has a line that is not a header field and no empty line before it; the body is read from here`,
          line,
        );
        return { fields, bodyStart: pos, bodyLine: line, separator: false };
      }
    }
    pos = next;
    line++;
  }
  flush();
  return { fields, bodyStart: end, bodyLine: line, separator: false };
}

/** The first field called `lower` (a lower-cased name). */
export function findField(fields: readonly RawField[], lower: string): RawField | undefined {
  for (const f of fields) if (f.lower === lower) return f;
  return undefined;
}
