/**
 * What {@link parseDsn} returns: the RFC 3464 model exactly as {@link resolveBounce} builds it,
 * and beside it what only a reader knows (lines, raw text, status parts, what was tolerated).
 *
 * @module
 */
import type { Mailbox, ParsedDeliveryStatus } from "../model.js";
import type { ParseLimits } from "./limits.js";

/**
 * What the reader had to tolerate to read a DSN; each code names one departure from the RFCs.
 * The rule each breaks is in the tolerance's `rule` (see `docs/parsing-and-checking.md`).
 *
 * @example
 * const code: ToleranceCode = "ds-folding-without-whitespace";
 */
export type ToleranceCode =
  | "lf-line-ends"
  | "cr-line-ends"
  | "bare-lf"
  | "bare-cr"
  | "mbox-from-line"
  | "header-line-malformed"
  | "header-folding-without-whitespace"
  | "header-body-separator-missing"
  | "header-not-utf8"
  | "original-header-syntax"
  | "content-type-invalid"
  | "transfer-encoding-invalid"
  | "base64-invalid"
  | "charset-unknown"
  | "charset-undecodable"
  | "charset-mismatch"
  | "not-multipart-report"
  | "report-forwarded"
  | "report-type-missing"
  | "report-type-mismatch"
  | "part-order"
  | "boundary-missing"
  | "delimiter-missing"
  | "closing-delimiter-missing"
  | "nesting-too-deep"
  | "delivery-status-encoded"
  | "non-ascii-in-classic"
  | "ds-extra-blank-line"
  | "ds-block-separator-missing"
  | "ds-folding-without-whitespace"
  | "ds-line-not-field"
  | "ds-field-repeated"
  | "ds-field-wrong-block"
  | "required-field-missing"
  | "recipient-block-skipped"
  | "action-invalid"
  | "status-invalid"
  | "address-type-missing"
  | "address-angle-brackets"
  | "utf8-address-malformed"
  | "mta-name-type-missing"
  | "diagnostic-type-missing"
  | "date-unreadable"
  | "date-obsolete"
  | "date-weekday"
  | "headers-only-message";

/**
 * One thing the reader tolerated: a stable code, the rule it breaks (an id from {@link RULES}),
 * a message a person can act on, and the 1-based line of the input where it is.
 *
 * @example
 * const t: Tolerance = {
 *   code: "lf-line-ends",
 *   rule: "rfc5322.lf-line-ends",
 *   message: "every line ends in a bare LF (a Unix mailbox file?); a message on the wire uses CRLF",
 *   line: 1,
 * };
 */
export interface Tolerance {
  code: ToleranceCode;
  rule: string;
  message: string;
  line: number;
}

/**
 * A header field as read: its name as written, its value unfolded (line breaks removed) and
 * trimmed, not RFC 2047-decoded, and the line it starts on.
 *
 * @example
 * const h: HeaderField = { name: "Subject", value: "Undelivered Mail Returned to Sender", line: 3 };
 */
export interface HeaderField {
  name: string;
  value: string;
  line: number;
}

/**
 * A field of the delivery-status part as read: {@link HeaderField} plus its raw text (the lines as
 * written, folding and line ends kept).
 *
 * @example
 * const f: DsnFieldDetail = { name: "Status", value: "5.1.1", raw: "Status: 5.1.1", line: 40 };
 */
export interface DsnFieldDetail extends HeaderField {
  raw: string;
}

/**
 * An RFC 3463 status code split into its numbers.
 *
 * @example
 * const s: StatusParts = { class: 5, subject: 1, detail: 1 };
 */
export interface StatusParts {
  class: number;
  subject: number;
  detail: number;
}

/**
 * What an `smtp` Diagnostic-Code starts with: the SMTP reply code and, when given, the enhanced
 * status code.
 *
 * @example
 * const smtp: SmtpReply = { code: 550, enhancedStatus: "5.1.1" };
 */
export interface SmtpReply {
  code: number;
  enhancedStatus?: string;
}

/**
 * The per-message block as read.
 *
 * @example
 * const pm: PerMessageDetails = { line: 38, fields: [] };
 */
export interface PerMessageDetails {
  /** Line of the block's first field (of the part, when the block is missing). */
  line: number;
  fields: DsnFieldDetail[];
}

/**
 * A per-recipient block as read; `recipients[i]` of the details is `recipients[i]` of the model.
 *
 * @example
 * const r: RecipientDetails = { line: 44, fields: [], status: { class: 5, subject: 1, detail: 1 }, smtp: { code: 550, enhancedStatus: "5.1.1" } };
 */
export interface RecipientDetails {
  line: number;
  fields: DsnFieldDetail[];
  /** The model's Status split into numbers; absent when the block states no Status dsnkit can read. */
  status?: StatusParts;
  /** The reply code (and enhanced code) an `smtp` Diagnostic-Code starts with. */
  smtp?: SmtpReply;
}

/**
 * The delivery-status part as read, beside the model.
 *
 * @example
 * const d: DeliveryStatusDetails = {
 *   type: "message/delivery-status", transferEncoding: "7bit", line: 35,
 *   perMessage: { line: 37, fields: [] }, recipients: [],
 * };
 */
export interface DeliveryStatusDetails {
  type: "message/delivery-status" | "message/global-delivery-status";
  /** The part's Content-Transfer-Encoding, lower-cased (`7bit` when absent). */
  transferEncoding: string;
  /** Line of the part's first header line. */
  line: number;
  perMessage: PerMessageDetails;
  recipients: RecipientDetails[];
}

/**
 * The top-level fields a reader of bounces usually wants, decoded: From and Subject with RFC 2047
 * encoded-words decoded, Date as a `Date`, the first address of To.
 *
 * @example
 * const m: MessageSummary = { from: { name: "Mail Delivery System", address: "MAILER-DAEMON@localhost" }, subject: "Undelivered Mail" };
 */
export interface MessageSummary {
  from?: Mailbox;
  to?: string;
  subject?: string;
  date?: Date;
  messageId?: string;
  inReplyTo?: string;
}

/**
 * The returned original (the part after the delivery status): its type, its header fields and,
 * for `message/rfc822` and `message/global`, its body as text.
 *
 * @example
 * const o: ReturnedOriginal = { type: "text/rfc822-headers", line: 60, headers: [{ name: "Subject", value: "hi", line: 64 }] };
 */
export interface ReturnedOriginal {
  /** `message/rfc822`, `message/global`, `text/rfc822-headers` or `message/global-headers`. */
  type: string;
  /** Line of the part's first header line. */
  line: number;
  headers: HeaderField[];
  /** The body of a returned whole message, as written (line ends kept). */
  body?: string;
}

/**
 * A DSN as read by {@link parseDsn}.
 *
 * @example
 * const dsn: ParsedDsn = parseDsn(raw);
 * dsn.deliveryStatus.recipients[0]?.status;
 * //=> "5.1.1"
 */
export interface ParsedDsn {
  /** The top-level header fields, in order. */
  headers: HeaderField[];
  /** From, To, Subject, Date, Message-ID and In-Reply-To, decoded. */
  message: MessageSummary;
  /** The human-readable first part, decoded, with `\n` line ends. */
  explanation?: string;
  /**
   * The RFC 3464 model as {@link resolveBounce} builds it, except that an Action or Status the
   * DSN does not state, or states in a form dsnkit does not recognize, is absent (the written
   * text is kept in `unrecognized`): nothing is made up.
   */
  deliveryStatus: ParsedDeliveryStatus;
  /** Lines, raw fields, status parts and SMTP reply codes of the delivery-status part. */
  details: DeliveryStatusDetails;
  original?: ReturnedOriginal;
  /** Everything the reader had to tolerate, in input order. Empty for a conforming DSN. */
  tolerances: Tolerance[];
}

/**
 * Options of {@link parseDsn}.
 *
 * @example
 * const options: ParseOptions = { strict: true, limits: { maxDepth: 8 } };
 */
export interface ParseOptions {
  /** Throw a {@link DsnParseError} (code `strict`) at the first thing that must be tolerated. */
  strict?: boolean;
  limits?: ParseLimits;
}
