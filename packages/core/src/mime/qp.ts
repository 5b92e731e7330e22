/**
 * Quoted-printable (RFC 2045 §6.7) for the human-readable part.
 */

const HEX = "0123456789ABCDEF";
/** Encoded lines are at most 76 characters (RFC 2045 §6.7 rule 5), the soft break included. */
const MAX = 75;

function hex(b: number): string {
  return "=" + HEX[b >> 4]! + HEX[b & 15]!;
}

/** The quoted-printable form of one code point: its UTF-8 octets, kept together on one line. */
function encodeCodePoint(cp: number): string {
  if (cp < 0x800) return hex(0xc0 | (cp >> 6)) + hex(0x80 | (cp & 63));
  if (cp < 0x10000) return hex(0xe0 | (cp >> 12)) + hex(0x80 | ((cp >> 6) & 63)) + hex(0x80 | (cp & 63));
  return hex(0xf0 | (cp >> 18)) + hex(0x80 | ((cp >> 12) & 63)) + hex(0x80 | ((cp >> 6) & 63)) + hex(0x80 | (cp & 63));
}

/**
 * Encodes text (lines separated by `\n`) as quoted-printable UTF-8 with CRLF line ends. Trailing
 * white space is encoded so transports cannot strip it, and soft line breaks never split the
 * octets of one character.
 */
export function encodeQuotedPrintable(text: string): string {
  let out = "";
  let len = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      out += "\r\n";
      len = 0;
      continue;
    }
    const last = i + 1 === text.length || text.charCodeAt(i + 1) === 0x0a;
    let piece: string;
    if ((c >= 0x21 && c <= 0x7e && c !== 0x3d) || ((c === 0x20 || c === 0x09) && !last)) piece = text[i]!;
    else if (c < 0x80) piece = hex(c);
    else {
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) i++;
      piece = encodeCodePoint(cp);
    }
    // Keep room for a soft break "=" unless this piece ends the line.
    const ends = i + 1 === text.length || text.charCodeAt(i + 1) === 0x0a;
    if (len + piece.length > (ends ? MAX + 1 : MAX)) {
      out += "=\r\n";
      len = 0;
    }
    out += piece;
    len += piece.length;
  }
  return out;
}
