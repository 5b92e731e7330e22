/**
 * The first mailbox of an address header (From, To): `Display Name <addr>`, `"Quoted, Name"
 * <addr>`, `=?UTF-8?B?...?= <addr>`, or a bare `addr` with comments. Quoted strings are skipped
 * when looking for `<`, `>` and `,`, so `<">"@example.com>` is one address.
 */
import type { Mailbox } from "../model.js";
import { trimWsp } from "../syntax/text.js";
import { decodeEncodedWords } from "./rfc2047.js";

/** The end of the quoted string starting at `i` (its closing quote), or the end of `s`. */
function skipQuoted(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 0x5c) j++;
    else if (c === 0x22) return j;
  }
  return s.length;
}

/** The end of the comment starting at `i` (its closing parenthesis), or the end of `s`. */
function skipComment(s: string, i: number): number {
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 0x5c) j++;
    else if (c === 0x28) depth++;
    else if (c === 0x29 && --depth === 0) return j;
  }
  return s.length;
}

/** The content of the quoted string `s[start, end]` (both quotes included), quoted-pairs undone. */
function unquote(s: string, start: number, end: number): string {
  let out = "";
  for (let i = start + 1; i < end; i++) {
    if (s.charCodeAt(i) === 0x5c && i + 1 < end) i++;
    out += s[i];
  }
  return out;
}

/**
 * The display name in `value[0, end)`: quoted strings unquoted, comments dropped, encoded-words
 * decoded outside quoted strings, white space at the ends trimmed (not inside quotes).
 */
function displayName(value: string, end: number): string {
  const parts: { text: string; quoted: boolean }[] = [];
  let plain = "";
  for (let i = 0; i < end; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x22) {
      const close = Math.min(skipQuoted(value, i), end);
      parts.push({ text: plain, quoted: false }, { text: unquote(value, i, close), quoted: true });
      plain = "";
      i = close;
    } else if (c === 0x28) {
      i = skipComment(value, i);
      plain += " ";
    } else plain += value[i];
  }
  parts.push({ text: plain, quoted: false });
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
  let bare = "";
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x22) {
      const end = skipQuoted(value, i);
      bare += value.slice(i, end + 1);
      i = end;
    } else if (c === 0x28) {
      i = skipComment(value, i);
    } else if (c === 0x3c) {
      let j = i + 1;
      for (; j < value.length; j++) {
        const d = value.charCodeAt(j);
        if (d === 0x22) j = skipQuoted(value, j);
        else if (d === 0x3e) break;
      }
      let address = trimWsp(value.slice(i + 1, j));
      if (address.startsWith("@")) address = address.slice(address.indexOf(":") + 1); // obsolete source route
      if (address === "") return undefined;
      const name = displayName(value, i);
      return name === "" ? { address } : { name, address };
    } else if (c === 0x2c) break;
    else bare += value[i];
  }
  const address = trimWsp(bare);
  return address === "" ? undefined : { address };
}
