/**
 * RFC 2047 encoded-words: finding them (for the checker) and decoding them in unstructured text
 * and phrases (for the reader).
 */
import { decodeBase64 } from "../mime/base64.js";
import { decodeBytes } from "./source.js";

/** RFC 2047 §2 especials: not allowed in a charset or encoding token. */
function isTokenChar(c: number): boolean {
  if (c <= 0x20 || c >= 0x7f) return false;
  // ( ) < > @ , ; : " / [ ] ? . =
  return !(
    c === 0x28 || c === 0x29 || c === 0x3c || c === 0x3e || c === 0x40 || c === 0x2c || c === 0x3b || c === 0x3a ||
    c === 0x22 || c === 0x2f || c === 0x5b || c === 0x5d || c === 0x3f || c === 0x2e || c === 0x3d
  );
}

/** A well-formed encoded-word found in text. */
export interface EncodedWord {
  start: number;
  end: number;
  charset: string;
  encoding: "b" | "q";
  encoded: string;
}

/**
 * The encoded-word starting at `i` (at its `=?`), or `undefined` when none starts there. The
 * encoded text may hold no white space and no `?` (RFC 2047 §2).
 */
export function encodedWordAt(s: string, i: number): EncodedWord | undefined {
  if (s.charCodeAt(i) !== 0x3d || s.charCodeAt(i + 1) !== 0x3f) return undefined;
  let j = i + 2;
  const csStart = j;
  while (j < s.length && isTokenChar(s.charCodeAt(j))) j++;
  if (j === csStart || s.charCodeAt(j) !== 0x3f) return undefined;
  const charset = s.slice(csStart, j);
  const enc = s.charCodeAt(j + 1) | 0x20;
  if ((enc !== 0x62 && enc !== 0x71) || s.charCodeAt(j + 2) !== 0x3f) return undefined;
  const textStart = j + 3;
  let k = textStart;
  while (k < s.length) {
    const c = s.charCodeAt(k);
    if (c === 0x3f) break;
    if (c <= 0x20 || c >= 0x7f) return undefined;
    k++;
  }
  if (s.charCodeAt(k) !== 0x3f || s.charCodeAt(k + 1) !== 0x3d) return undefined;
  return { start: i, end: k + 2, charset, encoding: enc === 0x62 ? "b" : "q", encoded: s.slice(textStart, k) };
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x57 : -1;
}

function decodeQ(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5f) out[n++] = 0x20;
    else if (c === 0x3d && hexValue(text.charCodeAt(i + 1)) >= 0 && hexValue(text.charCodeAt(i + 2)) >= 0) {
      out[n++] = (hexValue(text.charCodeAt(i + 1)) << 4) | hexValue(text.charCodeAt(i + 2));
      i += 2;
    } else out[n++] = c;
  }
  return out.subarray(0, n);
}

function isWspOnly(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}

/** Decodes one encoded-word, or `undefined` when its octets cannot be decoded. */
export function decodeEncodedWord(w: EncodedWord): string | undefined {
  const bytes = w.encoding === "b" ? decodeBase64(w.encoded) : decodeQ(w.encoded);
  if (bytes === undefined) return undefined;
  const star = w.charset.indexOf("*"); // RFC 2231 §5: charset*language
  const charset = (star < 0 ? w.charset : w.charset.slice(0, star)).toLowerCase();
  return decodeBytes(bytes, charset).text;
}

/**
 * Decodes the encoded-words of unstructured text (a Subject) or of a phrase (a display name):
 * white space between two adjacent encoded-words is dropped (RFC 2047 §6.2); malformed ones are
 * kept as they are.
 *
 * @example
 * decodeEncodedWords("=?UTF-8?B?R3LDvA==?= =?UTF-8?Q?=C3=9Fe?= aus");
 * //=> "Grüße aus"
 */
export function decodeEncodedWords(text: string): string {
  if (!text.includes("=?")) return text;
  let out = "";
  let i = 0;
  let lastWasWord = false;
  while (i < text.length) {
    const q = text.indexOf("=?", i);
    if (q < 0) {
      out += text.slice(i);
      break;
    }
    const w = encodedWordAt(text, q);
    const decoded = w === undefined ? undefined : decodeEncodedWord(w);
    if (w === undefined || decoded === undefined) {
      out += text.slice(i, q + 2);
      lastWasWord = false;
      i = q + 2;
      continue;
    }
    // White space between two adjacent encoded-words is not displayed (RFC 2047 §6.2).
    if (!(lastWasWord && isWspOnly(text, i, q))) out += text.slice(i, q);
    out += decoded;
    lastWasWord = true;
    i = w.end;
  }
  return out;
}
