/**
 * @module
 */
import fc from "fast-check";
import type { Timestamp } from "@dsnkit/core";

/**
 * The ways a {@link Timestamp} can be written, as the AWS CLI and `@dsnkit/core` accept them:
 *
 * | form | example |
 * |---|---|
 * | `date` | `new Date("2026-11-26T10:00:00.250Z")` |
 * | `iso-utc` | `"2026-11-26T10:00:00Z"`, `"2026-11-26T10:00:00.250Z"` |
 * | `iso-offset` | `"2026-11-26T11:00:00+01:00"` |
 * | `iso-no-zone` | `"2026-11-26T10:00:00"` (read as UTC) |
 * | `date-only` | `"2026-11-26"` (midnight UTC) |
 * | `epoch` | `1795687200`, `1795687200.25` |
 * | `epoch-string` | `"1795687200"` |
 *
 * @example
 * const form: TimestampForm = "iso-offset";
 */
export type TimestampForm = "date" | "iso-utc" | "iso-offset" | "iso-no-zone" | "date-only" | "epoch" | "epoch-string";

/**
 * Every {@link TimestampForm}.
 *
 * @example
 * TIMESTAMP_FORMS.includes("epoch");
 * //=> true
 */
export const TIMESTAMP_FORMS: readonly TimestampForm[] = Object.freeze([
  "date",
  "iso-utc",
  "iso-offset",
  "iso-no-zone",
  "date-only",
  "epoch",
  "epoch-string",
]);

/**
 * Constraints of {@link timestamp}.
 *
 * @example
 * const c: TimestampConstraints = { forms: ["date", "iso-utc"] };
 */
export interface TimestampConstraints {
  /** The forms to generate. Default: all of them. */
  forms?: readonly TimestampForm[];
}

/** 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the range core accepts. */
const MIN = 0;
const MAX = 253402300799000;
const RECENT_MIN = Date.UTC(2000, 0, 1);
const RECENT_MAX = Date.UTC(2040, 0, 1);

/** An instant in milliseconds: mostly this century, sometimes anywhere in 1970-9999 (its ends included). */
const instant = fc.oneof(
  { arbitrary: fc.integer({ min: RECENT_MIN, max: RECENT_MAX }), weight: 6 },
  { arbitrary: fc.integer({ min: MIN, max: MAX }), weight: 2 },
  { arbitrary: fc.constantFrom(MIN, MAX, Date.UTC(2038, 0, 19, 3, 14, 8)), weight: 1 },
);

const offsetMinutes = fc.constantFrom(60, -300, 330, 545, -570, 840, -720, -60);

function iso(ms: number, withMs: boolean): string {
  const s = new Date(ms).toISOString();
  return withMs ? s : s.slice(0, 19) + "Z";
}

function formArbitrary(form: TimestampForm): fc.Arbitrary<Timestamp> {
  switch (form) {
    case "date":
      return instant.map((ms) => new Date(ms));
    case "iso-utc":
      return fc.tuple(instant, fc.boolean()).map(([ms, withMs]) => iso(ms, withMs));
    case "iso-offset":
      return fc.tuple(instant, offsetMinutes).map(([ms, minutes]) => {
        // A local time past 9999 has no four-digit year: west of UTC, the same instant has one.
        const offset = ms + Math.abs(minutes) * 60_000 > MAX ? -Math.abs(minutes) : minutes;
        const local = new Date(ms + offset * 60_000).toISOString();
        const sign = offset < 0 ? "-" : "+";
        const a = Math.abs(offset);
        return `${local.slice(0, 19)}${sign}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
      });
    case "iso-no-zone":
      return instant.map((ms) => iso(ms, false).slice(0, 19));
    case "date-only":
      return instant.map((ms) => iso(ms, false).slice(0, 10));
    case "epoch":
      return fc.tuple(instant, fc.boolean()).map(([ms, fraction]) => (fraction ? ms / 1000 : Math.floor(ms / 1000)));
    case "epoch-string":
      return instant.map((ms) => String(Math.floor(ms / 1000)));
  }
}

/**
 * Generates timestamps in every form SES requests accept (see {@link TimestampForm}), for
 * instants from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z: mostly this century, sometimes
 * the ends of the range and the 2038 rollover. Every value is accepted by `@dsnkit/core`'s
 * `parseTimestamp`.
 *
 * @param constraints - which forms to generate.
 * @returns an arbitrary of `Date | string | number`.
 * @throws {RangeError} for an empty or unknown form.
 * @example
 * fc.sample(timestamp({ forms: ["iso-utc", "epoch"] }), { numRuns: 2, seed: 9 });
 * //=> e.g. ["2031-04-02T17:12:09Z", 1712089331]
 */
export function timestamp(constraints: TimestampConstraints = {}): fc.Arbitrary<Timestamp> {
  const forms = constraints.forms ?? TIMESTAMP_FORMS;
  if (forms.length === 0) throw new RangeError("timestamp: forms must name at least one form");
  for (const f of forms)
    if (!TIMESTAMP_FORMS.includes(f)) throw new RangeError(`timestamp: unknown form ${JSON.stringify(f)}; the forms are ${TIMESTAMP_FORMS.join(", ")}`);
  return fc.oneof(...forms.map(formArbitrary));
}

/**
 * Tells which {@link TimestampForm} a timestamp is written in (for labelling generated values).
 *
 * @example
 * timestampForm("2026-11-26");
 * //=> "date-only"
 * timestampForm(1795687200);
 * //=> "epoch"
 */
export function timestampForm(t: Timestamp): TimestampForm {
  if (t instanceof Date) return "date";
  if (typeof t === "number") return "epoch";
  if (/^\d+$/.test(t)) return "epoch-string";
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return "date-only";
  if (/[zZ]$/.test(t)) return "iso-utc";
  if (/[+-]\d{2}:\d{2}$/.test(t)) return "iso-offset";
  return "iso-no-zone";
}
