/**
 * RFC 6533 §3 address encodings for the `utf-8` address type: `utf-8-addr-xtext` (7-bit, every
 * non-ASCII character as `\x{HHHH}`) and `utf-8-addr-unitext` (UTF-8 kept, for
 * message/global-delivery-status). Both escape what QCHAR excludes: controls, space, `+`, `=`
 * and `\`.
 */

/** Encodes an address for `utf-8;`. With `unitext`, non-ASCII characters stay as they are. */
export function encodeUtf8Address(address: string, unitext: boolean): string {
  let out = "";
  for (const ch of address) {
    const cp = ch.codePointAt(0)!;
    const qchar = cp >= 0x21 && cp <= 0x7e && cp !== 0x2b && cp !== 0x3d && cp !== 0x5c;
    if (qchar || (unitext && cp > 0x7f)) out += ch;
    else out += `\\x{${cp.toString(16).toUpperCase().padStart(2, "0")}}`;
  }
  return out;
}

/**
 * Decodes `\x{HHHH}` escapes (any case, 1 to 6 hex digits). Returns `undefined` when an escape is
 * malformed or names no Unicode scalar value.
 */
export function decodeUtf8Address(text: string): string | undefined {
  if (!text.includes("\\")) return text;
  let out = "";
  let i = 0;
  while (i < text.length) {
    const slash = text.indexOf("\\", i);
    if (slash < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, slash);
    if (text.charCodeAt(slash + 1) !== 0x78 || text.charCodeAt(slash + 2) !== 0x7b) return undefined;
    const close = text.indexOf("}", slash + 3);
    if (close < 0 || close - (slash + 3) < 1 || close - (slash + 3) > 6) return undefined;
    const hex = text.slice(slash + 3, close);
    if (!/^[0-9A-Fa-f]+$/.test(hex)) return undefined;
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    out += String.fromCodePoint(cp);
    i = close + 1;
  }
  return out;
}
