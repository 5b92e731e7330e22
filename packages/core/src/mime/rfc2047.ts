/**
 * RFC 2047 encoded-words for non-ASCII display names and Subjects, and RFC 5322 phrases.
 */
import { ATEXT, isAscii } from "../syntax/text.js";
import { utf8Encoder } from "../web.js";
import { encodeBase64 } from "./base64.js";

/**
 * 39 octets of UTF-8 make 52 characters of base64: with `=?UTF-8?B?` and `?=`, a 64-character
 * word, so `Subject: ` and one word fit the 76-character line RFC 2047 §2 allows.
 */
const WORD_OCTETS = 39;

/**
 * Encodes text as `=?UTF-8?B?...?=` encoded-words separated by spaces, each at most 75
 * characters (RFC 2047 §2), never splitting a character between two words.
 */
export function encodeWords(text: string): string {
  const words: string[] = [];
  let chunk = "";
  let octets = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (octets + n > WORD_OCTETS) {
      words.push(word(chunk));
      chunk = "";
      octets = 0;
    }
    chunk += ch;
    octets += n;
  }
  if (chunk !== "" || words.length === 0) words.push(word(chunk));
  return words.join(" ");
}

function word(chunk: string): string {
  return `=?UTF-8?B?${encodeBase64(utf8Encoder.encode(chunk))}?=`;
}

/**
 * Writes an unstructured header value (Subject): as is when ASCII, else encoded-words.
 */
export function encodeUnstructured(text: string): string {
  return isAscii(text) && !text.includes("=?") ? text : encodeWords(text);
}

/**
 * Writes a display name as an RFC 5322 phrase: atoms as they are, other ASCII as a
 * quoted-string, non-ASCII as encoded-words.
 */
export function encodePhrase(name: string): string {
  if (!isAscii(name)) return encodeWords(name);
  let plain = name.length > 0 && !name.includes("=?") && name.charCodeAt(0) !== 0x20 && !name.endsWith(" ");
  for (let i = 0; plain && i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x20) {
      if (name.charCodeAt(i + 1) === 0x20) plain = false;
    } else if (ATEXT[c] !== 1) plain = false;
  }
  if (plain) return name;
  return `"${name.replace(/["\\]/g, "\\$&")}"`;
}
