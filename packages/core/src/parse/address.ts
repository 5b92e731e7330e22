/**
 * The first mailbox of an address header (From, To): `Display Name <addr>`, `"Quoted, Name"
 * <addr>`, `=?UTF-8?B?...?= <addr>`, or a bare `addr` with comments. Quoted strings are skipped
 * when looking for `<`, `>` and `,`, so `<">"@example.com>` is one address.
 */
import type { Mailbox } from "../model.js";
import { trimWsp } from "../syntax/text.js";
import { findAddress, skipComment, skipQuoted } from "../syntax/address.js";
import { decodeEncodedWords } from "./rfc2047.js";

/** The content of the quoted string `s[start, end]` (both quotes included), quoted-pairs undone. */
function unquote(s: string, start: number, end: number): string {
  // Sliced between quoted-pairs rather than built a character at a time.
  let out = "";
  let from = start + 1;
  for (let i = from; i < end; i++) {
    if (s.charCodeAt(i) === 0x5c && i + 1 < end) {
      out += s.slice(from, i);
      from = ++i;
    }
  }
  return out + s.slice(from, end);
}

/**
 * The display name in `value[start, end)`: quoted strings unquoted, comments dropped, encoded-words
 * decoded outside quoted strings, white space at the ends trimmed (not inside quotes).
 */
function displayName(value: string, start: number, end: number): string {
  const parts: { text: string; quoted: boolean }[] = [];
  // Unquoted text is sliced between quoted strings and comments, not built a character at a time.
  let plain = "";
  let from = start;
  for (let i = start; i < end; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x22) {
      const close = Math.min(skipQuoted(value, i), end);
      parts.push({ text: plain + value.slice(from, i), quoted: false }, { text: unquote(value, i, close), quoted: true });
      plain = "";
      i = close;
      from = i + 1;
    } else if (c === 0x28) {
      plain += value.slice(from, i) + " ";
      i = skipComment(value, i);
      from = i + 1;
    }
  }
  parts.push({ text: plain + value.slice(Math.min(from, end), end), quoted: false });
  const first = parts.findIndex((p) => p.quoted || trimWsp(p.text) !== "");
  if (first < 0) return "";
  let last = parts.length - 1;
  while (!parts[last]!.quoted && trimWsp(parts[last]!.text) === "") last--;
  let name = "";
  for (let k = first; k <= last; k++) {
    const p = parts[k]!;
    let text = p.text;
    if (!p.quoted) {
      if (k === first) text = text.trimStart();
      if (k === last) text = text.trimEnd();
      text = decodeEncodedWords(text);
    }
    name += text;
  }
  return name;
}

/**
 * Reads the first mailbox of an address header value; `undefined` when there is none (or `<>`).
 *
 * @example
 * readMailboxHeader('"Doe, Jane" <"j>d"@example.org>, other@example.org');
 * //=> { name: "Doe, Jane", address: '"j>d"@example.org' }
 */
export function readMailboxHeader(value: string): Mailbox | undefined {
  const found = findAddress(value);
  if (found === undefined || found.address === "") return undefined;
  const address = trimWsp(found.address);
  const name = found.angle < 0 ? "" : displayName(value, found.nameStart, found.angle);
  return name === "" ? { address } : { name, address };
}
