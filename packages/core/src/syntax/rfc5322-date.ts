/**
 * An RFC 5322 §3.3 date-time reader that also accepts the obsolete forms of §4.3, as readers must,
 * and says which ones it met. date-fns formats dates but cannot read these: obsolete zone names
 * (`GMT`, `EST`, military letters), missing seconds, comments, folding white space, and two- or
 * three-digit years.
 *
 * A hand-written tokenizer: no regular expressions, one pass, bounded input.
 *
 * @module
 */

/**
 * What an RFC 5322 date-time had that a generator must not write (RFC 5322 §4 "MUST NOT be
 * generated") but a reader accepts, or a day-of-week that does not match the date.
 *
 * | code | meaning |
 * |---|---|
 * | `obsolete-zone` | a zone name (`GMT`, `UT`, `EST`, ...) instead of `+hhmm` (§4.3) |
 * | `military-zone` | a one-letter military zone, read as `-0000` (§4.3) |
 * | `unknown-zone` | an alphabetic zone RFC 5322 does not define, read as `-0000` (§4.3) |
 * | `missing-zone` | no zone at all, read as `-0000` |
 * | `two-digit-year` | `99` for 1999, `26` for 2026 (§4.3) |
 * | `three-digit-year` | `126` for 2026 (§4.3) |
 * | `obsolete-syntax` | white space or comments inside the time, a one-digit hour, no comma after the day name |
 * | `wrong-weekday` | the day-of-week is not the day the date falls on (§3.3: it MUST be) |
 *
 * @example
 * const code: Rfc5322DateNoteCode = "obsolete-zone";
 */
export type Rfc5322DateNoteCode =
  | "obsolete-zone"
  | "military-zone"
  | "unknown-zone"
  | "missing-zone"
  | "two-digit-year"
  | "three-digit-year"
  | "obsolete-syntax"
  | "wrong-weekday";

/**
 * One thing the reader tolerated in a date-time.
 *
 * @example
 * const note: Rfc5322DateNote = { code: "obsolete-zone", message: 'the zone "GMT" is obsolete; write +0000' };
 */
export interface Rfc5322DateNote {
  code: Rfc5322DateNoteCode;
  message: string;
}

/**
 * The outcome of {@link readRfc5322Date}: the date with what was tolerated, or why it is not a
 * date-time.
 *
 * @example
 * const result: Rfc5322DateResult = readRfc5322Date("Thu, 26 Nov 2026 10:00:00 +0000");
 * if (result.ok) result.date.toISOString();
 */
export type Rfc5322DateResult =
  | {
      ok: true;
      date: Date;
      /** The written zone's offset from UTC in minutes (`+0100` is 60; obsolete and unknown zones as read). */
      offsetMinutes: number;
      /** Empty for a date-time a generator may write. */
      notes: Rfc5322DateNote[];
    }
  | { ok: false; reason: string };

/** Longer input is not a date-time; refusing it bounds the work on hostile input. */
const MAX_LENGTH = 512;
/** Comments nest; deeper nesting is refused. */
const MAX_COMMENT_DEPTH = 16;

const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] as const;
/** RFC 5322 §4.3 obs-zone names and their offsets in minutes. */
const OBSOLETE_ZONES: ReadonlyMap<string, number> = new Map([
  ["ut", 0],
  ["gmt", 0],
  ["est", -300],
  ["edt", -240],
  ["cst", -360],
  ["cdt", -300],
  ["mst", -420],
  ["mdt", -360],
  ["pst", -480],
  ["pdt", -420],
]);

type TokenKind = "num" | "word" | "punct";
interface Token {
  kind: TokenKind;
  text: string;
  /** True when white space or a comment came before the token. */
  spaced: boolean;
}

/** Splits a date-time into numbers, words and punctuation, skipping folding white space and comments. */
function tokenize(s: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    let spaced = false;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) {
        i++;
        spaced = true;
      } else if (c === 0x28) {
        let depth = 0;
        for (; i < s.length; i++) {
          const d = s.charCodeAt(i);
          if (d === 0x5c) i++;
          else if (d === 0x28) {
            if (++depth > MAX_COMMENT_DEPTH) return "its comments are nested too deeply";
          } else if (d === 0x29 && --depth === 0) break;
        }
        if (depth !== 0) return "it has a comment with no closing parenthesis";
        i++;
        spaced = true;
      } else break;
    }
    if (i >= s.length) break;
    const start = i;
    const c = s.charCodeAt(i);
    let kind: TokenKind;
    if (c >= 0x30 && c <= 0x39) {
      while (i < s.length && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) i++;
      kind = "num";
    } else if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) {
      while (i < s.length && (s.charCodeAt(i) | 0x20) >= 0x61 && (s.charCodeAt(i) | 0x20) <= 0x7a) i++;
      kind = "word";
    } else if (c === 0x2c || c === 0x3a || c === 0x2b || c === 0x2d) {
      i++;
      kind = "punct";
    } else return `it has the unexpected character ${JSON.stringify(s[i])}`;
    tokens.push({ kind, text: s.slice(start, i), spaced });
  }
  return tokens;
}

function daysInMonth(year: number, month: number): number {
  if (month === 1) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 3 || month === 5 || month === 8 || month === 10 ? 30 : 31;
}

function utcMillis(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

/**
 * Reads an RFC 5322 §3.3 date-time, accepting the obsolete forms of §4.3 and saying which it met.
 *
 * Accepts an optional day-of-week, comments and folding white space anywhere between tokens,
 * optional seconds, one- and two-digit days, four-digit years (and two- or three-digit ones, read
 * per §4.3: 00–49 → 2000–2049, 50–99 and three digits → +1900), numeric zones, obsolete zone names
 * (UT, GMT, EST/EDT, CST/CDT, MST/MDT, PST/PDT), military letters and other alphabetic zones (read
 * as `-0000`, as §4.3 says). A day-of-week that is not the date's day is reported, not ignored.
 * Years before 1900 or after 9999, impossible days (31 Apr) and out-of-range times are refused.
 *
 * @param text - The field value, e.g. `Thu, 26 Nov 2026 08:01:05 +0000 (UTC)`.
 * @returns The date and the notes, or the reason it is not a date-time.
 * @example
 * const r = readRfc5322Date("Tue,  1 Dec 2026 08:00:54 +0000 (UTC)");
 * r.ok && r.date.toISOString();
 * //=> "2026-12-01T08:00:54.000Z"
 * const old = readRfc5322Date("26 Nov 26 10:00 GMT");
 * old.ok && old.notes.map((n) => n.code);
 * //=> ["two-digit-year", "obsolete-zone"]
 */
export function readRfc5322Date(text: string): Rfc5322DateResult {
  if (text.length > MAX_LENGTH) return { ok: false, reason: `it is ${text.length} characters long; a date-time is far shorter` };
  const tokens = tokenize(text);
  if (typeof tokens === "string") return { ok: false, reason: tokens };
  if (tokens.length === 0) return { ok: false, reason: "it is empty" };
  const notes: Rfc5322DateNote[] = [];
  const note = (code: Rfc5322DateNoteCode, message: string) => notes.push({ code, message });
  let k = 0;
  const peek = (): Token | undefined => tokens[k];

  let weekday = -1;
  let t = peek();
  if (t?.kind === "word") {
    weekday = DAY_NAMES.indexOf(t.text.toLowerCase() as (typeof DAY_NAMES)[number]);
    if (weekday < 0 || t.text.length !== 3) return { ok: false, reason: `${JSON.stringify(t.text)} is not a day-of-week (Mon to Sun)` };
    k++;
    if (peek()?.kind === "punct" && peek()!.text === ",") k++;
    else note("obsolete-syntax", "there is no comma after the day-of-week");
  }

  t = tokens[k++];
  if (t?.kind !== "num" || t.text.length > 2) return { ok: false, reason: "it has no day of the month (1 or 2 digits) where one is expected" };
  const day = Number(t.text);

  t = tokens[k++];
  const month = t?.kind === "word" && t.text.length === 3 ? MONTH_NAMES.indexOf(t.text.toLowerCase() as (typeof MONTH_NAMES)[number]) : -1;
  if (month < 0) return { ok: false, reason: `${t === undefined ? "nothing" : JSON.stringify(t.text)} is not a month (Jan to Dec)` };
  if (!t!.spaced) return { ok: false, reason: "the day and the month must be separated by white space" };

  t = tokens[k++];
  if (t?.kind !== "num" || t.text.length < 2) return { ok: false, reason: "it has no year (4 digits) after the month" };
  if (!t.spaced) return { ok: false, reason: "the month and the year must be separated by white space" };
  if (t.text.length > 4 && t.text.charCodeAt(0) !== 0x30) return { ok: false, reason: `the year ${t.text} is after 9999` };
  let year = Number(t.text);
  if (t.text.length === 2) {
    year += year < 50 ? 2000 : 1900;
    note("two-digit-year", `the two-digit year ${t.text} is obsolete; write ${year}`);
  } else if (t.text.length === 3) {
    year += 1900;
    note("three-digit-year", `the three-digit year ${t.text} is obsolete; write ${year}`);
  } else if (year < 1900) return { ok: false, reason: `the year ${t.text} is before 1900` };
  else if (year > 9999) return { ok: false, reason: `the year ${t.text} is after 9999` };

  t = tokens[k++];
  if (t?.kind !== "num" || t.text.length > 2) return { ok: false, reason: "it has no time of day (hh:mm or hh:mm:ss) after the year" };
  if (!t.spaced) return { ok: false, reason: "the year and the time must be separated by white space" };
  if (t.text.length === 1) note("obsolete-syntax", `the hour ${t.text} must have two digits`);
  const hour = Number(t.text);
  let spacedTime = false;
  const colon = (): boolean => {
    const c = tokens[k];
    if (c?.kind !== "punct" || c.text !== ":") return false;
    spacedTime ||= c.spaced;
    k++;
    return true;
  };
  const twoDigits = (label: string): number | string => {
    const n = tokens[k++];
    if (n?.kind !== "num" || n.text.length !== 2) return `the ${label} must be two digits`;
    spacedTime ||= n.spaced;
    return Number(n.text);
  };
  if (!colon()) return { ok: false, reason: "the time of day must be hh:mm or hh:mm:ss" };
  const minute = twoDigits("minutes");
  if (typeof minute === "string") return { ok: false, reason: minute };
  let second = 0;
  if (colon()) {
    const s = twoDigits("seconds");
    if (typeof s === "string") return { ok: false, reason: s };
    second = s;
  }
  if (spacedTime) note("obsolete-syntax", "the time of day has white space or comments inside it");
  if (hour > 23 || minute > 59 || second > 60) return { ok: false, reason: `${pad2(hour)}:${pad2(minute)}:${pad2(second)} is not a time of day` };

  let offset = 0;
  t = tokens[k++];
  if (t === undefined) note("missing-zone", "it has no zone; read as -0000 (UTC, local zone unknown)");
  else if (t.kind === "punct" && (t.text === "+" || t.text === "-")) {
    const z = tokens[k++];
    if (z?.kind !== "num" || z.text.length !== 4 || z.spaced) return { ok: false, reason: "a numeric zone must be + or - and four digits, like +0100" };
    if (!t.spaced) note("obsolete-syntax", "there is no white space before the zone");
    const zh = Number(z.text.slice(0, 2));
    const zm = Number(z.text.slice(2));
    if (zm > 59) return { ok: false, reason: `the zone ${t.text}${z.text} has more than 59 minutes` };
    offset = (t.text === "-" ? -1 : 1) * (zh * 60 + zm);
  } else if (t.kind === "word") {
    const name = t.text.toLowerCase();
    const known = OBSOLETE_ZONES.get(name);
    if (known !== undefined) {
      offset = known;
      note("obsolete-zone", `the zone ${JSON.stringify(t.text)} is obsolete; write ${formatZone(known)}`);
    } else if (name.length === 1 && name !== "j") {
      note("military-zone", `the military zone ${JSON.stringify(t.text)} is obsolete and ambiguous; read as -0000`);
    } else if (name === "utc") {
      note("unknown-zone", `the zone "UTC" is not RFC 5322 syntax; write +0000`);
    } else {
      note("unknown-zone", `the zone ${JSON.stringify(t.text)} is not RFC 5322 syntax; read as -0000`);
    }
  } else return { ok: false, reason: `${JSON.stringify(t.text)} is not a zone (like +0000)` };
  if (k < tokens.length) return { ok: false, reason: `it has ${JSON.stringify(tokens[k]!.text)} after the zone` };

  if (day < 1 || day > daysInMonth(year, month))
    return { ok: false, reason: `${MONTH_NAMES[month]!.replace(/^./, (c) => c.toUpperCase())} ${year} has no day ${day}` };
  if (weekday >= 0) {
    const actual = new Date(utcMillis(year, month, day, 0, 0, 0)).getUTCDay();
    if (actual !== weekday) {
      const name = (i: number) => DAY_NAMES[i]!.replace(/^./, (c) => c.toUpperCase());
      notes.push({ code: "wrong-weekday", message: `the date falls on a ${name(actual)}, not a ${name(weekday)}` });
    }
  }
  const date = new Date(utcMillis(year, month, day, hour, minute, second) - offset * 60_000);
  return { ok: true, date, offsetMinutes: offset, notes };
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

function formatZone(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const m = Math.abs(minutes);
  return sign + String(Math.floor(m / 60)).padStart(2, "0") + String(m % 60).padStart(2, "0");
}

/**
 * Reads an RFC 5322 date-time (obsolete forms accepted, as {@link readRfc5322Date} describes)
 * into a `Date`.
 *
 * @throws {RangeError} saying why, when it is not a date-time.
 * @example
 * parseRfc5322Date("Thu, 26 Nov 2026 08:01:05 +0000 (UTC)").toISOString();
 * //=> "2026-11-26T08:01:05.000Z"
 * parseRfc5322Date("26 Nov 2026 10:00 EST").toISOString();
 * //=> "2026-11-26T15:00:00.000Z"
 */
export function parseRfc5322Date(text: string): Date {
  const r = readRfc5322Date(text);
  if (!r.ok) throw new RangeError(`${JSON.stringify(text.slice(0, 80))} is not an RFC 5322 date-time: ${r.reason}`);
  return r.date;
}
