/**
 * UTF-7 (RFC 2152; IANA's `UTF-7` and `UNICODE-1-1-UTF-7`, RFC 1642), which the platform's
 * `TextDecoder` does not know: ASCII as itself, other text as `+`, modified base64 of UTF-16BE,
 * and an optional `-`; `+-` is a plus sign.
 */

/** The value of each base64 character, -1 for others. Built once. */
const B64: Int8Array = (() => {
  const t = new Int8Array(128).fill(-1);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (let i = 0; i < alphabet.length; i++) t[alphabet.charCodeAt(i)] = i;
  return t;
})();

/** The charset labels that mean UTF-7 (lower-cased). */
export const UTF7_LABELS: ReadonlySet<string> = new Set(["utf-7", "csutf7", "unicode-1-1-utf-7", "csunicode11utf7"]);

/** Decodes UTF-7 octets (or the characters of an ASCII string). Octets of 0x80 and above are kept as U+FFFD. */
export function decodeUtf7(input: Uint8Array | string): string {
  const at = typeof input === "string" ? (i: number) => input.charCodeAt(i) : (i: number) => input[i]!;
  const n = input.length;
  let out = "";
  let i = 0;
  while (i < n) {
    const c = at(i);
    if (c !== 0x2b) {
      out += c < 0x80 ? String.fromCharCode(c) : "\ufffd";
      i++;
      continue;
    }
    i++;
    if (i < n && at(i) === 0x2d) {
      out += "+";
      i++;
      continue;
    }
    // A base64 run: six bits a character, a UTF-16 code unit every sixteen.
    let bits = 0;
    let nbits = 0;
    while (i < n) {
      const d = at(i);
      const v = d < 0x80 ? B64[d]! : -1;
      if (v < 0) break;
      bits = ((bits << 6) | v) & 0x3fffff;
      nbits += 6;
      if (nbits >= 16) {
        nbits -= 16;
        out += String.fromCharCode((bits >> nbits) & 0xffff);
      }
      i++;
    }
    if (i < n && at(i) === 0x2d) i++;
  }
  return out;
}
