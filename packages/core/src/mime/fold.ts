/**
 * Header folding (RFC 5322 §2.2.3): lines of at most 78 characters where possible and never
 * more than 998 octets. A field is folded only before a white-space character that is followed by
 * a non-white-space one, so every continuation line starts with one WSP and has content, and
 * unfolding (removing the CRLFs) gives back the value unchanged.
 */
import { isWsp, utf8Length } from "../syntax/text.js";

/** RFC 5322 §2.1.1: lines SHOULD be at most 78 characters, excluding the CRLF. */
export const SOFT_LINE_LIMIT = 78;
/** RFC 5322 §2.1.1: lines MUST be at most 998 octets, excluding the CRLF. */
export const HARD_LINE_LIMIT = 998;

/** A field whose line cannot be folded under 998 octets. */
export class LineTooLongError extends RangeError {
  override readonly name = "LineTooLongError";
}

/**
 * Where the line starting at `start` should end: the last break point at or before
 * `start + soft`, else the first one after it, else `line.length`. A break point is the index of a
 * WSP followed by a non-WSP, at or after `minBreak`.
 */
function nextBreak(line: string, start: number, minBreak: number, soft: number): number {
  const limit = Math.min(start + soft, line.length - 1);
  const floor = Math.max(start + 1, minBreak);
  for (let i = limit; i >= floor; i--) {
    if (isWsp(line.charCodeAt(i)) && !isWsp(line.charCodeAt(i + 1))) return i;
  }
  for (let i = Math.max(limit + 1, floor); i < line.length - 1; i++) {
    if (isWsp(line.charCodeAt(i)) && !isWsp(line.charCodeAt(i + 1))) return i;
  }
  return line.length;
}

/** Octets of line[start, end), counted only when it could exceed the hard limit. */
function segmentOctets(line: string, start: number, end: number): number {
  // A UTF-16 code unit is at most 3 octets of UTF-8, so 332 units always fit in 998 octets.
  return end - start <= 332 ? end - start : utf8Length(line.slice(start, end));
}

/**
 * Lines that hold RFC 2047 encoded-words are limited to 76 characters (RFC 2047 §2).
 */
export const ENCODED_WORD_LINE_LIMIT = 76;

/**
 * Writes `name: value`, folded to lines of at most `soft` characters where the value's white
 * space allows. The first line always keeps the start of the value (never `Name:` alone, which
 * some readers turn into a leading space). The result has no trailing CRLF.
 *
 * @throws {LineTooLongError} when a word is too long for any line to hold it in 998 octets.
 */
export function foldField(name: string, value: string, soft: number = SOFT_LINE_LIMIT): string {
  const line = name + ": " + value;
  if (line.length <= soft) return line;
  const minBreak = name.length + 2;
  let out = "";
  let start = 0;
  while (line.length - start > soft) {
    const end = nextBreak(line, start, minBreak, soft);
    if (segmentOctets(line, start, end) > HARD_LINE_LIMIT)
      throw new LineTooLongError(`${name} has a word too long to fold into lines of 998 octets`);
    if (end === line.length) break;
    out += line.slice(start, end) + "\r\n";
    start = end;
  }
  if (segmentOctets(line, start, line.length) > HARD_LINE_LIMIT)
    throw new LineTooLongError(`${name} has a word too long to fold into lines of 998 octets`);
  return start === 0 ? line : out + line.slice(start);
}

/**
 * True when `name: value` can be folded into lines of at most 998 octets.
 */
export function canFold(name: string, value: string): boolean {
  const line = name + ": " + value;
  if (line.length <= 332) return true;
  const minBreak = name.length + 2;
  let start = 0;
  while (start < line.length) {
    const end = line.length - start > SOFT_LINE_LIMIT ? nextBreak(line, start, minBreak, SOFT_LINE_LIMIT) : line.length;
    if (segmentOctets(line, start, end) > HARD_LINE_LIMIT) return false;
    start = end;
  }
  return true;
}
