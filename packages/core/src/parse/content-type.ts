/**
 * MIME header values: Content-Type with its parameters (RFC 2045 §5.1, RFC 2231 continuations and
 * charsets), and Content-Transfer-Encoding.
 */
import { decodeBytes } from "./source.js";

/** A parsed Content-Type: lower-cased type and subtype, parameters by lower-cased name. */
export interface MediaType {
  type: string;
  subtype: string;
  /** `type/subtype`, lower-cased. */
  mediaType: string;
  params: Map<string, string>;
}

/** RFC 2045 token characters: printable ASCII except tspecials `()<>@,;:\"/[]?=` and space. */
function isToken(c: number): boolean {
  if (c <= 0x20 || c >= 0x7f) return false;
  return !(
    c === 0x28 || c === 0x29 || c === 0x3c || c === 0x3e || c === 0x40 || c === 0x2c || c === 0x3b || c === 0x3a ||
    c === 0x5c || c === 0x22 || c === 0x2f || c === 0x5b || c === 0x5d || c === 0x3f || c === 0x3d
  );
}

class Lexer {
  i = 0;
  constructor(readonly s: string) {}
  /** Skips white space and (nested) comments. */
  skip(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) this.i++;
      else if (c === 0x28) {
        let depth = 0;
        for (; this.i < s.length; this.i++) {
          const d = s.charCodeAt(this.i);
          if (d === 0x5c) this.i++;
          else if (d === 0x28) depth++;
          else if (d === 0x29 && --depth === 0) break;
        }
        this.i++;
      } else break;
    }
  }
  token(): string {
    this.skip();
    const start = this.i;
    while (this.i < this.s.length && isToken(this.s.charCodeAt(this.i))) this.i++;
    return this.s.slice(start, this.i);
  }
  eat(c: number): boolean {
    this.skip();
    if (this.s.charCodeAt(this.i) !== c) return false;
    this.i++;
    return true;
  }
  /** A quoted-string's content (quoted-pairs undone), or a token, or, leniently, anything up to `;`. */
  value(): string {
    this.skip();
    const s = this.s;
    if (s.charCodeAt(this.i) === 0x22) {
      let out = "";
      let j = this.i + 1;
      let start = j;
      for (; j < s.length; j++) {
        const c = s.charCodeAt(j);
        if (c === 0x5c) {
          out += s.slice(start, j);
          start = j + 1;
          j++;
        } else if (c === 0x22) break;
      }
      out += s.slice(start, Math.min(j, s.length));
      this.i = j + 1;
      return out;
    }
    const start = this.i;
    while (this.i < s.length && isToken(s.charCodeAt(this.i))) this.i++;
    const tokenEnd = this.i;
    this.skip();
    if (this.i >= s.length || s.charCodeAt(this.i) === 0x3b) return s.slice(start, tokenEnd);
    // Not a token (`boundary=----=_Part_1`, `name=two words`): leniently, up to the next ";".
    while (this.i < s.length && s.charCodeAt(this.i) !== 0x3b) this.i++;
    let end = this.i;
    while (end > start && (s.charCodeAt(end - 1) === 0x20 || s.charCodeAt(end - 1) === 0x09)) end--;
    return s.slice(start, end);
  }
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

function percentDecode(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25 && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) {
      out[n++] = Number.parseInt(s.slice(i + 1, i + 3), 16);
      i += 2;
      continue;
    }
    out[n++] = c & 0xff;
  }
  return out.subarray(0, n);
}

/** Most parameters read from one Content-Type; blocks a value with millions of `;a=b`. */
const MAX_PARAMS = 64;

/**
 * Parses a Content-Type value. Returns `undefined` when it has no `type/subtype`. Parameters are
 * read leniently (an unquoted value runs to the next `;`); RFC 2231 continuations (`name*0`,
 * `name*1`) are joined and `name*=charset''text` values decoded.
 *
 * @example
 * parseContentType('multipart/report; report-type=delivery-status;\r\n\tboundary="a b"')?.params.get("boundary");
 * //=> "a b"
 */
export function parseContentType(value: string): MediaType | undefined {
  const lx = new Lexer(value);
  const type = lx.token().toLowerCase();
  if (type === "" || !lx.eat(0x2f)) return undefined;
  const subtype = lx.token().toLowerCase();
  if (subtype === "") return undefined;
  const params = new Map<string, string>();
  const parts = new Map<string, { index: number; value: string; encoded: boolean }[]>();
  for (let n = 0; n < MAX_PARAMS; n++) {
    if (!lx.eat(0x3b)) break;
    const name = lx.token().toLowerCase();
    if (name === "") continue;
    if (!lx.eat(0x3d)) continue;
    const v = lx.value();
    const star = name.indexOf("*");
    if (star < 0) {
      if (!params.has(name)) params.set(name, v);
      continue;
    }
    const base = name.slice(0, star);
    const rest = name.slice(star + 1);
    const encoded = rest.endsWith("*") || rest === "";
    const indexText = rest.endsWith("*") ? rest.slice(0, -1) : rest;
    const index = indexText === "" ? 0 : Number(indexText);
    if (!Number.isInteger(index) || index < 0 || index > 999) continue;
    let list = parts.get(base);
    if (list === undefined) parts.set(base, (list = []));
    list.push({ index, value: v, encoded });
  }
  for (const [name, list] of parts) {
    list.sort((a, b) => a.index - b.index);
    let charset = "";
    const bytes: number[] = [];
    let text = "";
    list.forEach((p, k) => {
      let v = p.value;
      if (p.encoded) {
        if (k === 0) {
          const q1 = v.indexOf("'");
          const q2 = q1 < 0 ? -1 : v.indexOf("'", q1 + 1);
          if (q2 >= 0) {
            charset = v.slice(0, q1).toLowerCase();
            v = v.slice(q2 + 1);
          }
        }
        for (const b of percentDecode(v)) bytes.push(b);
      } else {
        if (bytes.length > 0) {
          text += decodeBytes(Uint8Array.from(bytes), charset).text;
          bytes.length = 0;
        }
        text += v;
      }
    });
    if (bytes.length > 0) text += decodeBytes(Uint8Array.from(bytes), charset || "utf-8").text;
    if (!params.has(name)) params.set(name, text);
  }
  return { type, subtype, mediaType: `${type}/${subtype}`, params };
}

/** The Content-Transfer-Encoding mechanisms RFC 2045 §6.1 defines. */
export const TRANSFER_ENCODINGS: ReadonlySet<string> = new Set(["7bit", "8bit", "binary", "quoted-printable", "base64"]);

/**
 * Reads a Content-Transfer-Encoding value: lower-cased, comments dropped.
 *
 * @example
 * parseTransferEncoding(" Quoted-Printable (for the umlauts)");
 * //=> "quoted-printable"
 */
export function parseTransferEncoding(value: string): string {
  return new Lexer(value).token().toLowerCase();
}

/**
 * The first token of a structured value (comments and white space skipped), lower-cased:
 * `auto-replied` of `Auto-Submitted: auto-replied (DSN)`.
 *
 * @example
 * firstToken(" Auto-Replied; owner-email=a@example.com");
 * //=> "auto-replied"
 */
export function firstToken(value: string): string {
  return new Lexer(value).token().toLowerCase();
}
