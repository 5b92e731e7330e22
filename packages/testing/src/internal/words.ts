/**
 * Free text made of words and white space, in shapes that a header field can always fold under
 * 998 octets: no leading or trailing white space, runs of at most 3 SP/HTAB, and no word over
 * a given number of octets.
 */
import fc from "fast-check";
import { wordChar } from "./chars.js";
import { cutOctets, cutUnits, trimWsp } from "./text.js";

/** Options of {@link words}. */
export interface WordsOptions {
  unicode: boolean;
  /** Most words (before the length cut). */
  maxWords: number;
  /** Most UTF-16 code units of the whole text. */
  maxUnits: number;
  /** Most UTF-8 octets of one word. */
  maxWordOctets: number;
  /** Sometimes give words hundreds of characters long (cut to maxWordOctets). */
  longWords?: boolean;
}

const separator: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constant(" "), weight: 20 },
  { arbitrary: fc.constantFrom("  ", "\t", " \t", "   "), weight: 1 },
);

/** Words separated by white space; never empty, never starting or ending with white space. */
export function words(o: WordsOptions): fc.Arbitrary<string> {
  const short = fc.string({ unit: wordChar(o.unicode), minLength: 1, maxLength: 12 });
  const word = o.longWords
    ? fc.oneof(
        { arbitrary: short, weight: 12 },
        { arbitrary: fc.string({ unit: wordChar(o.unicode), minLength: 80, maxLength: 1200, size: "max" }), weight: 1 },
      )
    : short;
  return fc
    .array(fc.tuple(word, separator), { minLength: 1, maxLength: o.maxWords })
    .map((pairs) => {
      let out = "";
      pairs.forEach(([w, sep], i) => {
        out += (i > 0 ? sep : "") + cutOctets(w, o.maxWordOctets);
      });
      const text = trimWsp(cutUnits(out, o.maxUnits));
      return text === "" ? "x" : text;
    });
}

/** Lines of text joined by `\n`, `\r\n` or `\r` (chosen per text), for multi-line fields. */
export function lines(o: { unicode: boolean; maxLines: number; maxUnits: number; longLines?: boolean }): fc.Arbitrary<string> {
  const plain = words({ unicode: o.unicode, maxWords: 14, maxUnits: 400, maxWordOctets: 200 });
  const line = fc.oneof(
    { arbitrary: plain, weight: 16 },
    { arbitrary: fc.constant(""), weight: 3 },
    // Lines a MIME or SMTP writer must take care with.
    { arbitrary: fc.constantFrom("--", "--boundary", "-- ", ".", "..", "From the desk of", "=?UTF-8?B?aGk=?=", " indented", "trailing  "), weight: 2 },
  );
  // A line over 998 octets: the writer must encode or wrap it.
  const long = words({ unicode: o.unicode, maxWords: 400, maxUnits: 1500, maxWordOctets: 60 }).map((w) => (w.length < 1000 ? w + " " + "x".repeat(1000 - w.length) : w));
  const anyLine = o.longLines === false ? line : fc.oneof({ arbitrary: line, weight: 20 }, { arbitrary: long, weight: 1 });
  return fc
    .tuple(fc.array(anyLine, { minLength: 1, maxLength: o.maxLines }), fc.constantFrom("\n", "\n", "\r\n", "\r"), fc.boolean())
    .map(([ls, eol, finalEol]) => cutUnits(ls.join(eol) + (finalEol ? eol : ""), o.maxUnits));
}
