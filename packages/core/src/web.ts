/**
 * The few Web-platform globals core uses (TextEncoder, TextDecoder, crypto.getRandomValues),
 * typed here so that the package compiles with no DOM or Node types: they exist in browsers,
 * workers, Deno, Bun and Node 20.
 */
interface TextEncoderLike {
  encode(input: string): Uint8Array;
}
interface TextDecoderLike {
  decode(input: Uint8Array): string;
}
interface WebGlobals {
  TextEncoder: new () => TextEncoderLike;
  TextDecoder: new (label: string, options?: { fatal?: boolean }) => TextDecoderLike;
  crypto?: { getRandomValues<T extends Uint8Array>(array: T): T };
}

const web = globalThis as unknown as WebGlobals;

/** UTF-8 encoder. */
export const utf8Encoder: TextEncoderLike = new web.TextEncoder();
/** UTF-8 decoder that replaces invalid sequences with U+FFFD. */
export const utf8Decoder: TextDecoderLike = new web.TextDecoder("utf-8");
/** UTF-8 decoder that throws on invalid sequences. */
export const strictUtf8Decoder: TextDecoderLike = new web.TextDecoder("utf-8", { fatal: true });

/** Fills `bytes` from the platform's cryptographic random source. */
export function fillRandom(bytes: Uint8Array): Uint8Array {
  const crypto = web.crypto;
  if (crypto === undefined) throw new Error("no crypto.getRandomValues on this platform: pass a boundary and a messageId");
  return crypto.getRandomValues(bytes);
}
