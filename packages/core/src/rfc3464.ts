/**
 * The field names of RFC 3464, as data shared by validation, rendering checks, the parser and
 * the checker.
 *
 * @module
 */

/**
 * The per-message field names of RFC 3464 §2.2, lower-cased, in ABNF order.
 *
 * @example
 * PER_MESSAGE_FIELD_NAMES.has("reporting-mta");
 * //=> true
 */
export const PER_MESSAGE_FIELD_NAMES: ReadonlySet<string> = new Set([
  "original-envelope-id",
  "reporting-mta",
  "dsn-gateway",
  "received-from-mta",
  "arrival-date",
]);

/**
 * The per-recipient field names of RFC 3464 §2.3, lower-cased, in ABNF order.
 *
 * @example
 * PER_RECIPIENT_FIELD_NAMES.has("will-retry-until");
 * //=> true
 */
export const PER_RECIPIENT_FIELD_NAMES: ReadonlySet<string> = new Set([
  "original-recipient",
  "final-recipient",
  "action",
  "status",
  "remote-mta",
  "diagnostic-code",
  "last-attempt-date",
  "final-log-id",
  "will-retry-until",
]);

/**
 * Every RFC 3464 field name, lower-cased: an extension field may not shadow them.
 *
 * @example
 * RFC3464_FIELD_NAMES.has("final-recipient");
 * //=> true
 */
export const RFC3464_FIELD_NAMES: ReadonlySet<string> = new Set([...PER_MESSAGE_FIELD_NAMES, ...PER_RECIPIENT_FIELD_NAMES]);
