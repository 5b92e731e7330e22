/**
 * @module
 */
import fc from "fast-check";
import { RFC3464_FIELD_NAMES } from "@dsnkit/core";
import type { ExtensionField } from "@dsnkit/core";
import { alnum } from "./internal/chars.js";
import { words } from "./internal/words.js";

/**
 * Constraints of {@link extensionField}.
 *
 * @example
 * const c: ExtensionFieldConstraints = { unicode: false };
 */
export interface ExtensionFieldConstraints {
  /** Allow non-ASCII in the Value. Default `true`. */
  unicode?: boolean;
}

/** Names real MTAs write, most with their `X-` already. */
const KNOWN_NAMES = [
  "Postfix-Sender",
  "X-Postfix-Queue-ID",
  "Rule",
  "Queue-Id",
  "X-Mailer-Daemon",
  "Actual-Recipient",
  "X-Original-To",
  "Sender-IP",
  "x-ses-rule",
  "X-Status-Detail",
  "Status-Reason",
  "Final-Recipient-Alias",
  "X",
  "x-",
  "-",
];

const nameChar = fc.oneof({ arbitrary: alnum, weight: 8 }, { arbitrary: fc.constant("-"), weight: 1 });

/** SES's rule: 1 to 50 of `[A-Za-z0-9-]`, never an RFC 3464 field name (in any case). */
export const extensionName: fc.Arbitrary<string> = fc
  .oneof(
    { arbitrary: fc.constantFrom(...KNOWN_NAMES), weight: 2 },
    { arbitrary: fc.string({ unit: nameChar, minLength: 1, maxLength: 16 }), weight: 5 },
    // RFC 3464 names: must not be used as they are, so they get an X- (X-Status is allowed).
    { arbitrary: fc.constantFrom(...RFC3464_FIELD_NAMES), weight: 1 },
    { arbitrary: fc.string({ unit: nameChar, minLength: 40, maxLength: 50, size: "max" }), weight: 1 },
  )
  .map(
    (name) => (RFC3464_FIELD_NAMES.has(name.toLowerCase()) ? `X-${name}` : name),
  );

/** Values that fold under 998 octets whatever the name: no word over 900 octets, at most 2048 characters. */
export function extensionValue(unicode: boolean): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: words({ unicode, maxWords: 8, maxUnits: 2048, maxWordOctets: 900 }), weight: 12 },
    // Long values that must be folded, some with words hundreds of octets long.
    { arbitrary: words({ unicode, maxWords: 300, maxUnits: 2048, maxWordOctets: 900, longWords: true }), weight: 2 },
    // Empty, or white space only: SES allows it, and it is written as an empty value.
    { arbitrary: fc.constantFrom("", " "), weight: 1 },
    // Values with structure a careless writer may break.
    { arbitrary: fc.constantFrom("a; b; c", "key=value", "=?UTF-8?Q?x?=", "<id@example.com>", "(comment)", "100%", "a:b:c"), weight: 1 },
  );
}

/**
 * Generates SES extension fields `{ Name, Value }` that SES and `@dsnkit/core` accept: the
 * Name 1 to 50 characters of `[A-Za-z0-9-]` and not an RFC 3464 field name (`Status`,
 * `Action`, ... get an `X-`), names real MTAs use, and names at the 50-character limit; the
 * Value at most 2048 characters with no control characters (tabs allowed), sometimes long enough
 * to need folding, sometimes empty, never with a word too long to fold under 998 octets.
 *
 * @param constraints - whether the Value may hold non-ASCII.
 * @returns an arbitrary of extension fields.
 * @example
 * fc.sample(extensionField({ unicode: false }), { numRuns: 2, seed: 5 });
 * //=> e.g. [{ Name: "Rule", Value: "k9 a=b" }, { Name: "X-Status", Value: "x" }]
 */
export function extensionField(constraints: ExtensionFieldConstraints = {}): fc.Arbitrary<ExtensionField> {
  const unicode = constraints.unicode ?? true;
  return fc.record({ Name: extensionName, Value: extensionValue(unicode) });
}
