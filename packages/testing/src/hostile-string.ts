/**
 * @module
 */
import fc from "fast-check";
import { alnum } from "./internal/chars.js";

/**
 * The kinds of trouble {@link hostileString} puts into a string:
 *
 * | kind | what it adds |
 * |---|---|
 * | `crlf` | CR LF pairs, `\r\n\r\n` (a header/body break) |
 * | `bare-lf` | LF without CR |
 * | `bare-cr` | CR without LF |
 * | `nul` | NUL (U+0000) |
 * | `control` | other C0 controls and DEL (U+0001–U+0008, U+000B, U+000C, U+000E–U+001F, U+007F) |
 * | `header-injection` | a line break followed by a header field (`\r\nBcc: ...`) |
 * | `unicode-line-break` | a line break only some readers see (U+2028, U+2029, NEL, VT, FF), alone or followed by a field (`\u2028Final-Recipient: rfc822; forged@example.net`) |
 * | `boundary` | lines that look like MIME boundaries (`--=_dsnkit_...`, `--boundary--`), on their own line |
 * | `smtp-dot` | a line holding only `.` (SMTP end of data) and a `From ` line (mbox) |
 * | `eight-bit` | bytes 0x80–0xFF read as Latin-1 (C1 controls, NBSP, ÿ) |
 * | `lone-surrogate` | a UTF-16 surrogate without its pair |
 * | `encoded-word` | RFC 2047 encoded-words, some hiding CR LF (`=?UTF-8?Q?=0D=0A?=`) |
 * | `invisible` | zero-width and bidirectional controls (U+200B, U+202E, U+FEFF, U+2028) |
 * | `long-token` | a token of 5,000 to 6,000 characters with no white space |
 * | `long-line` | a line of 1,000+ characters made of short words |
 *
 * @example
 * const kind: HostileKind = "bare-cr";
 */
export type HostileKind =
  | "crlf"
  | "bare-lf"
  | "bare-cr"
  | "nul"
  | "control"
  | "header-injection"
  | "unicode-line-break"
  | "boundary"
  | "smtp-dot"
  | "eight-bit"
  | "lone-surrogate"
  | "encoded-word"
  | "invisible"
  | "long-token"
  | "long-line";

/**
 * Every {@link HostileKind}.
 *
 * @example
 * HOSTILE_KINDS.includes("nul");
 * //=> true
 */
export const HOSTILE_KINDS: readonly HostileKind[] = Object.freeze([
  "crlf",
  "bare-lf",
  "bare-cr",
  "nul",
  "control",
  "header-injection",
  "unicode-line-break",
  "boundary",
  "smtp-dot",
  "eight-bit",
  "lone-surrogate",
  "encoded-word",
  "invisible",
  "long-token",
  "long-line",
]);

/**
 * Constraints of {@link hostileString}.
 *
 * @example
 * const c: HostileStringConstraints = { kinds: ["crlf", "nul"], maxFragments: 2 };
 */
export interface HostileStringConstraints {
  /** The kinds of trouble to use. Default: all of them. */
  kinds?: readonly HostileKind[];
  /** Most hostile fragments in one string (at least one is always there). Default 3. */
  maxFragments?: number;
}

function codeUnits(ranges: readonly [number, number][]): fc.Arbitrary<string> {
  return fc.oneof(...ranges.map(([a, b]) => fc.integer({ min: a, max: b }).map((c) => String.fromCharCode(c))));
}

const word = fc.string({ unit: alnum, minLength: 1, maxLength: 8 });
const boundaryName = fc.oneof(
  fc.constantFrom("=_dsnkit_", "boundary", "----=_Part_0_1234567.1700000000000", "=_NextPart_000_0001", "simple boundary", ""),
  fc.string({ unit: alnum, minLength: 1, maxLength: 30 }),
);

const FRAGMENTS: Readonly<Record<HostileKind, fc.Arbitrary<string>>> = {
  crlf: fc.constantFrom("\r\n", "\r\n\r\n", "\r\n \r\n"),
  "bare-lf": fc.constantFrom("\n", "\n\n", "\n "),
  "bare-cr": fc.constantFrom("\r", "\r\r", "\r "),
  nul: fc.constantFrom("\0", "\0\0"),
  control: codeUnits([
    [0x01, 0x08],
    [0x0b, 0x0c],
    [0x0e, 0x1f],
    [0x7f, 0x7f],
  ]),
  "header-injection": fc
    .tuple(fc.constantFrom("\r\n", "\n", "\r"), fc.constantFrom("Bcc", "To", "Content-Type", "Subject", "Status", "Action", "Final-Recipient"), word)
    .map(([eol, name, value]) => `${eol}${name}: ${value}`),
  // Python's str.splitlines() and JavaScript's /^...$/m split at these; MIME readers do not.
  "unicode-line-break": fc
    .tuple(
      fc.constantFrom("\u2028", "\u2029", "\u0085", "\v", "\f"),
      fc.option(fc.constantFrom("Final-Recipient: rfc822; forged@example.net", "Status: 2.0.0", "Action: delivered", "Bcc: x@example.net"), { nil: "" }),
    )
    .map(([eol, field]) => eol + field),
  boundary: fc
    .tuple(fc.constantFrom("\r\n", "\n"), boundaryName, fc.constantFrom("", "--"))
    .map(([eol, name, end]) => `${eol}--${name}${end}${eol}`),
  "smtp-dot": fc.constantFrom("\r\n.\r\n", "\n.\n", "\r\nFrom sender@example.com Thu Nov 26 10:00:00 2026\r\n", "\r\n..\r\n"),
  "eight-bit": fc.string({ unit: codeUnits([[0x80, 0xff]]), minLength: 1, maxLength: 6 }),
  // Each surrogate is kept apart from others, so two fragments never pair up into one character.
  "lone-surrogate": fc.oneof(
    codeUnits([[0xd800, 0xdbff]]).map((c) => c + "x"),
    codeUnits([[0xdc00, 0xdfff]]).map((c) => "x" + c),
  ),
  "encoded-word": fc.constantFrom("=?UTF-8?B?aGVsbG8=?=", "=?UTF-8?Q?=0D=0ABcc:_x@example.com?=", "=?utf-8?q?=00?=", "=?ISO-8859-1?Q?caf=E9?=", "=?x?B?"),
  invisible: fc.constantFrom("\u200b", "\u202e", "\ufeff", "\u2028", "\u2029", "\u00ad", "\u061c"),
  "long-token": fc
    .tuple(fc.string({ unit: alnum, minLength: 1, maxLength: 20 }), fc.integer({ min: 5000, max: 6000 }))
    .map(([seed, n]) => seed.repeat(Math.ceil(n / seed.length)).slice(0, n)),
  "long-line": fc.integer({ min: 1000, max: 1500 }).map((n) => "word ".repeat(Math.ceil(n / 5)).slice(0, n)),
};

/**
 * Generates strings that break careless mail code: CR and LF where no line break may be, NUL
 * and other controls, header injection, lines that look like MIME boundaries or SMTP's final
 * dot, 8-bit bytes, lone surrogates, encoded-words, invisible characters, and 5,000-character
 * tokens. Each string is ordinary text with at least one hostile fragment in it, so shrinking
 * ends at the fragment that matters.
 *
 * Most kinds make a string that `@dsnkit/core` rejects in a one-line field (CR, LF, NUL,
 * controls, Unicode line breaks, lone surrogates, tokens too long to fold); `boundary`, `encoded-word`, `invisible`,
 * `long-line` and `eight-bit` (when it holds no C1 control) may be accepted, and must then be
 * written safely.
 *
 * @param constraints - which kinds, and how many fragments at most.
 * @returns an arbitrary of strings.
 * @throws {RangeError} for an empty or unknown kind, or maxFragments below 1.
 * @example
 * fc.sample(hostileString({ kinds: ["header-injection"] }), { numRuns: 1, seed: 2 });
 * //=> e.g. ["ab\r\nBcc: x1"]
 */
export function hostileString(constraints: HostileStringConstraints = {}): fc.Arbitrary<string> {
  const kinds = constraints.kinds ?? HOSTILE_KINDS;
  const maxFragments = constraints.maxFragments ?? 3;
  if (kinds.length === 0) throw new RangeError("hostileString: kinds must name at least one kind");
  for (const k of kinds)
    if (!HOSTILE_KINDS.includes(k)) throw new RangeError(`hostileString: unknown kind ${JSON.stringify(k)}; the kinds are ${HOSTILE_KINDS.join(", ")}`);
  if (!Number.isInteger(maxFragments) || maxFragments < 1) throw new RangeError("hostileString: maxFragments must be a whole number, 1 or more");
  const fragment = fc.oneof(...kinds.map((k) => FRAGMENTS[k]));
  const filler = fc.oneof({ withCrossShrink: true }, fc.constant(""), word, fc.constant(" "));
  return fc
    .tuple(filler, fc.array(fc.tuple(fragment, filler), { minLength: 1, maxLength: maxFragments }))
    .map(([head, rest]) => head + rest.map(([f, w]) => f + w).join(""));
}
