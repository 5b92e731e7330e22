/**
 * The input as one string, with line numbers on demand and text decoding.
 *
 * A `Uint8Array` that is valid UTF-8 is decoded once and read as Unicode. One that is not (8-bit
 * parts in a legacy charset) is read as a "binary string", one character per octet, so that
 * every part can later be decoded with its own charset; header values are then decoded as UTF-8
 * (RFC 6532), falling back to windows-1252.
 */
import { strictUtf8Decoder, utf8Decoder, utf8Encoder } from "../web.js";
import { decodeUtf7, UTF7_LABELS } from "./utf7.js";

interface TextDecoderLike {
  decode(input: Uint8Array): string;
}
const Decoder = (globalThis as unknown as { TextDecoder: new (label: string, options?: { fatal?: boolean }) => TextDecoderLike }).TextDecoder;

/** Charset labels that mean UTF-8 or its ASCII subset. */
const UTF8_LABELS = new Set(["utf-8", "utf8", "unicode-1-1-utf-8", "us-ascii", "ascii", "iso646-us", "ansi_x3.4-1968"]);
/** Decoders made for other charsets; bounded, since labels come from the input. */
const decoders = new Map<string, TextDecoderLike | null>();
const MAX_DECODERS = 64;
const windows1252: TextDecoderLike = new Decoder("windows-1252");

/** The decoder for a charset label, or `null` when the platform does not know it. */
function decoderFor(label: string): TextDecoderLike | null {
  let d = decoders.get(label);
  if (d !== undefined) return d;
  try {
    d = new Decoder(label);
  } catch {
    d = null;
  }
  if (decoders.size < MAX_DECODERS) decoders.set(label, d);
  return d;
}

/** Finds a code unit of 0x80 or more; a plain character class, so the engine never backtracks. */
const NON_ASCII = /[\x80-\uffff]/;

/** True when every code unit of `s` is below 0x80 (a native scan: fast on long strings). */
export function isAsciiString(s: string): boolean {
  return !NON_ASCII.test(s);
}

/** Index of the first code unit of 0x80 or more, or -1. */
export function firstNonAscii(s: string): number {
  const m = NON_ASCII.exec(s);
  return m === null ? -1 : m.index;
}

/** The octets of a binary string (each character one octet). */
export function binaryToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** The string of these code units (octets of a binary string, or UTF-16 code units), built in chunks. */
export function unitsToString(units: Uint8Array | Uint16Array): string {
  let out = "";
  const CHUNK = 8192;
  for (let i = 0; i < units.length; i += CHUNK)
    out += String.fromCharCode.apply(null, units.subarray(i, i + CHUNK) as unknown as number[]);
  return out;
}

/** True when `charset` (lower-cased; empty means us-ascii) can be decoded here: by the platform, or (UTF-7) by dsnkit. */
export function isKnownCharset(charset: string): boolean {
  return charset === "" || UTF8_LABELS.has(charset) || UTF7_LABELS.has(charset) || decoderFor(charset) !== null;
}

/** The result of decoding octets in a charset. */
export interface Decoded {
  text: string;
  /** Why the charset could not be used as declared, when it could not. */
  problem?: "charset-unknown" | "charset-mismatch";
}

/**
 * Decodes octets declared as `charset` (lower-cased; empty for none, which means us-ascii).
 * us-ascii text with 8-bit octets and invalid UTF-8 are read as UTF-8 with replacement, or as
 * windows-1252 when that is not UTF-8 at all; an unknown charset is read as UTF-8.
 */
export function decodeBytes(bytes: Uint8Array, charset: string): Decoded {
  const label = charset === "" ? "us-ascii" : charset;
  if (UTF8_LABELS.has(label)) {
    const ascii = label !== "utf-8" && label !== "utf8" && label !== "unicode-1-1-utf-8";
    let high = false;
    for (let i = 0; i < bytes.length; i++) if (bytes[i]! > 0x7f) { high = true; break; }
    if (!high) return { text: utf8Decoder.decode(bytes) };
    try {
      const text = strictUtf8Decoder.decode(bytes);
      return ascii ? { text, problem: "charset-mismatch" } : { text };
    } catch {
      return { text: windows1252.decode(bytes), problem: "charset-mismatch" };
    }
  }
  if (UTF7_LABELS.has(label)) return { text: decodeUtf7(bytes) };
  const d = decoderFor(label);
  if (d === null) return { text: utf8Decoder.decode(bytes), problem: "charset-unknown" };
  return { text: d.decode(bytes) };
}

/**
 * The input text and how to find line numbers in it.
 */
export class Source {
  readonly text: string;
  /** True when the input was octets that are not UTF-8: `text` holds one character per octet. */
  readonly binary: boolean;
  private cursor = 0;
  private cursorLine = 1;

  constructor(text: string, binary: boolean) {
    this.text = text;
    this.binary = binary;
  }

  /** Reads a string or octets. */
  static from(raw: string | Uint8Array): Source {
    if (typeof raw === "string") return new Source(raw, false);
    try {
      return new Source(strictUtf8Decoder.decode(raw), false);
    } catch {
      return new Source(unitsToString(raw), true);
    }
  }

  /** The 1-based line of `offset`. Cheap when called with increasing offsets. */
  lineAt(offset: number): number {
    const text = this.text;
    if (offset < this.cursor) {
      this.cursor = 0;
      this.cursorLine = 1;
    }
    let pos = this.cursor;
    let line = this.cursorLine;
    for (;;) {
      const nl = text.indexOf("\n", pos);
      if (nl < 0 || nl >= offset) break;
      line++;
      pos = nl + 1;
    }
    this.cursor = pos;
    this.cursorLine = line;
    return line;
  }

  /**
   * A header value as Unicode: as it is, or (for binary input with 8-bit octets) decoded as UTF-8,
   * else windows-1252. Returns whether the octets were not UTF-8.
   */
  headerText(s: string): { text: string; notUtf8: boolean } {
    if (!this.binary || isAsciiString(s)) return { text: s, notUtf8: false };
    const bytes = binaryToBytes(s);
    try {
      return { text: strictUtf8Decoder.decode(bytes), notUtf8: false };
    } catch {
      return { text: windows1252.decode(bytes), notUtf8: true };
    }
  }

  /** The octets of `text[start, end)`: as they are for binary input, else its UTF-8 encoding. */
  bytes(start: number, end: number): Uint8Array {
    const s = this.text.slice(start, end);
    return this.binary ? binaryToBytes(s) : utf8Encoder.encode(s);
  }
}
