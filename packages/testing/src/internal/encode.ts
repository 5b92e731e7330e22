/**
 * Encodings the original-message arbitrary needs, without Node's Buffer: base64 of bytes in
 * 76-character lines, and header folding at white space.
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Base64 (RFC 4648) of `bytes`, in lines of 76 characters joined by CRLF (RFC 2045 §6.8). */
export function base64Lines(bytes: Uint8Array): string {
  let out = "";
  let line = 0;
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = i + 1 < bytes.length ? bytes[i + 1]! : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2]! : 0;
    const n = (a << 16) | (b << 8) | c;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : "=";
    out += i + 2 < bytes.length ? ALPHABET[n & 63]! : "=";
    line += 4;
    if (line === 76 && i + 3 < bytes.length) {
      out += "\r\n";
      line = 0;
    }
  }
  return out;
}

/**
 * Folds `name: value` before white space so lines stay near `width` characters; every
 * continuation line starts with the white space it was folded at (RFC 5322 §2.2.3).
 */
export function foldHeader(name: string, value: string, width = 76): string {
  const words = value.split(" ");
  let out = `${name}:`;
  let line = out.length;
  for (const w of words) {
    if (line + 1 + w.length > width && line > name.length + 1) {
      out += "\r\n";
      line = 0;
    }
    out += " " + w;
    line += 1 + w.length;
  }
  return out;
}
