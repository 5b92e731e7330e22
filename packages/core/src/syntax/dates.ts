/**
 * Timestamps in (Date, ISO-8601, epoch seconds) and RFC 5322 dates out.
 */
import { parseISO } from "date-fns/parseISO";
import type { Timestamp } from "../ses.js";

/** The earliest date dsnkit accepts: 1970-01-01T00:00:00Z. */
export const MIN_DATE_MS = 0;
/** The latest date dsnkit accepts: 9999-12-31T23:59:59Z (RFC 5322 years have four digits). */
export const MAX_DATE_MS = 253402300799000;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const HAS_ZONE = /(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/;
const EPOCH = /^-?\d{1,15}(?:\.\d{1,9})?$/;

/**
 * The form nearly every timestamp takes, `2026-11-26T10:00:00Z` (a fraction of a second and an
 * offset `+hh:mm` allowed), recognised in one match and read from its fixed positions; date-fns'
 * parseISO reads every other form. A year from 1000 on, so that Date.UTC takes it as written.
 */
const COMMON_ISO = /^[1-9]\d{3}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/;

/** Days of each month in a common year. */
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Epoch milliseconds of an ISO-8601 date-time in {@link COMMON_ISO}'s form, computed as date-fns'
 * parseISO computes them (the same ranges accepted, the same arithmetic, so the same result), or
 * NaN when it is in another form or out of range: parseISO then decides.
 */
function commonIsoTime(s: string): number {
  if (!COMMON_ISO.test(s)) return NaN;
  const digits = (at: number) => (s.charCodeAt(at) - 48) * 10 + s.charCodeAt(at + 1) - 48;
  const year = digits(0) * 100 + digits(2);
  const month = digits(5) - 1;
  const day = digits(8);
  const hours = digits(11);
  const minutes = digits(14);
  // The zone is `Z` or the last six characters; between the minutes and it, the seconds.
  const zone = s.charCodeAt(s.length - 1) === 0x5a ? s.length - 1 : s.length - 6;
  const seconds = zone === 19 ? digits(17) : parseFloat(s.slice(17, zone));
  const leap = year % 400 === 0 || (year % 4 === 0 && year % 100 !== 0);
  if (month < 0 || month > 11 || day < 1 || day > (month === 1 && leap ? 29 : DAYS_IN_MONTH[month]!)) return NaN;
  if (hours === 24 ? minutes !== 0 || seconds !== 0 : hours > 24 || minutes > 59 || seconds >= 60) return NaN;
  let offset = 0;
  if (zone !== s.length - 1) {
    const offsetMinutes = digits(zone + 4);
    if (offsetMinutes > 59) return NaN;
    offset = (s.charCodeAt(zone) === 0x2b ? -1 : 1) * (digits(zone + 1) * 3600000 + offsetMinutes * 60000);
  }
  return Date.UTC(year, month, day) + (hours * 3600000 + minutes * 60000 + seconds * 1000) + offset;
}

/**
 * Reads a {@link Timestamp}: a `Date`, epoch seconds (number or numeric string), or an ISO-8601
 * string (a date alone means midnight UTC; a date-time with no zone is read as UTC, so the result
 * does not depend on the machine's time zone). Returns the date truncated to whole seconds, or a
 * reason when it is not a date in 1970–9999.
 */
export function readTimestamp(t: unknown): Date | string {
  let ms: number;
  if (t instanceof Date) ms = t.getTime();
  else if (typeof t === "number") {
    if (!Number.isFinite(t)) return "it is not a finite number of seconds";
    ms = new Date(t * 1000).getTime();
  } else if (typeof t === "string") {
    const s = t.trim();
    if (s.length === 0) return "it is empty";
    if (s.length > 64) return "it is too long to be a date";
    // The common form carries its zone, so nothing below would change it: it is tried first.
    ms = new Date(commonIsoTime(s)).getTime();
    if (Number.isNaN(ms)) {
      if (EPOCH.test(s)) ms = new Date(Number(s) * 1000).getTime();
      else {
        let iso = s;
        if (DATE_ONLY.test(iso)) iso += "T00:00:00Z";
        else if (/[T ]/.test(iso) && !HAS_ZONE.test(iso)) iso += "Z";
        ms = new Date(commonIsoTime(iso)).getTime();
        if (Number.isNaN(ms)) ms = parseISO(iso).getTime();
        if (Number.isNaN(ms)) return "it is not an ISO-8601 date (like 2026-11-26T10:00:00Z) or epoch seconds";
      }
    }
  } else return "it must be a date: an ISO-8601 string or epoch seconds";
  if (Number.isNaN(ms)) return "it is not a valid date";
  if (ms < MIN_DATE_MS || ms > MAX_DATE_MS) return "it is outside the years 1970 to 9999";
  return new Date(ms - (ms % 1000));
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

function two(n: number): string {
  return n < 10 ? "0" + n : "" + n;
}

/**
 * Formats a date as an RFC 5322 §3.3 date-time in UTC: `Thu, 26 Nov 2026 10:00:00 +0000`.
 * Written out here because it is on the rendering hot path (twice as fast as
 * `toUTCString().replace(...)`) and date-fns formats only in the machine's time zone without a
 * time-zone add-on. Years are those dsnkit accepts (1970–9999), so always four digits.
 *
 * @example
 * formatRfc5322Date(new Date("2026-11-26T10:00:00Z"));
 * //=> "Thu, 26 Nov 2026 10:00:00 +0000"
 */
export function formatRfc5322Date(d: Date): string {
  const ms = d.getTime();
  if (!(ms >= MIN_DATE_MS && ms <= MAX_DATE_MS)) return formatWithFields(d);
  // Days since 1970-01-01 to a civil date (H. Hinnant's days_from_civil, inverted), in plain
  // arithmetic: the getUTC* accessors each cost a call into the engine's runtime.
  const secs = Math.floor(ms / 1000);
  const days = Math.floor(secs / 86400);
  const sod = secs - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 2 : mp - 10; // 0-based, January = 0
  const year = yoe + era * 400 + (month < 2 ? 1 : 0);
  const hours = Math.floor(sod / 3600);
  const minutes = Math.floor((sod - hours * 3600) / 60);
  return (
    DAYS[(days + 4) % 7]! +
    ", " +
    two(day) +
    " " +
    MONTHS[month]! +
    " " +
    year +
    " " +
    two(hours) +
    ":" +
    two(minutes) +
    ":" +
    two(sod % 60) +
    " +0000"
  );
}

/**
 * Formats a date in the form SES writes its Arrival-Date in: a two-digit year (RFC 822's, obsolete
 * in RFC 5322 §4.3) and the zone `UTC` (in neither), e.g. `Thu, 26 Nov 26 10:00:00 UTC`.
 * A reader maps two-digit years 00–49 to 20xx and 50–99 to 19xx, so a date outside 1950–2049
 * does not read back as itself.
 *
 * @example
 * formatObsoleteUtcDate(new Date("2015-10-01T13:48:54Z"));
 * //=> "Thu, 01 Oct 15 13:48:54 UTC"
 */
export function formatObsoleteUtcDate(d: Date): string {
  // "Thu, 26 Nov 2026 10:00:00 +0000": the year is at 12–15 and the zone the last five characters.
  const s = formatRfc5322Date(d);
  const yearEnd = s.indexOf(" ", 12);
  return s.slice(0, 12) + s.slice(yearEnd - 2, s.length - 5) + "UTC";
}

/** The same from the Date's UTC fields, for dates outside 1970–9999. */
function formatWithFields(d: Date): string {
  return (
    DAYS[d.getUTCDay()]! +
    ", " +
    two(d.getUTCDate()) +
    " " +
    MONTHS[d.getUTCMonth()]! +
    " " +
    d.getUTCFullYear() +
    " " +
    two(d.getUTCHours()) +
    ":" +
    two(d.getUTCMinutes()) +
    ":" +
    two(d.getUTCSeconds()) +
    " +0000"
  );
}

/**
 * Reads a {@link Timestamp} the way request fields are read: a `Date`, epoch seconds, or ISO-8601
 * (no zone means UTC), truncated to whole seconds.
 *
 * @throws {RangeError} saying why, when it is not a date in the years 1970–9999.
 * @example
 * parseTimestamp("2026-11-26T10:00:00.750Z").toISOString();
 * //=> "2026-11-26T10:00:00.000Z"
 * parseTimestamp(1795687200).toISOString();
 * //=> "2026-11-26T10:00:00.000Z"
 */
export function parseTimestamp(value: Timestamp): Date {
  const d = readTimestamp(value);
  if (typeof d === "string") throw new RangeError(`${JSON.stringify(value)} is not usable as a date: ${d}`);
  return d;
}
