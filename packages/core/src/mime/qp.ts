/**
 * Quoted-printable (RFC 2045 §6.7) for the human-readable part.
 */
import { utf8Encoder } from "../web.js";

const HEX = "0123456789ABCDEF";
/** Encoded lines are at most 76 characters (RFC 2045 §6.7 rule 5), the soft break included. */
const MAX = 75;

/**
 * Encodes text (lines separated by `\n`) as quoted-printable UTF-8 with CRLF line ends.
 * Trailing white space is encoded so transports cannot strip it.
 */
export function encodeQuotedPrintable(text: string): string {
  const lines = text.split("\n");
  let out = "";
  for (let l = 0; l < lines.length; l++) {
    if (l > 0) out += "\r\n";
    const bytes = utf8Encoder.encode(lines[l]!);
    let len = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      const last = i === bytes.length - 1;
      const literal = (b >= 0x21 && b <= 0x7e && b !== 0x3d) || ((b === 0x20 || b === 0x09) && !last);
      const piece = literal ? String.fromCharCode(b) : "=" + HEX[b >> 4]! + HEX[b & 15]!;
      // Keep room for a soft break "=" unless this is the line's last piece.
      if (len + piece.length > (last ? MAX + 1 : MAX)) {
        out += "=\r\n";
        len = 0;
      }
      out += piece;
      len += piece.length;
    }
  }
  return out;
}
