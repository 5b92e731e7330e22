/**
 * Character-level checks shared by validation, rendering and parsing. All are single passes over
 * the string with no allocation.
 *
 * The common case (nothing to report) is answered by a regular expression: V8 runs it as native
 * code over the string's characters after flattening it once, several times faster than a
 * `charCodeAt` loop, which must unwrap a concatenated or sliced string on every character (the
 * model's strings are often built with `+=` or cut with `slice`). Only when the expression finds
 * something does the exact loop run.
 */

/** Any code unit that is not ASCII. */
const NON_ASCII = /[^\x00-\x7f]/;
/** Anything {@link findForbidden} might report (every surrogate, even in a valid pair). */
const SUSPECT = /[^\t\x20-\x7e\xa0-\ud7ff\ue000-\uffff]/;
/** The same, CR and LF allowed. */
const SUSPECT_MULTILINE = /[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\uffff]/;

/** What {@link findForbidden} found. */
export interface Forbidden {
  index: number;
  /** The code unit found (for a lone surrogate, the surrogate). */
  code: number;
  kind: "control" | "surrogate";
}

/**
 * Finds the first character not allowed in text: C0 controls (but HTAB, and CR and LF when
 * `multiline`), DEL, C1 controls, and lone surrogates.
 */
export function findForbidden(s: string, multiline = false): Forbidden | undefined {
  if (!(multiline ? SUSPECT_MULTILINE : SUSPECT).test(s)) return undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20) {
      if (c === 0x09 || (multiline && (c === 0x0a || c === 0x0d))) continue;
      return { index: i, code: c, kind: "control" };
    }
    if (c < 0x7f) continue;
    if (c <= 0x9f) return { index: i, code: c, kind: "control" };
    if (c >= 0xd800 && c <= 0xdfff) {
      if (c <= 0xdbff) {
        const next = s.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          i++;
          continue;
        }
      }
      return { index: i, code: c, kind: "surrogate" };
    }
  }
  return undefined;
}

/** A person's name for a control character: `CR (U+000D)`. */
export function describeChar(code: number): string {
  const names: Record<number, string> = { 0: "NUL", 9: "TAB", 10: "LF", 13: "CR", 127: "DEL" };
  const hex = code.toString(16).toUpperCase().padStart(4, "0");
  const name = names[code];
  return name === undefined ? `U+${hex}` : `${name} (U+${hex})`;
}

/** True when every code unit is below 0x80. */
export function isAscii(s: string): boolean {
  return !NON_ASCII.test(s);
}

/** The number of octets `s` takes in UTF-8 (lone surrogates count as the 3 octets of U+FFFD). */
export function utf8Length(s: string): number {
  if (!NON_ASCII.test(s)) return s.length;
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n += 2; // 4 octets for 2 code units
        i++;
      } else n += 2;
    } else n += 2;
  }
  return n;
}

/** SP or HTAB. */
export function isWsp(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** RFC 5322 atext, as a lookup table over ASCII. */
export const ATEXT: Uint8Array = (() => {
  const t = new Uint8Array(128);
  for (let c = 0x30; c <= 0x39; c++) t[c] = 1;
  for (let c = 0x41; c <= 0x5a; c++) t[c] = 1;
  for (let c = 0x61; c <= 0x7a; c++) t[c] = 1;
  for (const ch of "!#$%&'*+-/=?^_`{|}~") t[ch.charCodeAt(0)] = 1;
  return t;
})();

/** True when `s` is a non-empty RFC 5322 atom (ASCII atext only). */
export function isAtom(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f || ATEXT[c] !== 1) return false;
  }
  return true;
}

/** Trims SP and HTAB (only) from both ends. */
export function trimWsp(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isWsp(s.charCodeAt(a))) a++;
  while (b > a && isWsp(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}
