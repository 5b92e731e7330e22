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
/**
 * Anything {@link findForbidden} might report (every surrogate, even in a valid pair; U+2028 and
 * U+2029).
 */
const SUSPECT = /[^\t\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\uffff]/;
/** The same, CR and LF allowed. */
const SUSPECT_MULTILINE = /[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\uffff]/;

/** What {@link findForbidden} found. */
export interface Forbidden {
  index: number;
  /** The code unit found (for a lone surrogate, the surrogate). */
  code: number;
  kind: "control" | "surrogate" | "line-separator";
}

/**
 * Finds the first character not allowed in text: C0 controls (but HTAB, and CR and LF when
 * `multiline`), DEL, C1 controls, lone surrogates, and U+2028 LINE SEPARATOR and U+2029
 * PARAGRAPH SEPARATOR. Every character that some reader takes as a line break is among them: CR,
 * LF, VT and FF (C0), NEL (C1), U+2028 and U+2029 (Unicode UAX #14 classes BK, CR, LF and NL;
 * JavaScript's `/^$/m` and Python's `str.splitlines()` split at all of them), so that no value
 * written into a field can start a line that a reader would take as a field of its own.
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
    if (c === 0x2028 || c === 0x2029) return { index: i, code: c, kind: "line-separator" };
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

/** Names of the characters messages mention. */
const CHAR_NAMES: ReadonlyMap<number, string> = new Map([
  [0, "NUL"], [9, "TAB"], [10, "LF"], [11, "VT"], [12, "FF"], [13, "CR"], [127, "DEL"], [0x85, "NEL"],
  [0x2028, "LINE SEPARATOR"], [0x2029, "PARAGRAPH SEPARATOR"],
]);

/** A person's name for a control character: `CR (U+000D)`. */
export function describeChar(code: number): string {
  const hex = code.toString(16).toUpperCase().padStart(4, "0");
  const name = CHAR_NAMES.get(code);
  return name === undefined ? `U+${hex}` : `${name} (U+${hex})`;
}

/** True for a character some reader takes as a line break: LF, VT, FF, CR, NEL, U+2028, U+2029. */
export function isLineBreakChar(code: number): boolean {
  return (code >= 0x0a && code <= 0x0d) || code === 0x85 || code === 0x2028 || code === 0x2029;
}

/**
 * What {@link findForbidden} found, in words: `the control character CR (U+000D) at character 4`,
 * `the line separator LINE SEPARATOR (U+2028) at character 4, a line break to Unicode readers`.
 */
export function describeForbidden(bad: Forbidden): string {
  if (bad.kind === "surrogate") return `a lone surrogate at character ${bad.index}`;
  if (bad.kind === "line-separator")
    return `the ${bad.code === 0x2028 ? "line" : "paragraph"} separator ${describeChar(bad.code)} at character ${bad.index}, a line break to Unicode readers`;
  return `the control character ${describeChar(bad.code)} at character ${bad.index}`;
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
