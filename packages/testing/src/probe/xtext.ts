/**
 * RFC 3461 §4 xtext, the encoding of the DSN extension's ENVID and ORCPT parameters: every octet
 * outside `!` to `~`, and `+` and `=` themselves, is written `+XX` (two upper-case hex digits).
 *
 * @module
 */

/**
 * Encodes ASCII text as RFC 3461 xtext.
 *
 * @param text - ASCII text (each character is one octet).
 * @returns the xtext.
 * @throws {RangeError} for a character beyond ASCII: xtext carries octets, and the DSN extension
 *   asks for ASCII (RFC 3461 §4.4, §4.2).
 * @example
 * encodeXtext("a+b c=d");
 * //=> "a+2Bb+20c+3Dd"
 */
export function encodeXtext(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) throw new RangeError(`xtext carries ASCII only; ${JSON.stringify(text[i])} at ${i} is not`);
    // RFC 3461 §4: xchar is "!" to "~" except "+" and "=".
    if (c >= 0x21 && c <= 0x7e && c !== 0x2b && c !== 0x3d) out += text[i];
    else out += "+" + c.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/**
 * Decodes RFC 3461 xtext.
 *
 * @param xtext - The encoded text.
 * @returns the text, or `undefined` when it is not xtext (a `+` without two hex digits, an `=`,
 *   or a character outside `!` to `~`).
 * @example
 * decodeXtext("a+2Bb+20c+3Dd");
 * //=> "a+b c=d"
 */
export function decodeXtext(xtext: string): string | undefined {
  let out = "";
  for (let i = 0; i < xtext.length; i++) {
    const c = xtext.charCodeAt(i);
    if (c === 0x2b) {
      const hex = xtext.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return undefined;
      out += String.fromCharCode(parseInt(hex, 16));
      i += 2;
    } else if (c >= 0x21 && c <= 0x7e && c !== 0x3d) out += xtext[i];
    else return undefined;
  }
  return out;
}
