/**
 * Quoted-printable decoding (RFC 2045 §6.7), lenient as §6.7 asks readers to be: transport padding
 * (white space at line ends) is dropped, soft line breaks are joined, and an `=` that starts no
 * valid escape is kept as it is.
 */
import { utf8Encoder } from "../web.js";

const HEX: Int8Array = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let c = 0; c < 10; c++) t[0x30 + c] = c;
  for (let c = 0; c < 6; c++) {
    t[0x41 + c] = 10 + c;
    t[0x61 + c] = 10 + c;
  }
  return t;
})();

function hex(c: number): number {
  return c < 128 ? HEX[c]! : -1;
}

/** What {@link decodeQuotedPrintable} gives: the octets (line breaks as LF) and whether an `=` was malformed. */
export interface QpDecoded {
  bytes: Uint8Array;
  malformed: boolean;
}

/**
 * Decodes quoted-printable text into octets. Characters above U+00FF (which quoted-printable
 * cannot hold) are taken as their UTF-8 octets. Hard line breaks become LF.
 */
export function decodeQuotedPrintable(s: string): QpDecoded {
  let wide = false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) { wide = true; break; }
  const out = new Uint8Array(wide ? s.length * 3 : s.length);
  let n = 0;
  let malformed = false;
  let pos = 0;
  while (pos <= s.length) {
    let nl = s.indexOf("\n", pos);
    const last = nl < 0;
    if (last) nl = s.length;
    let end = nl > pos && s.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl;
    while (end > pos && (s.charCodeAt(end - 1) === 0x20 || s.charCodeAt(end - 1) === 0x09)) end--;
    let soft = false;
    for (let i = pos; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x3d) {
        if (i === end - 1) {
          soft = true;
          break;
        }
        const h = hex(s.charCodeAt(i + 1));
        const l = hex(s.charCodeAt(i + 2));
        if (h >= 0 && l >= 0 && i + 2 < end) {
          out[n++] = (h << 4) | l;
          i += 2;
          continue;
        }
        malformed = true;
        out[n++] = c;
      } else if (c <= 0xff) out[n++] = c;
      else {
        const b = utf8Encoder.encode(String.fromCharCode(c));
        out.set(b, n);
        n += b.length;
      }
    }
    if (last) break;
    if (!soft) out[n++] = 0x0a;
    pos = nl + 1;
  }
  return { bytes: out.subarray(0, n), malformed };
}
