/**
 * Character arbitraries the other arbitraries build on: ASCII classes of RFC 5321/5322 and
 * letters of real scripts for internationalized text.
 */
import fc from "fast-check";

function range(from: number, to: number): fc.Arbitrary<string> {
  return fc.integer({ min: from, max: to }).map(
    (cp) => String.fromCodePoint(cp),
    (ch) => {
      if (typeof ch !== "string") throw new Error("not a character");
      const cp = ch.codePointAt(0);
      if (cp === undefined || cp < from || cp > to || String.fromCodePoint(cp) !== ch) throw new Error("out of range");
      return cp;
    },
  );
}

function chars(list: string): fc.Arbitrary<string> {
  return fc.constantFrom(...Array.from(list));
}

/** Lower-case ASCII letters. */
export const lower: fc.Arbitrary<string> = range(0x61, 0x7a);
/** Upper-case ASCII letters. */
export const upper: fc.Arbitrary<string> = range(0x41, 0x5a);
/** ASCII digits. */
export const digit: fc.Arbitrary<string> = range(0x30, 0x39);

/** Letters and digits, mostly lower case. */
export const alnum: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: lower, weight: 6 },
  { arbitrary: digit, weight: 2 },
  { arbitrary: upper, weight: 1 },
);

/** RFC 5322 atext, mostly letters and digits; `.-_+` often, the other specials now and then. */
export const atext: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: alnum, weight: 12 },
  { arbitrary: chars("-_+"), weight: 2 },
  { arbitrary: chars("!#$%&'*/=?^`{|}~"), weight: 1 },
);

/** Letters, digits and hyphen (host name labels). */
export const ldh: fc.Arbitrary<string> = fc.oneof({ arbitrary: alnum, weight: 10 }, { arbitrary: fc.constant("-"), weight: 1 });

/**
 * Lower-case letters of scripts written left to right whose code points IDNA2008 allows in
 * U-labels: Latin-1, Greek, Cyrillic, Devanagari, Hiragana, CJK, Hangul.
 */
export const idnLetter: fc.Arbitrary<string> = fc.oneof(
  range(0xdf, 0xf6), // ß..ö
  range(0xf8, 0xff), // ø..ÿ
  range(0x3b1, 0x3c9), // Greek α..ω
  range(0x430, 0x44f), // Cyrillic а..я
  range(0x905, 0x939), // Devanagari vowels and consonants
  range(0x3041, 0x3096), // Hiragana
  range(0x4e00, 0x9fa5), // CJK unified ideographs
  range(0xac00, 0xd7a3), // Hangul syllables
);

/** Non-ASCII characters for local parts and text: the IDN letters plus Latin Extended-A, Hebrew, Arabic and emoji. */
export const unicodeLetter: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: idnLetter, weight: 8 },
  { arbitrary: range(0x100, 0x17f), weight: 1 }, // Latin Extended-A
  { arbitrary: range(0x5d0, 0x5ea), weight: 1 }, // Hebrew
  { arbitrary: range(0x627, 0x64a), weight: 1 }, // Arabic
  { arbitrary: range(0x1f600, 0x1f64f), weight: 1 }, // emoji, outside the BMP
);

/** Printable ASCII other than space. */
export const visibleAscii: fc.Arbitrary<string> = range(0x21, 0x7e);

/** A character of a word in free text: mostly letters and digits, some punctuation. */
export function wordChar(unicode: boolean): fc.Arbitrary<string> {
  const ascii = fc.oneof({ arbitrary: alnum, weight: 8 }, { arbitrary: visibleAscii, weight: 2 });
  return unicode ? fc.oneof({ arbitrary: ascii, weight: 4 }, { arbitrary: unicodeLetter, weight: 1 }) : ascii;
}
