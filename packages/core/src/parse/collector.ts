/**
 * Where the reader records what it tolerates; in strict mode the first one throws.
 */
import { DsnParseError } from "./errors.js";
import type { Tolerance, ToleranceCode } from "./types.js";

/**
 * The rule (an id of {@link RULES}) each tolerance breaks: what `checkDsn` reports when
 * `parseDsn` had to tolerate something.
 *
 * @example
 * TOLERANCE_RULES["ds-folding-without-whitespace"];
 * //=> "rfc5322.folding"
 */
export const TOLERANCE_RULES: Readonly<Record<ToleranceCode, string>> = Object.freeze({
  "lf-line-ends": "rfc5322.lf-line-ends",
  "cr-line-ends": "rfc5322.cr-line-ends",
  "bare-lf": "rfc5322.bare-lf",
  "bare-cr": "rfc5322.bare-cr",
  "mbox-from-line": "rfc5322.mbox-from-line",
  "header-line-malformed": "rfc5322.header-syntax",
  "header-folding-without-whitespace": "rfc5322.folding",
  "header-body-separator-missing": "rfc5322.header-syntax",
  "header-not-utf8": "rfc5322.header-syntax",
  "original-header-syntax": "rfc6522.original-header-syntax",
  "content-type-invalid": "rfc2045.content-type-syntax",
  "transfer-encoding-invalid": "rfc2045.transfer-encoding",
  "base64-invalid": "rfc2045.transfer-encoding",
  "charset-unknown": "rfc2046.charset",
  "charset-undecodable": "dsnkit.charset-undecodable",
  "charset-mismatch": "rfc2046.charset",
  "not-multipart-report": "rfc6522.not-multipart-report",
  "report-forwarded": "rfc6522.report-forwarded",
  "report-type-missing": "rfc6522.report-type-missing",
  "report-type-mismatch": "rfc6522.report-type-mismatch",
  "part-order": "rfc6522.part-order",
  "boundary-missing": "rfc2046.boundary-missing",
  "delimiter-missing": "rfc2046.delimiter-missing",
  "closing-delimiter-missing": "rfc2046.closing-delimiter",
  "nesting-too-deep": "dsnkit.limit-exceeded",
  "delivery-status-encoded": "rfc3464.delivery-status-encoding",
  "non-ascii-in-classic": "rfc6533.non-ascii-in-classic",
  "ds-extra-blank-line": "rfc3464.empty-block",
  "ds-block-separator-missing": "rfc3464.block-separator",
  "ds-folding-without-whitespace": "rfc5322.folding",
  "ds-line-not-field": "rfc3464.field-syntax",
  "ds-field-repeated": "rfc3464.field-repeated",
  "ds-field-wrong-block": "rfc3464.field-wrong-block",
  "required-field-missing": "rfc3464.required-field",
  "recipient-block-skipped": "rfc3464.required-field",
  "action-invalid": "rfc3464.action-value",
  "status-invalid": "rfc3464.status-syntax",
  "address-type-missing": "rfc3464.address-type",
  "address-angle-brackets": "rfc3464.address-syntax",
  "utf8-address-malformed": "rfc6533.utf8-address",
  "mta-name-type-missing": "rfc3464.mta-name-type",
  "diagnostic-type-missing": "rfc3464.diagnostic-type",
  "date-unreadable": "rfc5322.date-syntax",
  "date-obsolete": "rfc5322.obsolete-date",
  "date-weekday": "rfc5322.date-weekday",
  "headers-only-message": "rfc6522.headers-only-message",
});

/** Most tolerances kept; the rest are dropped (a hostile input could otherwise make millions). */
const MAX_TOLERANCES = 10_000;

/** Collects tolerances in input order, or throws at the first one in strict mode. */
export class Collector {
  readonly tolerances: Tolerance[] = [];
  constructor(readonly strict: boolean) {}

  add(code: ToleranceCode, message: string, line: number): void {
    const t: Tolerance = { code, rule: TOLERANCE_RULES[code], message, line };
    if (this.strict) throw new DsnParseError("strict", `strict mode: ${message} [${code}]`, line, t);
    if (this.tolerances.length < MAX_TOLERANCES) this.tolerances.push(t);
  }
}
