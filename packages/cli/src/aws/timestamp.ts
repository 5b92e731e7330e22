/**
 * Timestamps as the AWS CLI takes them: epoch seconds, ISO-8601 (a date alone, or a date and a
 * time with or without a zone; no zone means UTC), and the RFC 822 dates that botocore's parser
 * also reads (`Thu, 26 Nov 2026 10:00:00 GMT`).
 *
 * @module
 */

/** Epoch seconds, as Python's `float()` reads them (without `inf`, `nan` and underscores). */
const EPOCH = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

// ISO-8601: extended (2026-11-26T10:00:00.5+02:00) or basic (20261126T100000Z) form; the time may
// follow a "T", "t" or spaces, seconds and fractions are optional, and the zone is Z, +HH,
// +HH:MM, +HHMM, UTC or GMT. Every quantifier is bounded or over disjoint classes: no backtracking
// blow-up.
const ISO_EXTENDED =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]| +)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)? ?([Zz]|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?$/;
const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})[Tt](\d{2})(\d{2})(?:(\d{2})(?:[.,](\d{1,9}))?)? ?([Zz]|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?$/;
// RFC 822 / 1123 / 2822: [Www, ]D Mon YYYY HH:MM[:SS] [zone].
const RFC822 =
  /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? +)?(\d{1,2}) +(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{4}) +(\d{1,2}):(\d{2})(?::(\d{2}))?(?: +([Zz]|UTC?|GMT|[+-]\d{4}))?$/i;
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/**
 * What {@link parseAwsTimestamp} accepts, in words, for messages.
 *
 * @example
 * `ArrivalDate is not ${TIMESTAMP_FORMS}`;
 */
export const TIMESTAMP_FORMS = "ISO-8601 (2026-11-26T10:00:00Z, or a date: 2026-11-26), or epoch seconds (1795687200)";

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function zoneMinutes(zone: string | undefined): number {
  if (zone === undefined || /^(?:[Zz]|UTC?|GMT)$/i.test(zone)) return 0;
  const sign = zone[0] === "-" ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const h = Number(digits.slice(0, 2));
  const m = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (h * 60 + m);
}

function build(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  fraction: string | undefined,
  zone: string | undefined,
): Date | string {
  if (mo < 1 || mo > 12) return `month ${mo} is not 1 to 12`;
  if (d < 1 || d > daysIn(y, mo)) return `day ${d} is not in that month`;
  if (h > 23) return `hour ${h} is not 0 to 23`;
  if (mi > 59) return `minute ${mi} is not 0 to 59`;
  if (s > 59) return `second ${s} is not 0 to 59`;
  const offset = zoneMinutes(zone);
  if (Math.abs(offset) >= 24 * 60) return `the zone offset ${zone} is not less than 24 hours`;
  const ms = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  return new Date(date.getTime() - offset * 60_000);
}

/**
 * Reads a timestamp the way the AWS CLI does: a number or numeric string is epoch seconds
 * (fractions kept to the millisecond); a string is ISO-8601 (a date alone is midnight UTC; a time
 * with no zone is UTC) or an RFC 822 date. Returns the `Date`, or a reason it is not a timestamp.
 * Ranges (SES takes 1970–9999) are checked by `@dsnkit/core`'s validation, not here.
 *
 * @param value - what the user wrote: a string, or a number from JSON or YAML.
 * @returns the instant, or a sentence saying why `value` is not one.
 * @example
 * (parseAwsTimestamp("2026-11-26T12:00:00+02:00") as Date).toISOString();
 * //=> "2026-11-26T10:00:00.000Z"
 * (parseAwsTimestamp(1795687200) as Date).toISOString();
 * //=> "2026-11-26T10:00:00.000Z"
 * parseAwsTimestamp("next tuesday");
 * //=> "it is not ISO-8601 (2026-11-26T10:00:00Z, or a date: 2026-11-26), or epoch seconds (1795687200)"
 */
export function parseAwsTimestamp(value: string | number): Date | string {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return "it is not a finite number of seconds";
    return epoch(value);
  }
  const s = value.trim();
  if (s === "") return "it is empty";
  if (s.length > 64) return "it is too long to be a timestamp";
  if (EPOCH.test(s)) return epoch(Number(s));
  let m = ISO_EXTENDED.exec(s) ?? ISO_BASIC.exec(s);
  if (m !== null) {
    const [, y, mo, d, h, mi, sec, fraction, zone] = m;
    return build(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(sec ?? 0), fraction, zone);
  }
  m = RFC822.exec(s);
  if (m !== null) {
    const [, d, mon, y, h, mi, sec, zone] = m;
    return build(Number(y), MONTHS.indexOf(mon!.toLowerCase()) + 1, Number(d), Number(h), Number(mi), Number(sec ?? 0), undefined, zone);
  }
  return `it is not ${TIMESTAMP_FORMS}`;
}

function epoch(seconds: number): Date | string {
  const ms = Math.floor(seconds * 1000);
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? "it is too far from 1970 to be a date" : d;
}
